import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../server';
import { SANDBOX_WECHAT_API_KEY } from '../sandbox/wechat-sandbox';
import { ALI_APP, FULL_APP, signedBill, testServer } from '../testing/fixtures';

let server: RunningGateway;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

type Answer = Record<string, unknown> & { result_code: number; id: string };

async function post(body: unknown, contentType = 'text/plain;charset=UTF-8'): Promise<{ status: number; answer: Answer; headers: Headers }> {
  const response = await fetch(`${server.url}/1/pay/jsbutton/bill`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, answer: (await response.json()) as Answer, headers: response.headers };
}

const billsFor = async (outTradeNo: unknown) => (await server.gateway.store.listBills({ limit: 1000 })).filter((bill) => bill.out_trade_no === String(outTradeNo));

describe('bill API over HTTP: every refusal is reachable', () => {
  it.each<[string, () => unknown, number, string, number]>([
    ['an unknown app', () => signedBill({ app_id: 'nope' }), 1, 'APP_INVALID', 400],
    ['a channel the app has not enabled', () => signedBill({ channel: 'BC_EXPRESS' }, ALI_APP), 2, 'PAY_FACTOR_NOT_SET', 400],
    ['an invalid channel', () => signedBill({ channel: 'WX_APP' }), 3, 'CHANNEL_INVALID', 400],
    ['a missing field', () => ({ ...signedBill(), title: undefined }), 4, 'MISS_PARAM', 400],
    ['an invalid field', () => signedBill({ out_trade_no: 'short' }), 5, 'PARAM_INVALID', 400],
    ['a bad sign', () => ({ ...signedBill(), sign: '0'.repeat(32) }), 20, 'SIGN_INVALID', 403],
    ['a non-JSON body', () => 'not json', 22, 'PAYLOAD_INVALID', 400],
  ])('answers %s with its code and HTTP status', async (_case, makeBody, code, name, status) => {
    const body = makeBody();
    const result = await post(body);
    expect(result.status).toBe(status);
    expect(result.answer).toMatchObject({ result_code: code, result_msg: name });
    expect(typeof result.answer.err_detail).toBe('string');
    expect(result.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stores nothing when the amount was tampered with after signing', async () => {
    const body = signedBill({ amount: 6800 });
    const result = await post({ ...body, amount: 1 });
    expect(result.answer).toMatchObject({ result_code: 20, field: 'sign' });
    expect(await billsFor(body.out_trade_no)).toEqual([]);
  });

  it('answers an unknown bill id with BILL_NOT_FOUND', async () => {
    const response = await fetch(`${server.url}/1/pay/jsbutton/bill/nosuchbill`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ result_code: 21, result_msg: 'BILL_NOT_FOUND', field: 'id' });
  });

  it('answers an unknown path with 404 JSON', async () => {
    const response = await fetch(`${server.url}/2/rest/bill`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ result_code: 23, result_msg: 'ROUTE_NOT_FOUND' });
  });

  it('answers a CORS preflight on API paths', async () => {
    const response = await fetch(`${server.url}/1/pay/jsbutton/bill`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type');
    expect(response.headers.get('access-control-max-age')).toBe('86400');
  });

  it('refuses a body over 16 KiB sent to the real server with 413', async () => {
    const result = await post(JSON.stringify({ ...signedBill(), padding: 'x'.repeat(20 * 1024) }), 'application/json');
    expect(result.status).toBe(413);
    expect(result.answer).toMatchObject({ result_code: 22, field: 'body' });
  });
});

