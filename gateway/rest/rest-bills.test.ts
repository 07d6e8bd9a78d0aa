import { afterAll, describe, expect, it } from 'vitest';
import { signedBill, testGateway } from '../testing/fixtures';
import { LIVE_ONLY_APP, REST_APP, newBillNo, newRefundNo, restGet, restPost, restSigned } from '../testing/rest-calls';

const BASE = 'http://gateway.test';
const gateway = testGateway({ apps: [REST_APP, LIVE_ONLY_APP] });
afterAll(() => gateway.close());

type Json = Record<string, unknown> & { result_code: number; result_msg: string; err_detail: string };

async function call(request: Request): Promise<{ status: number; json: Json }> {
  const response = await gateway.handle(request);
  return { status: response.status, json: (await response.json()) as Json };
}

const bill = (fields: Record<string, unknown> = {}, sandbox = false) =>
  call(restPost(BASE, sandbox ? '/2/rest/sandbox/bill' : '/2/rest/bill', restSigned({ channel: 'WX_NATIVE', total_fee: 100, bill_no: newBillNo(), title: '白开水', ...fields }, sandbox ? 'test' : 'app')));
const get = (path: string, fields: Record<string, unknown> = {}, secret: 'app' | 'test' = 'app') => call(restGet(BASE, path, restSigned(fields, secret)));
const pay = (id: string) => gateway.handle(new Request(`${BASE}/sandbox/cashier/${id}/pay`, { method: 'POST' }));

