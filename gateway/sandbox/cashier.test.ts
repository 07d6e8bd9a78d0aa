import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../server';
import { billRequest, signedBill, testServer } from '../testing/fixtures';

let server: RunningGateway & { lines: string[] };
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

async function openBill(overrides: Record<string, unknown> = {}): Promise<Record<string, string> & { id: string }> {
  const response = await server.gateway.handle(billRequest(signedBill(overrides), server.url));
  const answer = (await response.json()) as Record<string, string> & { id: string };
  expect(answer.result_code).toBe(0);
  return answer;
}

const act = (id: string, action: string) => fetch(`${server.url}/sandbox/cashier/${id}/${action}`, { method: 'POST', redirect: 'manual' });
const page = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  return { response, html: await response.text() };
};

/** The accessible names of the page's buttons, with the action of the form around each. */
function buttons(html: string): Array<[string, string]> {
  return [...html.matchAll(/<form method="POST" action="([^"]+)"><button type="submit"[^>]*>([^<]+)<\/button><\/form>/g)].map(
    (match) => [match[2] as string, match[1] as string],
  );
}

describe('sandbox cashier page', () => {
  it('shows the bill and the three outcomes, with no script and a strict CSP', async () => {
    const bill = await openBill({ title: '咖啡豆', amount: 6800 });
    const { response, html } = await page(`/sandbox/cashier/${bill.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('沙箱收银台');
    expect(html).toContain('支付宝 · 电脑网站支付');
    expect(html).toContain('咖啡豆');
    expect(html).toContain('¥68.00');
    expect(html).not.toMatch(/<script/i);
    expect(buttons(html)).toEqual([
      ['确认支付', `/sandbox/cashier/${bill.id}/pay`],
      ['取消支付', `/sandbox/cashier/${bill.id}/cancel`],
      ['模拟失败', `/sandbox/cashier/${bill.id}/fail`],
    ]);
  });

  it('escapes the title', async () => {
    const bill = await openBill({ title: '<script>alert(1)</script>' });
    const { html } = await page(`/sandbox/cashier/${bill.id}`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  it.each<[boolean, string]>([
    [true, '将尝试唤起支付宝 App'],
    [false, '不唤起支付宝 App'],
  ])('says whether ALI_WAP tries the Alipay app (use_app %s)', async (useApp, line) => {
    const bill = await openBill({ channel: 'ALI_WAP', use_app: useApp });
    expect((await page(`/sandbox/cashier/${bill.id}`)).html).toContain(line);
  });

  it('is what the channel form posts to', async () => {
    const bill = await openBill({ channel: 'UN_WEB' });
    const action = /action="([^"]+)"/.exec(bill.html as string)?.[1] as string;
    const response = await fetch(action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'channel=UN_WEB&ts=1' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('银联 · 网关支付');
  });

  it('answers an unknown bill with a 404 page', async () => {
    const { response, html } = await page('/sandbox/cashier/nosuchbill');
    expect(response.status).toBe(404);
    expect(html).toContain('找不到账单');
    expect((await act('nosuchbill', 'pay')).status).toBe(404);
  });
});

describe('paying at the sandbox cashier', () => {
  it('marks the bill paid and sends the buyer to return_url with its query kept and the result appended', async () => {
    const bill = await openBill({ return_url: 'https://shop.example/return?order=a%20b&lang=zh', channel: 'JD_WEB' });
    const response = await act(bill.id, 'pay');
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/return');
    expect(location.search.startsWith('?order=a%20b&lang=zh&')).toBe(true);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      order: 'a b',
      lang: 'zh',
      out_trade_no: (await server.gateway.store.getBill(bill.id))?.out_trade_no,
      trade_success: 'true',
      channel: 'JD_WEB',
    });
    const stored = (await server.gateway.store.getBill(bill.id));
    expect(stored).toMatchObject({ status: 'PAID' });
    expect(Date.parse(stored?.paid_at ?? '')).not.toBeNaN();
    const status = (await (await fetch(`${server.url}/1/pay/jsbutton/bill/${bill.id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ pay_result: true, status: 'PAID' });
  });

  it('pays once when paid twice, and still redirects', async () => {
    const bill = await openBill({ return_url: 'https://shop.example/return' });
    await act(bill.id, 'pay');
    const paidAt = (await server.gateway.store.getBill(bill.id))?.paid_at;
    const again = await act(bill.id, 'pay');
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(/^https:\/\/shop\.example\/return\?out_trade_no=/);
    expect((await server.gateway.store.getBill(bill.id))?.paid_at).toBe(paidAt);
    expect(server.lines.filter((line) => line.includes(`bill ${bill.id}`) && line.includes('no webhook URL'))).toHaveLength(1);
  });

  it('sends the buyer to the result page when there is no return_url', async () => {
    const bill = await openBill();
    const response = await act(bill.id, 'pay');
    expect(response.headers.get('location')).toBe(`${server.url}/sandbox/result/${bill.id}`);
    const { html } = await page(`/sandbox/result/${bill.id}`);
    expect(html).toContain('支付成功');
    expect(html).toContain('测试商品');
    expect(html).toContain('¥0.01');
  });

  it.each<[string, string, string]>([
    ['cancel', 'CANCELLED', '已取消'],
    ['fail', 'FAILED', '支付失败'],
  ])('%s marks an unpaid bill %s and shows the result page', async (action, status, text) => {
    const bill = await openBill({ return_url: 'https://shop.example/return' });
    const response = await act(bill.id, action);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${server.url}/sandbox/result/${bill.id}`);
    expect((await server.gateway.store.getBill(bill.id))?.status).toBe(status);
    const { html } = await page(`/sandbox/result/${bill.id}`);
    expect(html).toContain(text);
    expect(html).toContain(`href="/sandbox/cashier/${bill.id}"`);
  });

  it('leaves a paid bill paid when cancelled or failed afterwards', async () => {
    const bill = await openBill();
    await act(bill.id, 'pay');
    await act(bill.id, 'cancel');
    await act(bill.id, 'fail');
    expect((await server.gateway.store.getBill(bill.id))?.status).toBe('PAID');
  });

  it('reopens a cancelled bill when the order is requested again', async () => {
    const body = signedBill();
    const first = (await (await server.gateway.handle(billRequest(body, server.url))).json()) as { id: string };
    await act(first.id, 'cancel');
    const again = (await (await server.gateway.handle(billRequest(body, server.url))).json()) as { id: string };
    expect(again.id).toBe(first.id);
    expect((await server.gateway.store.getBill(first.id))?.status).toBe('UNPAID');
    expect((await page(`/sandbox/result/${first.id}`)).html).toContain('未支付');
  });
});

describe('sandbox WeChat JSAPI payment', () => {
  const jsapiPay = (body: unknown) =>
    fetch(`${server.url}/sandbox/jsapi/pay`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) });

  it.each<[string, string]>([
    ['ok', 'PAID'],
    ['cancel', 'CANCELLED'],
    ['fail', 'FAILED'],
  ])('answers result %s like WeChat and leaves the bill %s', async (result, status) => {
    const bill = await openBill({ channel: 'WX_JSAPI', openid: 'o-buyer' });
    const response = await jsapiPay({ package: bill.package, pay_sign: bill.pay_sign, result });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toMatchObject({ result_code: 0, err_msg: `get_brand_wcpay_request:${result}` });
    expect((await server.gateway.store.getBill(bill.id))?.status).toBe(status);
  });

  it.each<[string, (bill: Record<string, string>) => unknown, number, string]>([
    ['a forged pay_sign', (bill) => ({ package: bill.package, pay_sign: 'A'.repeat(32), result: 'ok' }), 20, 'pay_sign'],
    ['a prepay id the gateway never handed out', () => ({ package: 'prepay_id=wxdeadbeef', pay_sign: 'a'.repeat(32), result: 'ok' }), 21, 'package'],
    ['a malformed package', (bill) => ({ package: 'prepay=1', pay_sign: bill.pay_sign, result: 'ok' }), 5, 'package'],
    ['an unknown result', (bill) => ({ package: bill.package, pay_sign: bill.pay_sign, result: 'maybe' }), 5, 'result'],
  ])('refuses %s and pays nothing', async (_case, makeBody, code, field) => {
    const bill = await openBill({ channel: 'BC_WX_JSAPI', openid: 'o-buyer' });
    const response = await jsapiPay(makeBody(bill));
    expect(await response.json()).toMatchObject({ result_code: code, field });
    expect((await server.gateway.store.getBill(bill.id))?.status).toBe('UNPAID');
  });
});

describe('sandbox index', () => {
  it('lists the apps and recent bills, with nothing secret', async () => {
    const bill = await openBill({ title: '索引里的商品' });
    const { response, html } = await page('/sandbox');
    expect(response.status).toBe(200);
    expect(html).toContain('test-app-full');
    expect(html).toContain('索引里的商品');
    expect(html).toContain(`href="/sandbox/cashier/${bill.id}"`);
    expect(html).toContain(`href="/sandbox/result/${bill.id}"`);
    expect(html).not.toMatch(/secret/i);
  });
});

describe('Alipay guide for WeChat', () => {
  const WECHAT_UA = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Mobile Safari/537.36 MicroMessenger/8.0.55.2780';
  const guide = (id: string, userAgent: string) =>
    fetch(`${server.url}/1/pay/jsbutton/alipay-guide/${id}`, { headers: { 'User-Agent': userAgent }, redirect: 'manual' });

  it('tells a buyer inside WeChat to open the page in a browser', async () => {
    const bill = await openBill({ channel: 'ALI_WAP', title: '<b>豆</b>' });
    const response = await guide(bill.id, WECHAT_UA);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('在浏览器打开');
    expect(html).toMatch(/role="img" aria-label="[^"]*右上角/);
    expect(html).toContain('&lt;b&gt;豆&lt;/b&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('carries a browser straight on to the ALI_WAP cashier', async () => {
    const bill = await openBill({ channel: 'ALI_WAP' });
    const response = await guide(bill.id, 'Mozilla/5.0 (iPhone) Safari/604.1');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${server.url}/sandbox/cashier/${bill.id}?channel=ALI_WAP`);
  });

  it('answers an unknown bill with a 404 page', async () => {
    expect((await guide('nosuchbill', WECHAT_UA)).status).toBe(404);
  });
});
