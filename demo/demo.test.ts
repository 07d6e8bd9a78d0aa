import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../gateway/apps';
import { signWebhook } from '../server-sign';
import type { ShopOrder } from './orders';
import { type RunningDemo, startDemo } from './server';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemo({ webhookBackoffMs: 20, log: () => {} });
});
afterAll(() => demo.close());

const orders = async (): Promise<ShopOrder[]> => (await fetch(`${demo.merchantUrl}/api/orders`)).json();

/** The README's curl flow: a signed order from the shop, posted to the gateway, paid at the cashier. */
async function payByHand(channel = 'ALI_WEB') {
  const body = await (await fetch(`${demo.merchantUrl}/api/new-order?channel=${channel}`)).json();
  const bill = await (
    await fetch(`${demo.gatewayUrl}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  ).json();
  expect(bill).toMatchObject({ result_code: 0 });
  const paid = await fetch(`${demo.gatewayUrl}/sandbox/cashier/${bill.id}/pay`, { method: 'POST', redirect: 'manual' });
  expect(paid.status).toBe(303);
  return { outTradeNo: body.out_trade_no as string, location: paid.headers.get('location') ?? '' };
}

describe('the demo merchant', () => {
  it('signs a fresh order on every shop page view and embeds the gateway script tag', async () => {
    const first = await (await fetch(demo.merchantUrl)).text();
    const second = await (await fetch(demo.merchantUrl)).text();
    const number = (page: string) => /"out_trade_no":"(\w+)"/.exec(page)?.[1];
    expect(number(first)).toMatch(/^demo\d+$/);
    expect(number(first)).not.toBe(number(second));
    expect(first).toContain(`${demo.gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${DEMO_APP.appId}`);
    expect(first).not.toContain(DEMO_APP.appSecret);
  });

  it('turns an order paid when the verified webhook arrives, and answers duplicates with success', async () => {
    const { outTradeNo, location } = await payByHand();
    expect(location).toContain(`${demo.merchantUrl}/return?order=${outTradeNo}`);
    await expect.poll(async () => (await orders()).find((o) => o.outTradeNo === outTradeNo)?.status).toBe('paid');
    const order = (await orders()).find((o) => o.outTradeNo === outTradeNo) as ShopOrder;
    expect(order).toMatchObject({ channel: 'ALI_WEB', webhooks: 1 });
    const page = await (await fetch(`${demo.merchantUrl}/orders`)).text();
    expect(page).toContain(outTradeNo);
    expect(page).toContain('已支付');
  });

  it('refuses a webhook with a forged signature or a fee that differs from the order', async () => {
    const body = await (await fetch(`${demo.merchantUrl}/api/new-order`)).json();
    const webhook = (fee: number, masterSecret: string) => {
      const fields = { app_id: DEMO_APP.appId, transaction_id: body.out_trade_no, transaction_type: 'PAY', channel_type: 'ALI', transaction_fee: fee };
      return JSON.stringify({
        ...fields,
        signature: signWebhook(fields, masterSecret),
        sign: '0'.repeat(32),
        timestamp: Date.now(),
        sub_channel_type: 'ALI_WEB',
        trade_success: true,
        message_detail: {},
        optional: {},
      });
    };
    const post = (text: string) => fetch(`${demo.merchantUrl}/webhook`, { method: 'POST', body: text, headers: { 'Content-Type': 'application/json' } });
    const forged = await post(webhook(body.amount, 'not-the-master-secret'));
    expect([forged.status, await forged.text()]).toEqual([400, 'fail']);
    const cheap = await post(webhook(1, DEMO_APP.masterSecret));
    expect([cheap.status, await cheap.text()]).toEqual([400, 'fail']);
    expect((await orders()).find((o) => o.outTradeNo === body.out_trade_no)?.status).toBe('unpaid');
    const genuine = await post(webhook(body.amount, DEMO_APP.masterSecret));
    expect([genuine.status, await genuine.text()]).toEqual([200, 'success']);
    const again = await post(webhook(body.amount, DEMO_APP.masterSecret));
    expect(await again.text()).toBe('success');
    const order = (await orders()).find((o) => o.outTradeNo === body.out_trade_no);
    expect(order).toMatchObject({ status: 'paid', webhooks: 2 });
  });

  it('serves its pages under the strict CSP that README recommends', async () => {
    const response = await fetch(demo.merchantUrl);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain(`form-action 'self' ${demo.gatewayUrl}`);
  });
});
