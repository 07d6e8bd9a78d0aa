import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../server-sign';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, loadApps, parseApps } from '../../apps';
import type { Bill } from '../../bills/bill';
import { type RunningGateway, startGateway } from '../../server';
import { collectingLog, newOrderNo, signedBill } from '../../testing/fixtures';
import { startReceiver, waitFor } from '../../testing/receiver';
import { createLivePayments, paidTradeOf, refundLive } from '../live-payments';
import { createChannelRegistry } from '../registry';
import { createAlipayConnector } from './alipay-connector';
import { parseAlipayCredentials } from './credentials';
import { type AlipayEmulator, generateRsaKeys, startAlipayEmulator } from './testing/alipay-emulator';

const ALIPAY_APP_ID = '2021000000000042';
const appKeys = generateRsaKeys();

let emulator: AlipayEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gateway: RunningGateway;
let lines: string[];
let app: App;

async function startStack(live: Parameters<typeof startGateway>[0]['live'] = {}, publicUrl?: string) {
  const collected = collectingLog();
  lines = collected.lines;
  gateway = await startGateway({ apps: [app], port: 0, ...(publicUrl === undefined ? {} : { publicUrl }), log: collected.log, webhookBackoffMs: 50, webhookPollMs: 100, live: { sweepMs: 0, queryIntervalMs: 0, channelTimeoutMs: 800, ...live } });
}

beforeEach(async () => {
  emulator = await startAlipayEmulator({ appId: ALIPAY_APP_ID, appPublicKey: appKeys.publicKey, notifyRetryMs: 30, notifyAttempts: 4 });
  receiver = await startReceiver((_attempt, res) => res.end('success'));
  app = {
    appId: 'spay-live-ali',
    appSecret: 'live-app-secret',
    masterSecret: 'live-master-secret',
    channels: ['ali'],
    webhookUrl: receiver.url,
    live: { alipay: parseAlipayCredentials({ appId: ALIPAY_APP_ID, privateKey: appKeys.privateKey, alipayPublicKey: emulator.alipayPublicKey, endpoint: emulator.endpoint }, 'test') },
  };
  await startStack();
});

afterEach(async () => {
  await gateway.close();
  await emulator.close();
  await receiver.close();
});

async function placeBill(overrides: Record<string, unknown> = {}) {
  const body = signedBill({ channel: 'ALI_WEB', amount: 6800, return_url: 'https://shop.example/return', ...overrides }, app);
  const response = await fetch(`${gateway.url}/1/pay/jsbutton/bill`, { method: 'POST', body: JSON.stringify(body) });
  return { order: body, answer: (await response.json()) as Record<string, string | number> };
}

/** The buyer's browser follows the answer's link to Alipay's cashier. */
async function openCashier(answer: Record<string, string | number>): Promise<string> {
  return (await fetch(String(answer.url))).text();
}

async function billOf(id: string): Promise<Bill> {
  return (await gateway.gateway.store.getBill(id)) as Bill;
}

function webhooks() {
  return receiver.received.map((received) => JSON.parse(received.body) as Record<string, unknown>);
}

function notifyUrl() {
  return `${gateway.url}/notify/alipay/${app.appId}`;
}

function paidNotify(outTradeNo: string, totalAmount: string): Record<string, string> {
  return {
    notify_time: '2026-12-02 08:00:00',
    notify_type: 'trade_status_sync',
    notify_id: 'n1',
    app_id: ALIPAY_APP_ID,
    charset: 'utf-8',
    version: '1.0',
    trade_no: '2026120222001400000000000001',
    out_trade_no: outTradeNo,
    trade_status: 'TRADE_SUCCESS',
    total_amount: totalAmount,
  };
}

