import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../server-sign';
import { type App, loadApps, parseApps } from '../../apps';
import type { Bill } from '../../bills/bill';
import { type RunningGateway, startGateway } from '../../server';
import { collectingLog, newOrderNo, signedBill } from '../../testing/fixtures';
import { newRefundNo, restGet, restPost, restSigned } from '../../testing/rest-calls';
import { startReceiver, waitFor } from '../../testing/receiver';
import { parseAlipayCredentials } from '../alipay/credentials';
import { generateRsaKeys, startAlipayEmulator } from '../alipay/testing/alipay-emulator';
import { parseUnionpayConfig } from './config';
import { type UnionpayEmulator, startUnionpayEmulator } from './testing/emulator';
import { readForm } from './testing/form';
import { type UnionpayTestCa, loadUnionpayTestCa } from './testing/test-ca';

const MER_ID = '777290058110048';
let ca: UnionpayTestCa;
let dir: string;
let emulator: UnionpayEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gateway: RunningGateway;
let lines: string[];
let app: App;

function unionpayEntry(extra: Record<string, unknown> = {}) {
  return { merId: MER_ID, signCert: 'sign.pfx', signCertPassword: ca.merchant.password, rootCert: ca.root.certPem, middleCert: ca.middle.certPem, endpoint: emulator.url, ...extra };
}

async function startStack(options: { publicUrl?: string; alipay?: App['live'] } = {}) {
  const collected = collectingLog();
  lines = collected.lines;
  app = {
    appId: 'spay-live-un',
    appSecret: 'live-un-app-secret',
    masterSecret: 'live-un-master-secret',
    channels: ['un', 'unwap', 'ali'],
    webhookUrl: receiver.url,
    live: { unionpay: parseUnionpayConfig(unionpayEntry(), 'apps[0].live.unionpay', { baseDir: dir }), ...options.alipay },
  };
  gateway = await startGateway({
    apps: [app],
    port: 0,
    log: collected.log,
    webhookBackoffMs: 50,
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    live: { sweepMs: 0, queryIntervalMs: 0, channelTimeoutMs: 800 },
  });
}

beforeAll(() => {
  ca = loadUnionpayTestCa();
  dir = mkdtempSync(join(tmpdir(), 'spay-unionpay-gateway-'));
  writeFileSync(join(dir, 'sign.pfx'), ca.merchant.pfx);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  emulator = await startUnionpayEmulator({
    merchants: [{ merId: MER_ID, certPem: ca.merchant.certPem }],
    signer: { certPem: ca.unionpay.certPem, keyPem: ca.unionpay.keyPem },
    notifyRetryDelaysMs: [20, 40],
  });
  receiver = await startReceiver((_attempt, res) => res.end('success'));
  await startStack();
});

afterEach(async () => {
  await gateway.close();
  await emulator.close();
  await receiver.close();
});

async function buttonBill(overrides: Record<string, unknown> = {}) {
  const body = signedBill({ channel: 'UN_WEB', amount: 6800, return_url: 'https://shop.example/return', ...overrides }, app);
  const response = await fetch(`${gateway.url}/1/pay/jsbutton/bill`, { method: 'POST', body: JSON.stringify(body) });
  return { order: body, answer: (await response.json()) as Record<string, string | number> };
}

async function restBill(fields: Record<string, unknown>) {
  const body = restSigned({ title: '测试商品', total_fee: 6800, bill_no: newOrderNo(), return_url: 'https://shop.example/return', ...fields }, 'app', app);
  const response = await fetch(restPost(gateway.url, '/2/rest/bill', body));
  return { body, answer: (await response.json()) as Record<string, string | number> };
}

async function restRefund(billNo: string, refundFee: number, refundNo = newRefundNo()) {
  const body = restSigned({ refund_no: refundNo, bill_no: billNo, refund_fee: refundFee }, 'master', app);
  const response = await fetch(restPost(gateway.url, '/2/rest/refund', body));
  return { refundNo, answer: (await response.json()) as Record<string, string | number> };
}

async function refundStatus(refundNo: string) {
  return (await (await fetch(restGet(gateway.url, '/2/rest/refund/status', restSigned({ refund_no: refundNo }, 'app', app)))).json()) as Record<string, unknown>;
}

/** The buyer's browser submits the answer's form to UnionPay's cashier, and presses 确认付款; the page that returns the buyer. */
async function payAtCashier(html: string): Promise<string> {
  const form = readForm(html);
  const cashier = await (await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) })).text();
  expect(cashier).toContain('确认付款');
  const button = readForm(cashier);
  return (await fetch(new URL(button.action, emulator.url), { method: 'POST', body: new URLSearchParams(button.fields) })).text();
}

