import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopOrder } from './orders';
import { type RunningDemo, startDemo } from './server';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemo({ webhookBackoffMs: 20, log: () => {} });
});
afterAll(() => demo.close());

const order = async (outTradeNo: string): Promise<ShopOrder | undefined> =>
  ((await (await fetch(`${demo.merchantUrl}/api/orders`)).json()) as ShopOrder[]).find((item) => item.outTradeNo === outTradeNo);

async function paidOrder(): Promise<string> {
  const body = await (await fetch(`${demo.merchantUrl}/api/new-order?channel=ALI_WEB`)).json();
  const bill = await (await fetch(`${demo.gatewayUrl}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
  await fetch(`${demo.gatewayUrl}/sandbox/cashier/${bill.id}/pay`, { method: 'POST', redirect: 'manual' });
  await expect.poll(async () => (await order(body.out_trade_no))?.status).toBe('paid');
  return body.out_trade_no as string;
}

describe('the demo shop refunds an order by REST', () => {
  it('asks the gateway for the refund and shows it refunded once the verified REFUND webhook arrives', async () => {
    const outTradeNo = await paidOrder();
    const before = await (await fetch(`${demo.merchantUrl}/orders`)).text();
    expect(before).toContain(`action="/orders/${outTradeNo}/refund"`);
    const asked = await fetch(`${demo.merchantUrl}/orders/${outTradeNo}/refund`, { method: 'POST', redirect: 'manual' });
    expect([asked.status, asked.headers.get('location')]).toEqual([303, '/orders']);
    await expect.poll(async () => (await order(outTradeNo))?.refunds[0]?.status).toBe('refunded');
    expect((await order(outTradeNo))?.refunds).toEqual([expect.objectContaining({ fee: 6800, refundNo: expect.stringMatching(/^\d{8}\d{12}$/) })]);
    const after = await (await fetch(`${demo.merchantUrl}/orders`)).text();
    expect(after).toContain('已退款 ¥68.00');
    expect(after).not.toContain(`action="/orders/${outTradeNo}/refund"`);
  });

  it('refuses to refund an unpaid order, saying why', async () => {
    const body = await (await fetch(`${demo.merchantUrl}/api/new-order`)).json();
    const asked = await fetch(`${demo.merchantUrl}/orders/${body.out_trade_no}/refund`, { method: 'POST', redirect: 'manual' });
    expect(asked.headers.get('location')).toMatch(/^\/orders\?refund_error=/);
    expect((await order(body.out_trade_no))?.refunds).toEqual([]);
  });
});