describe('a live Alipay app', () => {
  it.each([
    [1, '0.01'],
    [198999, '1989.99'],
    [100000000, '1000000.00'],
  ])('pays %i fen (total_amount %s) and sends one verified webhook', async (fee, yuan) => {
    const { order, answer } = await placeBill({ amount: fee });
    expect(answer).toMatchObject({ result_code: 0, channel: 'ALI_WEB' });
    expect(String(answer.html)).toContain(emulator.endpoint);
    expect(await openCashier(answer)).toContain(`¥${yuan}`);
    const outTradeNo = String(order.out_trade_no);
    await emulator.pay(outTradeNo);
    await waitFor(() => receiver.received.length === 1);
    await emulator.settled();
    expect(emulator.notifies.map((n) => n.answer)).toEqual(['success']);
    const [hook] = webhooks();
    expect(verifyWebhook(hook, app.masterSecret).ok).toBe(true);
    expect(hook).toMatchObject({ transaction_id: outTradeNo, transaction_fee: fee, channel_type: 'ALI', sub_channel_type: 'ALI_WEB' });
    expect(hook?.message_detail).toMatchObject({ sandbox: false, total_amount: yuan, trade_no: emulator.trades.get(outTradeNo)?.tradeNo });
    expect((await billOf(String(answer.id))).status).toBe('PAID');
  });

  it('refuses forged, tampered-amount, foreign and unknown notifies, and answers a repeated one success without a second webhook', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    const outTradeNo = String(order.out_trade_no);
    const stranger = generateRsaKeys().privateKey;
    expect(await emulator.sendNotify(notifyUrl(), paidNotify(outTradeNo, '68.00'), stranger)).toBe('fail');
    expect(await emulator.sendNotify(notifyUrl(), paidNotify(outTradeNo, '0.01'))).toBe('fail');
    expect(await emulator.sendNotify(notifyUrl(), { ...paidNotify(outTradeNo, '68.00'), app_id: '2021000000009999' })).toBe('fail');
    expect(await emulator.sendNotify(notifyUrl(), paidNotify(newOrderNo(), '68.00'))).toBe('fail');
    expect(await emulator.sendNotify(`${gateway.url}/notify/alipay/nosuchapp`, paidNotify(outTradeNo, '68.00'))).toBe('fail');
    expect((await billOf(String(answer.id))).status).toBe('UNPAID');

    expect(await emulator.sendNotify(notifyUrl(), paidNotify(outTradeNo, '68.00'))).toBe('success');
    expect(await emulator.sendNotify(notifyUrl(), paidNotify(outTradeNo, '68.00'))).toBe('success');
    await waitFor(() => receiver.received.length === 1);
    await gateway.gateway.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
    expect((await billOf(String(answer.id))).status).toBe('PAID');
    expect(lines.join('\n')).toMatch(/refused: the signature does not verify/);
  });

  it('reconciles a lost notify by query when the widget polls the bill', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    emulator.loseNotifies(String(order.out_trade_no));
    await emulator.pay(String(order.out_trade_no));
    const status = await (await fetch(`${gateway.url}/1/pay/jsbutton/bill/${answer.id}`)).json();
    expect(status).toMatchObject({ pay_result: true, status: 'PAID' });
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ transaction_fee: 6800 });
    expect(emulator.requests.some((request) => request.method === 'alipay.trade.query')).toBe(true);
  });

  it('reconciles a lost notify in the sweep of recent unpaid bills', async () => {
    await gateway.close();
    await startStack({ sweepMs: 100 });
    const { order, answer } = await placeBill();
    await openCashier(answer);
    emulator.loseNotifies(String(order.out_trade_no));
    await emulator.pay(String(order.out_trade_no));
    await waitFor(() => receiver.received.length === 1, 5000);
    expect((await billOf(String(answer.id))).status).toBe('PAID');
  });

  it('does not query more often than the query interval', async () => {
    await gateway.close();
    await startStack({ queryIntervalMs: 60_000 });
    const { answer } = await placeBill();
    await openCashier(answer);
    for (let i = 0; i < 5; i++) await fetch(`${gateway.url}/1/pay/jsbutton/bill/${answer.id}`);
    expect(emulator.requests.filter((request) => request.method === 'alipay.trade.query')).toHaveLength(1);
  });

  it('hands Alipay notify and return URLs under SPAY_PUBLIC_URL', async () => {
    await gateway.close();
    await startStack({}, 'https://pay.example.com');
    const { answer } = await placeBill();
    const url = new URL(String(answer.url));
    expect(url.searchParams.get('notify_url')).toBe(`https://pay.example.com/notify/alipay/${app.appId}`);
    expect(url.searchParams.get('return_url')).toBe(`https://pay.example.com/return/alipay/${app.appId}/${answer.id}`);
    expect(String(answer.html)).toContain('notify_url=https%3A%2F%2Fpay.example.com%2Fnotify%2Falipay%2F');
  });

  it('keeps test-mode bills and the sandbox’s channels off Alipay', () => {
    const live = createLivePayments(createChannelRegistry([app]));
    expect(live.connectorFor({ app_id: app.appId }, 'ALI_WEB')?.family).toBe('ALI');
    expect(live.connectorFor({ app_id: app.appId, mode: 'test' }, 'ALI_WEB')).toBeUndefined();
    expect(live.connectorFor({ app_id: app.appId }, 'WX_NATIVE')).toBeUndefined();
    expect(live.connectorFor({ app_id: 'another-app' }, 'ALI_WAP')).toBeUndefined();
  });

  it('closes the open trade when the buyer switches channel, and starts the next under a number of its own', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    const outTradeNo = String(order.out_trade_no);
    const again = await placeBill({ out_trade_no: outTradeNo, channel: 'ALI_WAP' });
    expect(again.answer).toMatchObject({ result_code: 0, id: answer.id, channel: 'ALI_WAP' });
    expect(emulator.trades.get(outTradeNo)?.status).toBe('TRADE_CLOSED');
    expect(await openCashier(again.answer)).toContain('QUICK_WAP_WAY');
    expect(emulator.trades.get(`${outTradeNo}_R1`)?.status).toBe('WAIT_BUYER_PAY');
    await emulator.pay(`${outTradeNo}_R1`);
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ transaction_id: outTradeNo, sub_channel_type: 'ALI_WAP', transaction_fee: 6800 });
    expect((await billOf(String(answer.id))).trades?.map((trade) => [trade.trade_no, trade.state])).toEqual([
      [outTradeNo, 'closed'],
      [`${outTradeNo}_R1`, 'paid'],
    ]);
  });

  it('closes the open Alipay trade when the buyer switches to a channel the sandbox plays', async () => {
    await gateway.close();
    app = { ...app, channels: ['ali', 'un'] };
    await startStack();
    const { order, answer } = await placeBill();
    await openCashier(answer);
    const again = await placeBill({ out_trade_no: order.out_trade_no, channel: 'UN_WEB' });
    expect(again.answer).toMatchObject({ result_code: 0, id: answer.id });
    expect(String(again.answer.html)).toContain('/sandbox/cashier/');
    expect(emulator.trades.get(String(order.out_trade_no))?.status).toBe('TRADE_CLOSED');
    expect((await billOf(String(answer.id))).trades?.map((trade) => trade.state)).toEqual(['closed']);
  });

  it('keeps the merchant’s number when Alipay never made the trade', async () => {
    const { order, answer } = await placeBill();
    const again = await placeBill({ out_trade_no: order.out_trade_no, channel: 'ALI_WAP' });
    expect(again.answer).toMatchObject({ result_code: 0 });
    await openCashier(again.answer);
    expect(emulator.trades.has(String(order.out_trade_no))).toBe(true);
    expect((await billOf(String(answer.id))).trades?.map((trade) => trade.trade_no)).toEqual([order.out_trade_no]);
  });

  it('marks the bill paid and starts no new trade when the trade it closes was paid meanwhile', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    emulator.loseNotifies(String(order.out_trade_no));
    await emulator.pay(String(order.out_trade_no));
    const again = await placeBill({ out_trade_no: order.out_trade_no, channel: 'ALI_WAP' });
    expect(again.answer).toMatchObject({ result_msg: 'PARAM_INVALID' });
    expect(String(again.answer.err_detail)).toContain('already paid');
    await waitFor(() => receiver.received.length === 1);
    expect(emulator.trades.has(`${order.out_trade_no}_R1`)).toBe(false);
    expect((await billOf(String(answer.id))).status).toBe('PAID');
  });

  it('refunds a payment that still arrives on a closed trade, logs it and reports it in the webhook', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    const outTradeNo = String(order.out_trade_no);
    const again = await placeBill({ out_trade_no: outTradeNo, channel: 'ALI_WAP' });
    await openCashier(again.answer);
    // The buyer's first cashier takes the money after all (a payment racing the close).
    await emulator.pay(outTradeNo, { force: true });
    await emulator.settled();
    await waitFor(() => (emulator.trades.get(outTradeNo)?.refunds.size ?? 0) === 1);
    expect([...(emulator.trades.get(outTradeNo)?.refunds.values() ?? [])].map((refund) => refund.amount)).toEqual(['68.00']);
    expect((await billOf(String(answer.id))).status).toBe('UNPAID');
    expect(lines.join('\n')).toMatch(/superseded trade .* was refunded/);
    await emulator.pay(`${outTradeNo}_R1`);
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]?.message_detail).toMatchObject({ late_payments: [{ trade_no: outTradeNo, fee: 6800, refund_state: 'success' }] });
  });

  it('answers CHANNEL_ERROR with Alipay’s sub_msg when the close is refused, and when Alipay does not answer', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    emulator.failNext('alipay.trade.close', { subCode: 'ACQ.SYSTEM_ERROR', subMsg: '系统繁忙' });
    const refused = await placeBill({ out_trade_no: order.out_trade_no, channel: 'ALI_WAP' });
    expect(refused.answer).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(refused.answer.err_detail)).toContain('ACQ.SYSTEM_ERROR');
    expect(String(refused.answer.err_detail)).toContain('系统繁忙');
    emulator.failNext('alipay.trade.query', 'hang');
    const timedOut = await placeBill({ out_trade_no: order.out_trade_no, channel: 'ALI_WAP' });
    expect(timedOut.answer).toMatchObject({ result_code: 7 });
    expect(String(timedOut.answer.err_detail)).toContain('ALIPAY_TIMEOUT');
    expect(emulator.trades.get(String(order.out_trade_no))?.status).toBe('WAIT_BUYER_PAY');
  });

  it('sends the buyer back through its own return (verified, then a query) to the merchant’s return_url', async () => {
    const { order, answer } = await placeBill();
    const cashier = await openCashier(answer);
    const action = /action="([^"]+)"/.exec(cashier)?.[1]?.replaceAll('&#38;', '&') ?? '';
    emulator.loseNotifies(String(order.out_trade_no));
    const paid = await fetch(action, { method: 'POST', redirect: 'manual' });
    const back = new URL(paid.headers.get('location') ?? '');
    expect(back.pathname).toBe(`/return/alipay/${app.appId}/${answer.id}`);
    expect(back.searchParams.get('sign')).toBeTruthy();
    const returned = await fetch(back, { redirect: 'manual' });
    expect(returned.status).toBe(302);
    const merchant = new URL(returned.headers.get('location') ?? '');
    expect(merchant.origin + merchant.pathname).toBe('https://shop.example/return');
    expect(merchant.searchParams.get('trade_success')).toBe('true');
    expect((await billOf(String(answer.id))).status).toBe('PAID');
  });

  it('never marks a bill paid on a sync return alone', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    // A well-signed return for a trade Alipay says is unpaid: the gateway's query decides.
    const forged = new URL(`${gateway.url}/return/alipay/${app.appId}/${answer.id}`);
    for (const [key, value] of Object.entries({ ...paidNotify(String(order.out_trade_no), '68.00'), method: 'alipay.trade.page.pay.return', sign: 'AAAA' })) forged.searchParams.set(key, value);
    const returned = await fetch(forged, { redirect: 'manual' });
    expect(new URL(returned.headers.get('location') ?? '').searchParams.get('trade_success')).toBe('false');
    expect((await billOf(String(answer.id))).status).toBe('UNPAID');
  });

  it('confirms a refund when Alipay notifies it, and sends the refund webhook', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    await emulator.pay(String(order.out_trade_no));
    await waitFor(() => receiver.received.length === 1);
    const bill = await billOf(String(answer.id));
    const created = await gateway.gateway.store.createRefund({
      id: 'refund-id-1', app_id: app.appId, mode: 'live', refund_no: 'R2026120200001', bill_id: bill.id, out_trade_no: bill.out_trade_no, refund_fee: 1800, status: 'PENDING', created_at: new Date().toISOString(),
    });
    if (created.outcome !== 'created') throw new Error(`expected the refund created, got ${created.outcome}`);
    // The REST refund route is another branch's: call the connector as it will, and let Alipay's refund notify confirm.
    const connector = createAlipayConnector(app.live?.alipay as NonNullable<NonNullable<App['live']>['alipay']>);
    expect(await connector.refund(String(order.out_trade_no), bill, created.refund)).toMatchObject({ state: 'success', fee: 1800 });
    await waitFor(() => receiver.received.length === 2);
    expect(webhooks()[1]).toMatchObject({ transaction_type: 'REFUND', transaction_id: 'R2026120200001', transaction_fee: 1800 });
    expect((await gateway.gateway.store.getRefund('refund-id-1'))?.status).toBe('SUCCESS');
  });

  it('refunds a paid bill in two parts at Alipay, under the trade it was paid with, each confirmed with its webhook', async () => {
    const { order, answer } = await placeBill();
    await openCashier(answer);
    const again = await placeBill({ out_trade_no: order.out_trade_no, channel: 'ALI_WAP' });
    await openCashier(again.answer);
    await emulator.pay(`${order.out_trade_no}_R1`);
    await waitFor(() => receiver.received.length === 1);
    const bill = await billOf(String(answer.id));
    // What the REST refund route will do: the store accepts the refund, the channel makes it.
    const context = {
      apps: new Map([[app.appId, app]]),
      store: gateway.gateway.store,
      webhooks: { kick() {}, pending: async () => 0, idle: async () => {}, close() {} },
      widget: undefined as never,
      log: () => {},
      live: createLivePayments(createChannelRegistry([app])),
    };
    const trade = paidTradeOf(bill);
    const connector = trade === undefined ? undefined : context.live.connectorFor(bill, trade.channel);
    if (trade === undefined || connector === undefined) throw new Error('expected the bill paid at Alipay');
    const refunds = [];
    for (const [refundNo, fee] of [['R20261202A', 3000], ['R20261202B', 3800]] as const) {
      const created = await gateway.gateway.store.createRefund({
        id: `id-${refundNo}`, app_id: app.appId, mode: 'live', refund_no: refundNo, bill_id: bill.id, out_trade_no: bill.out_trade_no, refund_fee: fee, status: 'PENDING', created_at: new Date().toISOString(),
      });
      if (created.outcome !== 'created') throw new Error(`expected the refund created, got ${created.outcome}`);
      expect((await refundLive(context, connector, trade.trade_no, bill, created.refund, new Date())).refund).toMatchObject({ status: 'SUCCESS', refund_fee: fee });
      refunds.push(created.refund);
    }
    expect([...(emulator.trades.get(`${order.out_trade_no}_R1`)?.refunds.keys() ?? [])]).toEqual(['R20261202A', 'R20261202B']);
    expect(await connector.queryRefund(trade.trade_no, bill, refunds[0] as never)).toMatchObject({ state: 'success', fee: 3000 });
    expect((await billOf(bill.id)).refunded_fee).toBe(6800);
    expect((await gateway.gateway.store.createRefund({ ...(refunds[0] as never as object), id: 'id-C', refund_no: 'R20261202C', refund_fee: 1 } as never)).outcome).toBe('too_large');
    await waitFor(() => receiver.received.length === 3, 8000);
    await emulator.settled();
    expect(webhooks().map((hook) => [hook.transaction_type, hook.transaction_fee])).toEqual([['PAY', 6800], ['REFUND', 3000], ['REFUND', 3800]]);
  });

  it('starts apps without live.alipay on the sandbox, unchanged', async () => {
    await gateway.close();
    const sandboxApp: App = { ...app, live: undefined };
    delete sandboxApp.live;
    app = sandboxApp;
    await startStack();
    const { answer } = await placeBill();
    expect(String(answer.url)).toContain('/sandbox/cashier/');
    expect(emulator.requests).toHaveLength(0);
  });

  it('never logs a key', () => {
    expect(lines.join('\n')).not.toMatch(/PRIVATE KEY|MII/);
  });
});