describe('POST /2/rest/bill answers each channel with the fields of manual 4.2.1', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['ALI_WEB', { return_url: 'https://shop.example/done' }, ['html', 'url']],
    ['ALI_WAP', {}, ['html', 'url']],
    ['WX_NATIVE', {}, ['code_url']],
    ['BC_NATIVE', {}, ['code_url']],
    ['WX_JSAPI', { openid: 'o-buyer' }, ['app_id', 'package', 'nonce_str', 'timestamp', 'pay_sign', 'sign_type']],
    ['BC_WX_JSAPI', { openid: 'o-buyer' }, ['app_id', 'package', 'nonce_str', 'timestamp', 'pay_sign', 'sign_type']],
    ['UN_WEB', { return_url: 'https://shop.example/done' }, ['html']],
    ['UN_WAP', {}, ['html']],
    ['BC_EXPRESS', {}, ['html']],
    ['JD_WEB', { return_url: 'https://shop.example/done' }, ['html', 'url']],
    ['JD_WAP', { return_url: 'https://shop.example/done' }, ['html', 'url']],
    ['BD_WEB', {}, ['url']],
    ['BD_WAP', {}, ['url']],
    ['YEE_WEB', {}, ['url']],
    ['YEE_WAP', { identity_id: 'buyer42' }, ['url']],
  ])('%s', async (channel, extra, keys) => {
    const { status, json } = await bill({ channel, ...extra });
    expect(status).toBe(200);
    expect(json).toMatchObject({ result_code: 0, result_msg: 'OK', err_detail: '' });
    expect(json.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const key of keys) expect(typeof json[key]).toBe('string');
  });

  it('answers the same bill for the same bill_no, title and total_fee, and refuses another fee', async () => {
    const billNo = newBillNo();
    const first = await bill({ bill_no: billNo });
    const again = await bill({ bill_no: billNo, channel: 'ALI_WAP' });
    expect(again.json.id).toBe(first.json.id);
    const other = await bill({ bill_no: billNo, total_fee: 101 });
    expect(other.json).toMatchObject({ result_code: 5, result_msg: 'PARAM_INVALID', field: 'bill_no' });
    expect(other.json.err_detail).toMatch(/bill_no .* is already used with another title or amount/);
  });

  it('keeps notify_url, bill_timeout, optional and buyer_id on the bill, and drops bill_timeout for JD', async () => {
    const { json } = await bill({ notify_url: 'https://shop.example/hook', bill_timeout: 360, optional: { tag: 'x' }, buyer_id: 'u-1' });
    expect(await gateway.store.getBill(json.id as string)).toMatchObject({ notify_url: 'https://shop.example/hook', bill_timeout: 360, optional: { tag: 'x' }, buyer_id: 'u-1' });
    const jd = await bill({ channel: 'JD_WEB', return_url: 'https://shop.example/r', bill_timeout: 360 });
    expect((await gateway.store.getBill(jd.json.id as string))?.bill_timeout).toBeUndefined();
  });

  it('makes the button bill and the REST bill one bill (out_trade_no is bill_no)', async () => {
    const button = signedBill({ channel: 'WX_NATIVE', amount: 100, title: '白开水' }, REST_APP);
    const made = await call(new Request(`${BASE}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(button) }));
    const rest = await bill({ bill_no: button.out_trade_no });
    expect(rest.json.id).toBe(made.json.id);
    await pay(made.json.id as string);
    const queried = await get('/2/rest/bills', { bill_no: button.out_trade_no });
    expect(queried.json.bills).toEqual([expect.objectContaining({ id: made.json.id, spay_result: true, sub_channel: 'WX_NATIVE', channel: 'WX' })]);
  });
});

describe('POST /2/rest/bill refuses with the code and a sentence naming the field', () => {
  it.each<[string, () => Record<string, unknown>, number, string, string]>([
    ['a missing app_id', () => ({ ...restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' }), app_id: undefined }), 4, 'MISS_PARAM', 'app_id'],
    ['an unknown app_id', () => restSigned({ app_id: 'nope', channel: 'WX_NATIVE' }), 1, 'APP_INVALID', 'app_id'],
    ['a wrong app_sign', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), app_sign: '0'.repeat(32) }), 1, 'APP_INVALID', 'app_sign'],
    ['an app_sign that is not hex', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), app_sign: 'xyz' }), 5, 'PARAM_INVALID', 'app_sign'],
    ['a missing app_sign', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), app_sign: undefined }), 4, 'MISS_PARAM', 'app_sign'],
    ['a missing timestamp', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), timestamp: undefined }), 4, 'MISS_PARAM', 'timestamp'],
    ['a timestamp 16 minutes old', () => restSigned({ channel: 'WX_NATIVE' }, 'app', REST_APP, Date.now() - 16 * 60_000), 5, 'PARAM_INVALID', 'timestamp'],
    ['a timestamp 16 minutes ahead', () => restSigned({ channel: 'WX_NATIVE' }, 'app', REST_APP, Date.now() + 16 * 60_000), 5, 'PARAM_INVALID', 'timestamp'],
    ['a timestamp in seconds', () => restSigned({ channel: 'WX_NATIVE' }, 'app', REST_APP, Math.floor(Date.now() / 1000)), 5, 'PARAM_INVALID', 'timestamp'],
    ['a digit-string timestamp with a leading zero', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), timestamp: `0${Date.now()}` }), 5, 'PARAM_INVALID', 'timestamp'],
    ['a fractional timestamp', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), timestamp: Date.now() + 0.5 }), 5, 'PARAM_INVALID', 'timestamp'],
    ['a timestamp that is an object', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), timestamp: { n: 1 } }), 5, 'PARAM_INVALID', 'timestamp'],
    ['an app_sign that is a number', () => ({ ...restSigned({ channel: 'WX_NATIVE' }), app_sign: 12345 }), 5, 'PARAM_INVALID', 'app_sign'],
    ['an app_id that is a number', () => restSigned({ app_id: 42, channel: 'WX_NATIVE' }), 1, 'APP_INVALID', 'app_id'],
    ['a missing channel', () => restSigned({ total_fee: 1 }), 4, 'MISS_PARAM', 'channel'],
    ['an unknown channel', () => restSigned({ channel: 'WX_APP' }), 3, 'CHANNEL_INVALID', 'channel'],
    ['a missing total_fee', () => restSigned({ channel: 'WX_NATIVE', bill_no: newBillNo(), title: 't' }), 4, 'MISS_PARAM', 'total_fee'],
    ['a fractional total_fee', () => restSigned({ channel: 'WX_NATIVE', total_fee: 19.9, bill_no: newBillNo(), title: 't' }), 5, 'PARAM_INVALID', 'total_fee'],
    ['a zero total_fee', () => restSigned({ channel: 'WX_NATIVE', total_fee: 0, bill_no: newBillNo(), title: 't' }), 5, 'PARAM_INVALID', 'total_fee'],
    ['a short bill_no', () => restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: 'abc', title: 't' }), 5, 'PARAM_INVALID', 'bill_no'],
    ['a missing bill_no', () => restSigned({ channel: 'WX_NATIVE', total_fee: 1, title: 't' }), 4, 'MISS_PARAM', 'bill_no'],
    ['a missing title', () => restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo() }), 4, 'MISS_PARAM', 'title'],
    ['a title of 17 汉字', () => restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: '汉'.repeat(17) }), 5, 'PARAM_INVALID', 'title'],
    ['ALI_WEB without return_url', () => restSigned({ channel: 'ALI_WEB', total_fee: 1, bill_no: newBillNo(), title: 't' }), 4, 'MISS_PARAM', 'return_url'],
    ['UN_WEB without return_url', () => restSigned({ channel: 'UN_WEB', total_fee: 1, bill_no: newBillNo(), title: 't' }), 4, 'MISS_PARAM', 'return_url'],
    ['JD_WAP without return_url', () => restSigned({ channel: 'JD_WAP', total_fee: 1, bill_no: newBillNo(), title: 't' }), 4, 'MISS_PARAM', 'return_url'],
    ['WX_JSAPI without openid', () => restSigned({ channel: 'WX_JSAPI', total_fee: 1, bill_no: newBillNo(), title: 't' }), 4, 'MISS_PARAM', 'openid'],
    ['YEE_WAP without identity_id', () => restSigned({ channel: 'YEE_WAP', total_fee: 1, bill_no: newBillNo(), title: 't' }), 4, 'MISS_PARAM', 'identity_id'],
    ['a relative notify_url', () => restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't', notify_url: '/hook' }), 5, 'PARAM_INVALID', 'notify_url'],
    ['a zero bill_timeout', () => restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't', bill_timeout: 0 }), 5, 'PARAM_INVALID', 'bill_timeout'],
    ['a nested optional', () => restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't', optional: { a: { b: 1 } } }), 5, 'PARAM_INVALID', 'optional'],
  ])('%s', async (_case, body, code, name, field) => {
    const { status, json } = await call(restPost(BASE, '/2/rest/bill', body()));
    expect(status).toBe(200);
    expect(json).toMatchObject({ result_code: code, result_msg: name, field });
    expect(json.err_detail).toContain(field);
  });

  it('refuses a channel the app does not enable with PAY_FACTOR_NOT_SET', async () => {
    const body = restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' }, 'app', LIVE_ONLY_APP);
    expect((await call(restPost(BASE, '/2/rest/bill', body))).json).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET', field: 'channel' });
  });

  it.each(['application/json', 'application/x-www-form-urlencoded'])('answers a body that is not JSON, sent as %s, with a code and a sentence', async (type) => {
    const { status, json } = await call(restPost(BASE, '/2/rest/bill', '{"app_id": ', type));
    expect(status).toBe(200);
    expect(json).toMatchObject({ result_code: 22, result_msg: 'PAYLOAD_INVALID', field: 'body' });
    expect(json.err_detail).toMatch(/JSON/);
  });

  it('reads a JSON body sent with no Content-Type', async () => {
    const body = JSON.stringify(restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' }));
    const request = new Request(`${BASE}/2/rest/bill`, { method: 'POST', body: new TextEncoder().encode(body) });
    expect(request.headers.get('content-type')).toBeNull();
    expect((await call(request)).json).toMatchObject({ result_code: 0 });
  });

  it('answers an unknown path under /2/rest with ROUTE_NOT_FOUND', async () => {
    const { status, json } = await call(new Request(`${BASE}/2/rest/nothing`));
    expect(status).toBe(404);
    expect(json).toMatchObject({ result_code: 23, result_msg: 'ROUTE_NOT_FOUND' });
  });
});

describe('SDK quirks', () => {
  it('accepts a digit-string timestamp, the Node SDK secrets and bc_analysis, and never echoes or logs a secret', async () => {
    const timestamp = String(Date.now());
    const body = {
      ...restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' }, 'app', REST_APP, Number(timestamp)),
      timestamp,
      app_secret: REST_APP.appSecret,
      master_secret: REST_APP.masterSecret,
      test_secret: REST_APP.testSecret,
      bc_analysis: { ip: '1.2.3.4' },
      analysis: { product_map: 'x' },
    };
    const response = await gateway.handle(restPost(BASE, '/2/rest/bill', body));
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ result_code: 0, result_msg: 'OK' });
    for (const secret of [REST_APP.appSecret, REST_APP.masterSecret, REST_APP.testSecret as string]) {
      expect(text).not.toContain(secret);
      expect(gateway.lines.join('\n')).not.toContain(secret);
    }
  });

  it.each([-14, 14])('accepts a timestamp %i minutes off, inside the 15-minute window', async (minutes) => {
    const body = restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' }, 'app', REST_APP, Date.now() + minutes * 60_000);
    expect((await call(restPost(BASE, '/2/rest/bill', body))).json).toMatchObject({ result_code: 0 });
  });

  it.each(['application/json', 'application/json; charset=UTF-8', 'application/json;charset=utf-8;', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded'])(
    'reads a JSON body sent as %s',
    async (type) => {
      const body = restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' });
      expect((await call(restPost(BASE, '/2/rest/bill', body, type))).json).toMatchObject({ result_code: 0, result_msg: 'OK' });
    },
  );

  it("reads the Python SDK's para, a Python 2 dict literal with a long and UTF-8 bytes, quote_plus-encoded", async () => {
    const billNo = newBillNo();
    await bill({ bill_no: billNo, title: '白开水' });
    const { app_id, timestamp, app_sign } = restSigned();
    const title = [...Buffer.from('白开水')].map((byte) => `\\x${byte.toString(16)}`).join('');
    const para = `{'app_id': '${app_id}', 'timestamp': ${timestamp}L, 'app_sign': '${app_sign}', 'bill_no': '${billNo}', 'need_detail': True, 'title': '${title}'}`;
    const { json } = await call(new Request(`${BASE}/2/rest/bills?${new URLSearchParams({ para })}`));
    expect(json).toMatchObject({ result_code: 0, bills: [expect.objectContaining({ bill_no: billNo, title: '白开水', message_detail: expect.any(String) })] });
  });

  it("takes PHP's empty optional array [] as no optional", async () => {
    const { json } = await bill({ optional: [] });
    expect(json.result_code).toBe(0);
    expect((await gateway.store.getBill(json.id as string))?.optional).toBeUndefined();
  });

  it('reads para encoded as form data, spaces as +', async () => {
    const para = JSON.stringify(restSigned({ limit: 1, title: 'a b' }));
    const encoded = new URLSearchParams({ para }).toString();
    expect(encoded).toContain('+');
    const { json } = await call(new Request(`${BASE}/2/rest/bills?${encoded}`));
    expect(json).toMatchObject({ result_code: 0, result_msg: 'OK' });
  });

  it.each<[string, string, number, string]>([
    ['no para', '', 4, 'MISS_PARAM'],
    ['para that is not JSON', '?para=%7Bnope', 5, 'PARAM_INVALID'],
    ['para that is an array', `?para=${encodeURIComponent('[1]')}`, 5, 'PARAM_INVALID'],
    ['para with a broken escape', '?para=%E0%A4%A', 5, 'PARAM_INVALID'],
  ])('answers %s with a code naming para', async (_case, query, code, name) => {
    const { status, json } = await call(new Request(`${BASE}/2/rest/bills${query}`));
    expect(status).toBe(200);
    expect(json).toMatchObject({ result_code: code, result_msg: name, field: 'para' });
  });
});

describe('GET /2/rest/bills, /bills/count and /bill/{id}', () => {
  const app = { ...REST_APP, appId: 'rest-query-app' };
  const queries = testGateway({ apps: [app] });
  afterAll(() => queries.close());
  const signed = (fields: Record<string, unknown> = {}) => restSigned(fields, 'app', app);
  const q = async (path: string, fields: Record<string, unknown> = {}) => (await (await queries.handle(restGet(BASE, path, signed(fields)))).json()) as Json;
  const made: Array<{ id: string; billNo: string; channel: string; at: number }> = [];

  it('lists bills newest first with every filter of 4.4.1, ANDed', async () => {
    for (const [index, channel] of ['WX_NATIVE', 'ALI_WAP', 'WX_NATIVE', 'UN_WAP', 'BC_NATIVE', 'WX_NATIVE'].entries()) {
      const billNo = newBillNo();
      const answer = (await (await queries.handle(restPost(BASE, '/2/rest/bill', signed({ channel, total_fee: 10 + index, bill_no: billNo, title: `t${index}`, optional: { n: index } })))).json()) as Json;
      made.push({ id: answer.id as string, billNo, channel, at: Date.parse((await queries.store.getBill(answer.id as string))?.created_at ?? '') });
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await queries.handle(new Request(`${BASE}/sandbox/cashier/${made[0]?.id}/pay`, { method: 'POST' }));
    await queries.handle(new Request(`${BASE}/sandbox/cashier/${made[2]?.id}/pay`, { method: 'POST' }));
    const ids = (answer: Json) => (answer.bills as Array<{ id: string }>).map((item) => item.id);

    expect(ids(await q('/2/rest/bills', { limit: 50 }))).toEqual(made.map((item) => item.id).reverse());
    expect(ids(await q('/2/rest/bills'))).toHaveLength(6);
    expect(ids(await q('/2/rest/bills', { channel: 'WX' }))).toEqual([made[5]?.id, made[2]?.id, made[0]?.id]);
    expect(ids(await q('/2/rest/bills', { channel: 'BC_NATIVE' }))).toEqual([made[4]?.id]);
    expect(ids(await q('/2/rest/bills', { channel: 'KUAIQIAN' }))).toEqual([]);
    expect(ids(await q('/2/rest/bills', { bill_no: made[3]?.billNo }))).toEqual([made[3]?.id]);
    expect(ids(await q('/2/rest/bills', { spay_result: true }))).toEqual([made[2]?.id, made[0]?.id]);
    expect(ids(await q('/2/rest/bills', { spay_result: false, channel: 'WX' }))).toEqual([made[5]?.id]);
    expect(ids(await q('/2/rest/bills', { spay_result: 'false', skip: 1, limit: 2 }))).toEqual([made[4]?.id, made[3]?.id]);
    expect(ids(await q('/2/rest/bills', { start_time: made[2]?.at, end_time: made[4]?.at }))).toEqual([made[4]?.id, made[3]?.id, made[2]?.id]);
    expect(ids(await q('/2/rest/bills', { skip: 1, limit: 2 }))).toEqual([made[4]?.id, made[3]?.id]);
    expect(ids(await q('/2/rest/bills', { refund_result: false, spay_result: true }))).toEqual([made[2]?.id, made[0]?.id]);

    expect((await q('/2/rest/bills/count')).count).toBe(6);
    // The Java SDK reads `count` from the list answer too: all matching bills, not the page.
    expect((await q('/2/rest/bills', { skip: 1, limit: 2 })).count).toBe(6);
    expect((await q('/2/rest/bills', { spay_result: false, limit: 1 })).count).toBe(4);
    expect((await q('/2/rest/bills/count', { channel: 'WX', spay_result: true })).count).toBe(2);
    expect((await q('/2/rest/bills/count', { spay_result: false })).count).toBe(4);
    expect((await q('/2/rest/bills/count', { start_time: made[4]?.at })).count).toBe(2);
  });

  it('shows each bill with the fields of 4.4.1, message_detail only with need_detail', async () => {
    const [plain] = (await q('/2/rest/bills', { bill_no: made[0]?.billNo })).bills as Array<Record<string, unknown>>;
    expect(plain).toEqual({
      id: made[0]?.id,
      bill_no: made[0]?.billNo,
      total_fee: 10,
      trade_no: expect.any(String),
      channel: 'WX',
      sub_channel: 'WX_NATIVE',
      title: 't0',
      spay_result: true,
      create_time: made[0]?.at,
      created_time: made[0]?.at,
      success_time: expect.any(Number),
      optional: '{"n":0}',
      revert_result: false,
      refund_result: false,
    });
    const [detailed] = (await q('/2/rest/bills', { bill_no: made[0]?.billNo, need_detail: true })).bills as Array<Record<string, unknown>>;
    expect(typeof detailed?.message_detail).toBe('string');
    const byId = await q(`/2/rest/bill/${made[0]?.id}`);
    expect(byId).toMatchObject({ result_code: 0, pay: { id: made[0]?.id, bill_no: made[0]?.billNo, spay_result: true, message_detail: expect.any(String) } });
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    ['limit above 50', { limit: 51 }, 5, 'limit'],
    ['limit 0', { limit: 0 }, 5, 'limit'],
    ['a negative skip', { skip: -1 }, 5, 'skip'],
    ['a start_time that is not a number', { start_time: 'yesterday' }, 5, 'start_time'],
    ['an unknown channel', { channel: 'ALIPAY' }, 3, 'channel'],
    ['a spay_result that is not a bool', { spay_result: 'yes' }, 5, 'spay_result'],
    ['a refund_result that is not a bool', { refund_result: 2 }, 5, 'refund_result'],
  ])('refuses %s', async (_case, fields, code, field) => {
    expect(await q('/2/rest/bills', fields)).toMatchObject({ result_code: code, field });
  });

  it('answers an unknown bill id, or another app\'s, with NO_SUCH_BILL', async () => {
    expect(await q('/2/rest/bill/nosuchbill')).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL', field: 'id' });
    const other = await bill();
    expect(await q(`/2/rest/bill/${other.json.id}`)).toMatchObject({ result_code: 8 });
  });
});

describe('test mode', () => {
  it('keeps test bills apart from live ones, the same bill_no in both', async () => {
    const billNo = newBillNo();
    const live = await bill({ bill_no: billNo });
    const test = await bill({ bill_no: billNo, total_fee: 5 }, true);
    expect(test.json.result_code).toBe(0);
    expect(test.json.id).not.toBe(live.json.id);
    expect((await gateway.store.getBill(test.json.id as string))?.mode).toBe('test');
    const liveList = await get('/2/rest/bills', { bill_no: billNo });
    const testList = await get('/2/rest/sandbox/bills', { bill_no: billNo }, 'test');
    expect((liveList.json.bills as Array<{ id: string }>).map((b) => b.id)).toEqual([live.json.id]);
    expect((testList.json.bills as Array<{ id: string }>).map((b) => b.id)).toEqual([test.json.id]);
    expect((await get(`/2/rest/bill/${test.json.id}`)).json.result_code).toBe(8);
    expect((await get(`/2/rest/sandbox/bill/${test.json.id}`, {}, 'test')).json.result_code).toBe(0);
    expect((await get('/2/rest/sandbox/bills/count', { bill_no: billNo }, 'test')).json.count).toBe(1);
  });

  it('signs test mode with the test secret only', async () => {
    const withAppSecret = restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' }, 'app');
    expect((await call(restPost(BASE, '/2/rest/sandbox/bill', withAppSecret))).json).toMatchObject({ result_code: 1, field: 'app_sign' });
    const live = (await call(restPost(BASE, '/2/rest/bill', restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' }, 'test')))).json;
    expect(live).toMatchObject({ result_code: 1, field: 'app_sign' });
    expect(live.err_detail).toMatch(/test secret.*\/2\/rest\/sandbox\//);
  });

  it('refuses test mode for an app without a testSecret', async () => {
    const body = restSigned({ channel: 'ALI_WAP', total_fee: 1, bill_no: newBillNo(), title: 't' }, 'app', LIVE_ONLY_APP);
    const { json } = await call(restPost(BASE, '/2/rest/sandbox/bill', body));
    expect(json).toMatchObject({ result_code: 1, result_msg: 'APP_INVALID', field: 'app_id' });
    expect(json.err_detail).toMatch(/testSecret/);
  });

  it('refunds test bills by test refunds only', async () => {
    const billNo = newBillNo();
    const test = await bill({ bill_no: billNo }, true);
    await pay(test.json.id as string);
    const liveRefund = await call(restPost(BASE, '/2/rest/refund', restSigned({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 }, 'master')));
    expect(liveRefund.json).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL' });
    const refundNo = newRefundNo();
    const testRefund = await call(restPost(BASE, '/2/rest/sandbox/refund', restSigned({ refund_no: refundNo, bill_no: billNo, refund_fee: 1 }, 'test')));
    expect(testRefund.json).toMatchObject({ result_code: 0 });
    expect((await get('/2/rest/refunds', { bill_no: billNo })).json.refunds).toEqual([]);
    expect((await get('/2/rest/sandbox/refunds', { bill_no: billNo }, 'test')).json.refunds).toHaveLength(1);
    expect((await get('/2/rest/sandbox/refund/status', { refund_no: refundNo }, 'test')).json.refund_status).toBe('SUCCESS');
    expect((await get('/2/rest/sandbox/refunds/count', { bill_no: billNo }, 'test')).json.count).toBe(1);
    expect((await get('/2/rest/refunds/count', { bill_no: billNo })).json.count).toBe(0);
    expect((await get(`/2/rest/sandbox/refund/${testRefund.json.id}`, {}, 'test')).json).toMatchObject({ result_code: 0, refund: { refund_no: refundNo } });
    expect((await get(`/2/rest/refund/${testRefund.json.id}`)).json.result_code).toBe(13);
    expect((await get('/2/rest/refund/status', { refund_no: refundNo })).json.result_code).toBe(13);
  });
});
