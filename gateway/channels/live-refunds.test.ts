import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../apps';
import { type RunningGateway, startGateway } from '../server';
import { collectingLog, newOrderNo, signedBill } from '../testing/fixtures';
import { newRefundNo, restGet, restPost, restSigned } from '../testing/rest-calls';
import { startReceiver, waitFor } from '../testing/receiver';
import { parseAlipayCredentials } from './alipay/credentials';
import { type AlipayEmulator, generateRsaKeys, startAlipayEmulator } from './alipay/testing/alipay-emulator';

const ALIPAY_APP_ID = '2021000000000088';
const keys = generateRsaKeys();

let emulator: AlipayEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gateway: RunningGateway;
let app: App;

beforeEach(async () => {
  emulator = await startAlipayEmulator({ appId: ALIPAY_APP_ID, appPublicKey: keys.publicKey, notifyRetryMs: 30, notifyAttempts: 3 });
  receiver = await startReceiver((_attempt, res) => res.end('success'));
  app = {
    appId: 'spay-live-refunds',
    appSecret: 'refunds-app-secret',
    masterSecret: 'refunds-master-secret',
    testSecret: 'refunds-test-secret',
    channels: ['ali', 'jd'],
    webhookUrl: receiver.url,
    live: { alipay: parseAlipayCredentials({ appId: ALIPAY_APP_ID, privateKey: keys.privateKey, alipayPublicKey: emulator.alipayPublicKey, endpoint: emulator.endpoint }, 'test') },
  };
  gateway = await startGateway({ apps: [app], port: 0, log: collectingLog().log, webhookBackoffMs: 50, live: { sweepMs: 0, queryIntervalMs: 0, channelTimeoutMs: 800 } });
});

afterEach(async () => {
  await gateway.close();
  await emulator.close();
  await receiver.close();
});

async function refund(billNo: string, fee: number, path = '/2/rest/refund', secret: 'master' | 'test' = 'master') {
  const refundNo = newRefundNo();
  const body = restSigned({ refund_no: refundNo, bill_no: billNo, refund_fee: fee }, secret, app);
  return { refundNo, answer: (await (await fetch(restPost(gateway.url, path, body))).json()) as Record<string, unknown> };
}

describe('REST refunds of live bills', () => {
  it('refunds an Alipay payment at Alipay in two parts, each SUCCESS with its webhook', async () => {
    const order = signedBill({ channel: 'ALI_WEB', amount: 6800, return_url: 'https://shop.example/r' }, app);
    const answer = (await (await fetch(`${gateway.url}/1/pay/jsbutton/bill`, { method: 'POST', body: JSON.stringify(order) })).json()) as Record<string, string>;
    await fetch(String(answer.url));
    await emulator.pay(String(order.out_trade_no));
    await waitFor(() => receiver.received.length === 1);
    const first = await refund(String(order.out_trade_no), 1800);
    expect(first.answer).toMatchObject({ result_code: 0 });
    const second = await refund(String(order.out_trade_no), 5000);
    expect(second.answer).toMatchObject({ result_code: 0 });
    await waitFor(() => receiver.received.length === 3);
    const refunds = [...(emulator.trades.get(String(order.out_trade_no))?.refunds.values() ?? [])].map((entry) => entry.amount);
    expect(refunds).toEqual(['18.00', '50.00']);
    const status = (await (await fetch(restGet(gateway.url, '/2/rest/refund/status', restSigned({ refund_no: second.refundNo }, 'app', app)))).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ refund_status: 'SUCCESS' });
    expect((await refund(String(order.out_trade_no), 1)).answer).toMatchObject({ result_msg: 'REFUND_AMOUNT_TOO_LARGE' });
  });

  it('leaves sandbox-played bills and test-mode bills with the sandbox', async () => {
    const jd = signedBill({ channel: 'JD_WEB', amount: 500, return_url: 'https://shop.example/r' }, app);
    const jdAnswer = (await (await fetch(`${gateway.url}/1/pay/jsbutton/bill`, { method: 'POST', body: JSON.stringify(jd) })).json()) as Record<string, string>;
    await fetch(`${gateway.url}/sandbox/cashier/${jdAnswer.id}/pay`, { method: 'POST', redirect: 'manual' });
    const sandboxRefund = await refund(String(jd.out_trade_no), 500);
    expect(sandboxRefund.answer).toMatchObject({ result_code: 0 });
    expect((await gateway.gateway.store.findRefund(app.appId, 'live', sandboxRefund.refundNo))?.channel_refund_no).toMatch(/^sandbox-refund-/);

    const billNo = newOrderNo();
    const test = restSigned({ channel: 'ALI_WEB', total_fee: 300, bill_no: billNo, title: '测试', return_url: 'https://shop.example/r' }, 'test', app);
    const testAnswer = (await (await fetch(restPost(gateway.url, '/2/rest/sandbox/bill', test))).json()) as Record<string, string>;
    expect(String(testAnswer.url)).toContain('/sandbox/cashier/');
    await fetch(`${gateway.url}/sandbox/cashier/${testAnswer.id}/pay`, { method: 'POST', redirect: 'manual' });
    expect((await refund(billNo, 300, '/2/rest/sandbox/refund', 'test')).answer).toMatchObject({ result_code: 0 });
    expect(emulator.requests.filter((request) => request.method === 'alipay.trade.refund')).toHaveLength(0);
  });

  it('refuses to let the sandbox cashier pay a bill a live channel takes', async () => {
    const order = signedBill({ channel: 'ALI_WEB', amount: 100, return_url: 'https://shop.example/r' }, app);
    const answer = (await (await fetch(`${gateway.url}/1/pay/jsbutton/bill`, { method: 'POST', body: JSON.stringify(order) })).json()) as Record<string, string>;
    const paid = await fetch(`${gateway.url}/sandbox/cashier/${answer.id}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(404);
    expect((await gateway.gateway.store.getBill(answer.id as string))?.status).toBe('UNPAID');
  });
});