describe('the apps file live.alipay entry', () => {
  const base = { appId: 'a1', appSecret: 's', masterSecret: 'm', channels: ['ali'] };
  it('parses a complete entry and defaults the endpoint', () => {
    const [parsed] = parseApps([{ ...base, live: { alipay: { appId: ALIPAY_APP_ID, privateKey: appKeys.privateKey, alipayPublicKey: appKeys.publicKey } } }]);
    expect(parsed?.live?.alipay?.endpoint).toBe('https://openapi.alipay.com/gateway.do');
  });

  it.each([
    ['a missing field', { appId: ALIPAY_APP_ID, privateKey: appKeys.privateKey }, 'apps[0].live.alipay.alipayPublicKey'],
    ['a key that does not parse', { appId: ALIPAY_APP_ID, privateKey: 'MIIB' + 'A'.repeat(200), alipayPublicKey: appKeys.publicKey }, 'apps[0].live.alipay.privateKey does not parse'],
  ])('stops the start on %s, naming the app and the field', (_label, alipay, message) => {
    expect(() => parseApps([{ ...base, live: { alipay } }])).toThrow(message);
  });

  it('stops the gateway from starting with the file, the app and the field named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spay-alipay-'));
    try {
      const file = join(dir, 'apps.json');
      writeFileSync(file, JSON.stringify([{ ...base, appId: 'shop-1', live: { alipay: { appId: ALIPAY_APP_ID, privateKey: join(dir, 'missing.pem'), alipayPublicKey: appKeys.publicKey } } }]));
      expect(() => loadApps({ SPAY_APPS: file })).toThrow(/apps\.json: apps\[0\]\.live\.alipay\.privateKey names the file .*missing\.pem.* \(app "shop-1"\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a live family it does not know', () => {
    expect(() => parseApps([{ ...base, live: { paypal: {} } }])).toThrow('apps[0].live.paypal');
  });
});