async function openCashier(html: string): Promise<void> {
  const form = readForm(html);
  expect(await (await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) })).text()).toContain('确认付款');
}

async function billOf(id: string | number): Promise<Bill> {
  return (await gateway.gateway.store.getBill(String(id))) as Bill;
}

function webhooks() {
  return receiver.received.map((received) => JSON.parse(received.body) as Record<string, unknown>);
}

function notifyUrl() {
  return `${gateway.url}/notify/unionpay/${app.appId}`;
}

async function postNotify(fields: Record<string, string>) {
  const reply = await fetch(notifyUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: new URLSearchParams(fields).toString() });
  return { status: reply.status, text: await reply.text() };
}

describe('a live UnionPay app', () => {
  it('pays a PC (UN_WEB) bill through the cashier: notify answered ok, one webhook, the buyer returned by POST to the merchant', async () => {
    const { order, answer } = await buttonBill();
    expect(answer).toMatchObject({ result_code: 0, channel: 'UN_WEB' });
    const form = readForm(String(answer.html));
    expect(form).toMatchObject({ id: 'pay_form', action: `${emulator.url}/gateway/api/frontTransReq.do` });
    expect(form.fields).toMatchObject({ orderId: order.out_trade_no, txnAmt: '6800', channelType: '07', backUrl: notifyUrl(), frontUrl: `${gateway.url}/return/unionpay/${app.appId}/${answer.id}` });
    const back = await payAtCashier(String(answer.html));
    await waitFor(() => receiver.received.length === 1);
    await emulator.settled();
    expect(emulator.notifies.map((notify) => notify.status)).toEqual([200]);
    const [hook] = webhooks();
    expect(verifyWebhook(hook, app.masterSecret).ok).toBe(true);
    expect(hook).toMatchObject({ transaction_id: order.out_trade_no, transaction_fee: 6800, channel_type: 'UN', sub_channel_type: 'UN_WEB' });
    expect(hook?.message_detail).toMatchObject({ queryId: emulator.find(String(order.out_trade_no))?.queryId, txnAmt: '6800' });
    // UnionPay POSTs the signed result to frontUrl; the gateway verifies, queries, and sends the buyer on.
    const returnForm = readForm(back);
    expect(returnForm.action).toBe(`${gateway.url}/return/unionpay/${app.appId}/${answer.id}`);
    const returned = await fetch(returnForm.action, { method: 'POST', body: new URLSearchParams(returnForm.fields), redirect: 'manual' });
    expect(returned.status).toBe(303);
    const merchant = new URL(returned.headers.get('location') ?? '');
    expect(merchant.origin + merchant.pathname).toBe('https://shop.example/return');
    expect(merchant.searchParams.get('trade_success')).toBe('true');
    expect((await billOf(answer.id as string)).status).toBe('PAID');
  });

  it('pays a UN_WAP bill made by REST (channelType 08)', async () => {
    const { body, answer } = await restBill({ channel: 'UN_WAP' });
    expect(answer).toMatchObject({ result_code: 0 });
    expect(readForm(String(answer.html)).fields.channelType).toBe('08');
    await payAtCashier(String(answer.html));
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ transaction_id: body.bill_no, sub_channel_type: 'UN_WAP' });
  });

  it('refuses forged, foreign-certificate, mismatched and unknown notifies, and answers a repeated one ok without a second webhook', async () => {
    const { order, answer } = await buttonBill();
    const outTradeNo = String(order.out_trade_no);
    await payAtCashier(String(answer.html));
    await waitFor(() => receiver.received.length === 1);
    await emulator.settled();
    const genuine = emulator.notifies[0]?.fields as Record<string, string>;
    const unsigned = Object.fromEntries(Object.entries(genuine).filter(([name]) => name !== 'signature' && name !== 'signPubKeyCert'));
    const refusals = [
      emulator.sign(unsigned, { certPem: ca.rogue.certPem, keyPem: ca.rogue.keyPem }),
      emulator.sign(unsigned, { certPem: ca.wrongCn.certPem, keyPem: ca.wrongCn.keyPem }),
      { ...genuine, txnAmt: '1' },
      emulator.sign({ ...unsigned, txnAmt: '1' }),
      emulator.sign({ ...unsigned, merId: '777290058119999' }),
      emulator.sign({ ...unsigned, orderId: newOrderNo() }),
    ];
    for (const fields of refusals) expect((await postNotify(fields)).status).toBe(500);
    expect(await postNotify(genuine)).toEqual({ status: 200, text: 'ok' });
    await gateway.gateway.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.received).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/unionpay notify for app spay-live-un refused/);
    expect(lines.join('\n')).toMatch(/does not match the bill/);
    expect(outTradeNo).toBe(genuine.orderId);
  });

  it('reconciles a lost notify by query when the widget polls, and never marks a bill paid on a return alone', async () => {
    await gateway.close();
    await startStack({ publicUrl: 'http://gateway.invalid' });
    const { order, answer } = await buttonBill();
    const form = readForm(String(answer.html));
    expect(form.fields.backUrl).toBe(`http://gateway.invalid/notify/unionpay/${app.appId}`);
    await openCashier(String(answer.html));
    // A return signed by UnionPay while the order is unpaid: the gateway's query decides, not the return.
    const forgedReturn = emulator.sign({ version: '5.1.0', encoding: 'utf-8', signMethod: '01', txnType: '01', merId: MER_ID, orderId: String(order.out_trade_no), txnAmt: '6800', respCode: '00', respMsg: 'ok' });
    const early = await fetch(`${gateway.url}/return/unionpay/${app.appId}/${answer.id}`, { method: 'POST', body: new URLSearchParams(forgedReturn), redirect: 'manual' });
    expect(new URL(early.headers.get('location') ?? '').searchParams.get('trade_success')).toBe('false');
    expect((await billOf(answer.id as string)).status).toBe('UNPAID');

    const cashierForm = readForm(await (await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) })).text());
    await fetch(new URL(cashierForm.action, emulator.url), { method: 'POST', body: new URLSearchParams(cashierForm.fields) });
    await emulator.settled();
    expect(emulator.notifies.every((notify) => notify.status === undefined)).toBe(true);
    const status = await (await fetch(`${gateway.url}/1/pay/jsbutton/bill/${answer.id}`)).json();
    expect(status).toMatchObject({ pay_result: true, status: 'PAID' });
    await waitFor(() => receiver.received.length === 1);
    expect(emulator.requests.some((request) => request.path === '/gateway/api/queryTrans.do')).toBe(true);
  });

  it('keeps the order number when the buyer switches UN_WEB → UN_WAP before paying', async () => {
    const { order, answer } = await buttonBill();
    await openCashier(String(answer.html));
    const again = await buttonBill({ out_trade_no: order.out_trade_no, channel: 'UN_WAP' });
    expect(again.answer).toMatchObject({ result_code: 0, id: answer.id, channel: 'UN_WAP' });
    expect(readForm(String(again.answer.html)).fields.orderId).toBe(order.out_trade_no);
    await payAtCashier(String(again.answer.html));
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ sub_channel_type: 'UN_WAP' });
  });

  it('closes an open Alipay trade when the buyer switches to UnionPay, which pays under <bill_no>R1', async () => {
    const keys = generateRsaKeys();
    const alipay = await startAlipayEmulator({ appId: '2021000000000099', appPublicKey: keys.publicKey });
    try {
      await gateway.close();
      const credentials = parseAlipayCredentials({ appId: '2021000000000099', privateKey: keys.privateKey, alipayPublicKey: alipay.alipayPublicKey, endpoint: alipay.endpoint }, 'test');
      await startStack({ alipay: { alipay: credentials } });
      const first = await buttonBill({ channel: 'ALI_WEB' });
      const outTradeNo = String(first.order.out_trade_no);
      await fetch(String(first.answer.url));
      const second = await buttonBill({ out_trade_no: outTradeNo });
      expect(second.answer).toMatchObject({ result_code: 0, id: first.answer.id, channel: 'UN_WEB' });
      expect(alipay.trades.get(outTradeNo)?.status).toBe('TRADE_CLOSED');
      expect(readForm(String(second.answer.html)).fields.orderId).toBe(`${outTradeNo}R1`);
      await payAtCashier(String(second.answer.html));
      await waitFor(() => receiver.received.length === 1);
      expect(webhooks()[0]).toMatchObject({ transaction_id: outTradeNo, channel_type: 'UN', transaction_fee: 6800 });
      expect((await billOf(first.answer.id as string)).trades?.map((trade) => [trade.family, trade.trade_no, trade.state])).toEqual([
        ['ALI', outTradeNo, 'closed'],
        ['UN', `${outTradeNo}R1`, 'paid'],
      ]);
    } finally {
      await alipay.close();
    }
  });

  it('refunds in part through REST: PENDING until UnionPay’s refund notify, then SUCCESS with the refund webhook', async () => {
    const { order, answer } = await buttonBill();
    const outTradeNo = String(order.out_trade_no);
    await payAtCashier(String(answer.html));
    await waitFor(() => receiver.received.length === 1);
    const first = await restRefund(outTradeNo, 1800);
    expect(first.answer).toMatchObject({ result_code: 0 });
    const sent = emulator.find(first.refundNo, '04');
    expect(sent).toMatchObject({ txnAmt: 1800, origQryId: emulator.find(outTradeNo)?.queryId, reqReserved: outTradeNo, backUrl: notifyUrl() });
    await waitFor(() => receiver.received.length === 2);
    expect(webhooks()[1]).toMatchObject({ transaction_type: 'REFUND', transaction_id: first.refundNo, transaction_fee: 1800 });
    expect((await gateway.gateway.store.findRefund(app.appId, 'live', first.refundNo))?.status).toBe('SUCCESS');
    expect(await refundStatus(first.refundNo)).toMatchObject({ refund_status: 'SUCCESS' });

    expect((await restRefund(outTradeNo, 5001)).answer).toMatchObject({ result_msg: 'REFUND_AMOUNT_TOO_LARGE' });
    const second = await restRefund(outTradeNo, 5000);
    expect(second.answer).toMatchObject({ result_code: 0 });
    await waitFor(() => receiver.received.length === 3);
    expect(webhooks()[2]).toMatchObject({ transaction_id: second.refundNo, transaction_fee: 5000 });
  });

  it('answers CHANNEL_ERROR with UnionPay’s respMsg: a refusal fails the refund, a timeout leaves it PENDING until the status query', async () => {
    const { order, answer } = await buttonBill();
    const outTradeNo = String(order.out_trade_no);
    await payAtCashier(String(answer.html));
    await waitFor(() => receiver.received.length === 1);
    emulator.inject('back', { respCode: '61', respMsg: '商户状态不正确' });
    const refused = await restRefund(outTradeNo, 6800);
    expect(refused.answer).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(refused.answer.err_detail)).toContain('UnionPay 61: 商户状态不正确');
    expect((await gateway.gateway.store.findRefund(app.appId, 'live', refused.refundNo))?.status).toBe('FAILED');

    emulator.inject('back', { hang: true });
    const lost = await restRefund(outTradeNo, 6800);
    expect(lost.answer).toMatchObject({ result_code: 7 });
    expect(String(lost.answer.err_detail)).toContain('TIMEOUT');
    expect((await gateway.gateway.store.findRefund(app.appId, 'live', lost.refundNo))?.status).toBe('PENDING');
    // The status query asks UnionPay: the refund never reached it (respCode 34), so it failed and frees the fee.
    expect(await refundStatus(lost.refundNo)).toMatchObject({ refund_status: 'FAIL' });
    const full = await restRefund(outTradeNo, 6800);
    expect(full.answer).toMatchObject({ result_code: 0 });
    await waitFor(() => receiver.received.length === 2);
  });

  it('never logs a key', () => {
    expect(lines.join('\n')).not.toMatch(/PRIVATE KEY|MII/);
  });
});

describe('the apps file live.unionpay entry', () => {
  const base = { appId: 'u1', appSecret: 's', masterSecret: 'm', channels: ['un'] };

  it('stops the start on a missing merId and a wrong password, naming the app and the field', () => {
    const { merId: _merId, ...noMerId } = unionpayEntry();
    expect(() => parseApps([{ ...base, live: { unionpay: noMerId } }], { baseDir: dir })).toThrow('apps[0].live.unionpay.merId is missing');
    expect(() => parseApps([{ ...base, live: { unionpay: unionpayEntry({ signCertPassword: 'wrong' }) } }], { baseDir: dir })).toThrow(/apps\[0\]\.live\.unionpay\.signCertPassword/);
  });

  it('opens the .pfx relative to the apps file’s folder', () => {
    writeFileSync(join(dir, 'apps.json'), JSON.stringify([{ ...base, live: { unionpay: unionpayEntry() } }]));
    const [parsed] = loadApps({ SPAY_APPS: join(dir, 'apps.json') });
    expect(parsed?.live?.unionpay?.certId).toBe(ca.merchant.serial);
  });
});