describe('bill API over HTTP: one bill per order', () => {
  it('answers a repeated request with the same bill', async () => {
    const body = signedBill();
    const first = await post(body);
    const second = await post({ ...body, amount: String(body.amount) });
    expect(first.answer.result_code).toBe(0);
    expect(second.answer.id).toBe(first.answer.id);
    expect(await billsFor(body.out_trade_no)).toHaveLength(1);
  });

  it('makes exactly one bill from 50 concurrent identical requests', async () => {
    const body = signedBill({ channel: 'WX_JSAPI', openid: 'o-buyer-1' });
    const results = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    const ids = new Set(results.map((result) => result.answer.id));
    expect(results.every((result) => result.answer.result_code === 0)).toBe(true);
    expect(ids.size).toBe(1);
    expect(new Set(results.map((result) => result.answer.pay_sign)).size).toBe(1);
    expect(await billsFor(body.out_trade_no)).toHaveLength(1);
  });

  it('lets the buyer retry with another channel on the same bill', async () => {
    const body = signedBill({ channel: 'ALI_WEB' });
    const first = await post(body);
    const second = await post({ ...body, channel: 'WX_NATIVE' });
    expect(second.answer).toMatchObject({ result_code: 0, id: first.answer.id, channel: 'WX_NATIVE' });
    expect(second.answer).toHaveProperty('code_url');
    expect((await server.gateway.store.getBill(first.answer.id))?.channel).toBe('WX_NATIVE');
  });

  it.each<[string, Record<string, unknown>]>([
    ['another amount', { amount: 2 }],
    ['another title', { title: '别的商品' }],
  ])('refuses the same out_trade_no with %s', async (_case, change) => {
    const body = signedBill({ amount: 1 });
    await post(body);
    const result = await post(signedBill({ out_trade_no: body.out_trade_no, ...change }));
    expect(result.status).toBe(400);
    expect(result.answer).toMatchObject({ result_code: 5, field: 'out_trade_no' });
    expect(result.answer.err_detail).toMatch(/out_trade_no .* is already used with another title or amount/);
    expect(await billsFor(body.out_trade_no)).toHaveLength(1);
  });

  it('refuses a new request for an order that is already paid', async () => {
    const body = signedBill();
    const { answer } = await post(body);
    await fetch(`${server.url}/sandbox/cashier/${answer.id}/pay`, { method: 'POST', redirect: 'manual' });
    const again = await post(body);
    expect(again.answer).toMatchObject({ result_code: 5, field: 'out_trade_no' });
    expect(again.answer.err_detail).toMatch(/out_trade_no .* is already paid/);
  });

  it('gives bills unguessable ids', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await post(signedBill())).answer.id));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('bill API over HTTP: each channel answers like the real one', () => {
  const cashier = (id: string) => `${server.url}/sandbox/cashier/${id}`;

  it.each(['ALI_WEB', 'ALI_WAP'])('%s answers a self-submitting form and the cashier url', async (channel) => {
    const { answer } = await post(signedBill({ channel }));
    expect(answer).toMatchObject({ result_code: 0, channel, url: `${cashier(answer.id)}?channel=${channel}` });
    expect(answer.html).toMatch(new RegExp(`^<form id="alipaysubmit" name="alipaysubmit" action="${cashier(answer.id)}" method="POST">`));
    expect(answer.html).toContain(`<input type="hidden" name="channel" value="${channel}">`);
    expect(answer.html).toMatch(/<input type="hidden" name="ts" value="\d+">/);
    expect(answer.html).toMatch(/<\/form><script>document\.forms\[0\]\.submit\(\);<\/script>$/);
  });

  it.each(['UN_WEB', 'UN_WAP', 'BC_EXPRESS'])('%s answers a self-submitting form only', async (channel) => {
    const { answer } = await post(signedBill({ channel }));
    expect(answer.html).toContain(`action="${cashier(answer.id)}" method="POST"`);
    expect(answer).not.toHaveProperty('url');
  });

  it.each(['JD_WEB', 'JD_WAP', 'BD_WEB', 'BD_WAP', 'YEE_WEB', 'YEE_WAP'])('%s answers the cashier url only', async (channel) => {
    const { answer } = await post(signedBill({ channel }));
    expect(answer.url).toBe(`${cashier(answer.id)}?channel=${channel}`);
    expect(answer).not.toHaveProperty('html');
  });

  it.each(['WX_NATIVE', 'BC_NATIVE'])('%s answers a code_url that opens the cashier', async (channel) => {
    const { answer } = await post(signedBill({ channel }));
    expect(answer.code_url).toBe(`${server.url}/sandbox/qr/${answer.id}`);
    const page = await fetch(answer.code_url as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('沙箱收银台');
  });

  it.each(['WX_JSAPI', 'BC_WX_JSAPI'])('%s answers WeChat JSAPI parameters with a valid pay_sign', async (channel) => {
    const { answer } = await post(signedBill({ channel, openid: 'o-buyer-2' }));
    expect(answer).toMatchObject({ result_code: 0, app_id: 'wxsandbox0000000', sign_type: 'MD5' });
    expect(answer.package).toMatch(/^prepay_id=wx[0-9a-f]+$/);
    expect(answer.nonce_str).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.timestamp).toMatch(/^\d{10}$/);
    const signed = `appId=${answer.app_id}&nonceStr=${answer.nonce_str}&package=${answer.package}&signType=MD5&timeStamp=${answer.timestamp}&key=${SANDBOX_WECHAT_API_KEY}`;
    expect(answer.pay_sign).toBe(createHash('md5').update(signed, 'utf8').digest('hex').toUpperCase());
    expect((await server.gateway.store.getBill(answer.id))?.jsapi?.prepay_id).toBe(String(answer.package).slice('prepay_id='.length));
  });

  it('reports the status of a bill', async () => {
    const body = signedBill({ amount: '6800' });
    const { answer } = await post(body);
    const response = await fetch(`${server.url}/1/pay/jsbutton/bill/${answer.id}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({
      result_code: 0,
      result_msg: 'OK',
      err_detail: '',
      id: answer.id,
      pay_result: false,
      status: 'UNPAID',
      out_trade_no: body.out_trade_no,
      title: body.title,
      total_fee: 6800,
      channel: 'ALI_WEB',
    });
  });

  it('uses the configured public URL in answers', async () => {
    const proxied = await testServer({ publicUrl: 'https://pay.example.com/' });
    try {
      const response = await fetch(`${proxied.url}/1/pay/jsbutton/bill`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify(signedBill({ channel: 'JD_WEB' }, FULL_APP)),
      });
      const answer = (await response.json()) as Answer;
      expect(answer.url).toBe(`https://pay.example.com/sandbox/cashier/${answer.id}?channel=JD_WEB`);
    } finally {
      await proxied.close();
    }
  });
});
