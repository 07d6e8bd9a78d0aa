import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../server-sign';
import { type App, loadApps, parseApps } from '../../apps';
import type { Bill } from '../../bills/bill';
import { type RunningGateway, startGateway } from '../../server';
import { collectingLog, newOrderNo, signedBill } from '../../testing/fixtures';
import { newRefundNo, restPost, restGet, restSigned } from '../../testing/rest-calls';
import { startReceiver, waitFor } from '../../testing/receiver';
import { parseAlipayCredentials } from '../alipay/credentials';
import { type AlipayEmulator, generateRsaKeys, startAlipayEmulator } from '../alipay/testing/alipay-emulator';
import { type WechatEmulator, startWechatEmulator } from './testing/emulator';
import { type TestMerchant, emulatorMerchant, liveWechatEntry, newTestMerchant, testWechatConfig } from './testing/merchant';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WECHAT_UA = `${IPHONE} MicroMessenger/8.0.50(0x1800323a) NetType/WIFI Language/zh_CN`;
const ALIPAY_APP_ID = '2021000000000077';
const aliKeys = generateRsaKeys();

let wechat: WechatEmulator;
let alipay: AlipayEmulator;
let merchant: TestMerchant;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gateway: RunningGateway;
let lines: string[];
let app: App;

async function startStack(options: { publicUrl?: string; h5?: boolean } = {}) {
  const collected = collectingLog();
  lines = collected.lines;
  app = {
    appId: 'spay-live-wx',
    appSecret: 'live-wx-app-secret',
    masterSecret: 'live-wx-master-secret',
    testSecret: 'live-wx-test-secret',
    channels: ['ali', 'wxmp', 'wx'],
    webhookUrl: receiver.url,
    live: {
      wechat: testWechatConfig(merchant, wechat, { h5: options.h5 ?? true }),
      alipay: parseAlipayCredentials({ appId: ALIPAY_APP_ID, privateKey: aliKeys.privateKey, alipayPublicKey: alipay.alipayPublicKey, endpoint: alipay.endpoint }, 'test'),
    },
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

beforeEach(async () => {
  merchant = newTestMerchant();
  wechat = await startWechatEmulator({ merchants: [emulatorMerchant(merchant)], notifyRetryDelaysMs: [30, 30, 30] });
  alipay = await startAlipayEmulator({ appId: ALIPAY_APP_ID, appPublicKey: aliKeys.publicKey, notifyRetryMs: 30, notifyAttempts: 3 });
  receiver = await startReceiver((_attempt, res) => res.end('success'));
  await startStack();
});

afterEach(async () => {
  await gateway.close();
  await wechat.close();
  await alipay.close();
  await receiver.close();
});

async function buttonBill(overrides: Record<string, unknown> = {}, userAgent?: string) {
  const body = signedBill({ channel: 'WX_NATIVE', amount: 6800, return_url: 'https://shop.example/return', ...overrides }, app);
  const headers: Record<string, string> = userAgent === undefined ? {} : { 'User-Agent': userAgent };
  const response = await fetch(`${gateway.url}/1/pay/jsbutton/bill`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { order: body, answer: (await response.json()) as Record<string, string | number> };
}

async function restBill(fields: Record<string, unknown>, path = '/2/rest/bill', secret: 'app' | 'test' = 'app') {
  const body = restSigned({ title: '测试商品', total_fee: 6800, bill_no: newOrderNo(), ...fields }, secret, app);
  const response = await fetch(restPost(gateway.url, path, body));
  return { body, answer: (await response.json()) as Record<string, string | number> };
}

async function restRefund(billNo: string, refundFee: number, refundNo = newRefundNo()) {
  const body = restSigned({ refund_no: refundNo, bill_no: billNo, refund_fee: refundFee }, 'master', app);
  const response = await fetch(restPost(gateway.url, '/2/rest/refund', body));
  return { refundNo, answer: (await response.json()) as Record<string, string | number> };
}

async function refundStatus(refundNo: string) {
  const response = await fetch(restGet(gateway.url, '/2/rest/refund/status', restSigned({ refund_no: refundNo }, 'app', app)));
  return (await response.json()) as Record<string, string | number>;
}

async function billOf(id: string | number): Promise<Bill> {
  return (await gateway.gateway.store.getBill(String(id))) as Bill;
}

function webhooks() {
  return receiver.received.map((received) => JSON.parse(received.body) as Record<string, unknown>);
}

function notifyUrl() {
  return `${gateway.url}/notify/wechat/${app.appId}`;
}

async function post(built: { headers: Record<string, string>; body: Buffer }, url = notifyUrl()) {
  return fetch(url, { method: 'POST', headers: built.headers, body: new Uint8Array(built.body) });
}

describe('a live WeChat Pay app', () => {
  it('pays a desktop QR (WX_NATIVE) bill from the button: code_url from WeChat, one verified webhook', async () => {
    const { order, answer } = await buttonBill();
    expect(answer).toMatchObject({ result_code: 0, channel: 'WX_NATIVE' });
    expect(String(answer.code_url)).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    const outTradeNo = String(order.out_trade_no);
    const trade = wechat.trade(outTradeNo);
    expect(trade).toMatchObject({ total: 6800, trade_type: 'NATIVE', notify_url: notifyUrl() });
    const delivery = await wechat.pay(outTradeNo);
    expect(delivery.delivered).toBe(true);
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([204]);
    await waitFor(() => receiver.received.length === 1);
    const [hook] = webhooks();
    expect(verifyWebhook(hook, app.masterSecret).ok).toBe(true);
    expect(hook).toMatchObject({ transaction_id: outTradeNo, transaction_fee: 6800, channel_type: 'WX', sub_channel_type: 'WX_NATIVE' });
    expect(hook?.message_detail).toMatchObject({ transaction_id: wechat.trade(outTradeNo)?.transaction_id, trade_state: 'SUCCESS' });
    const status = await (await fetch(`${gateway.url}/1/pay/jsbutton/bill/${answer.id}`)).json();
    expect(status).toMatchObject({ pay_result: true, status: 'PAID' });
  });

  it('pays a WX_NATIVE bill made by REST, and keeps test-mode bills on the sandbox', async () => {
    const { body, answer } = await restBill({ channel: 'WX_NATIVE' });
    expect(answer).toMatchObject({ result_code: 0 });
    expect(String(answer.code_url)).toMatch(/^weixin:/);
    await wechat.pay(String(body.bill_no));
    await waitFor(() => receiver.received.length === 1);
    expect((await billOf(answer.id as string)).status).toBe('PAID');

    const requests = wechat.requests.length;
    const test = await restBill({ channel: 'WX_NATIVE' }, '/2/rest/sandbox/bill', 'test');
    expect(test.answer).toMatchObject({ result_code: 0 });
    expect(String(test.answer.code_url)).toContain('/sandbox/qr/');
    expect(wechat.requests).toHaveLength(requests);
  });

  it('answers JSAPI fields inside WeChat (sign_type RSA, timestamp in seconds) that WeixinJSBridge pays with', async () => {
    const { order, answer } = await buttonBill({ channel: 'WX_JSAPI', openid: 'o-buyer-openid-1' }, WECHAT_UA);
    expect(answer).toMatchObject({ result_code: 0, channel: 'WX_JSAPI', app_id: merchant.appId, sign_type: 'RSA' });
    expect(String(answer.timestamp)).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(answer.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const params = {
      appId: String(answer.app_id),
      timeStamp: String(answer.timestamp),
      nonceStr: String(answer.nonce_str),
      package: String(answer.package),
      signType: String(answer.sign_type),
      paySign: String(answer.pay_sign),
    };
    expect(wechat.checkJsapiPaySign(params)).toBe(true);
    // The prepay id handed out finds its bill, as the sandbox's does; the sandbox itself cannot pay a live bill.
    const prepayId = params.package.slice('prepay_id='.length);
    expect((await gateway.gateway.store.findBillByPrepayId(prepayId))?.id).toBe(answer.id);
    const sandbox = await fetch(`${gateway.url}/sandbox/jsapi/pay`, { method: 'POST', body: JSON.stringify({ package: params.package, pay_sign: params.paySign, result: 'ok' }) });
    expect(((await sandbox.json()) as Record<string, unknown>).result_code).not.toBe(0);
    expect((await billOf(answer.id as string)).status).toBe('UNPAID');
    await wechat.payJsapi(params);
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ transaction_id: order.out_trade_no, sub_channel_type: 'WX_JSAPI' });
    expect(wechat.trade(String(order.out_trade_no))?.openid).toBe('o-buyer-openid-1');
  });

  it('turns wxmp on a phone browser into WeChat H5 (url with redirect_url back to the gateway), and back from it', async () => {
    const { order, answer } = await buttonBill({}, IPHONE);
    expect(answer).toMatchObject({ result_code: 0, channel: 'WX_WAP' });
    expect(answer.code_url).toBeUndefined();
    const url = new URL(String(answer.url));
    expect(url.origin + url.pathname).toBe('https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb');
    const back = url.searchParams.get('redirect_url') ?? '';
    expect(back).toBe(`${gateway.url}/return/wechat/${app.appId}/${answer.id}`);
    const outTradeNo = String(order.out_trade_no);
    expect(wechat.trade(outTradeNo)).toMatchObject({ trade_type: 'MWEB', scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } });
    await wechat.pay(outTradeNo);
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ sub_channel_type: 'WX_WAP', transaction_fee: 6800 });
    const returned = await fetch(back, { redirect: 'manual' });
    const merchantPage = new URL(returned.headers.get('location') ?? '');
    expect(merchantPage.origin + merchantPage.pathname).toBe('https://shop.example/return');
    expect(merchantPage.searchParams.get('trade_success')).toBe('true');
  });

  it('keeps the QR on a phone when the app has no H5, and inside WeChat without an openid', async () => {
    const inWechat = await buttonBill({}, WECHAT_UA);
    expect(inWechat.answer).toMatchObject({ result_code: 0, channel: 'WX_NATIVE' });
    expect(String(inWechat.answer.code_url)).toMatch(/^weixin:/);
    await gateway.close();
    await startStack({ h5: false });
    const phone = await buttonBill({}, IPHONE);
    expect(phone.answer).toMatchObject({ result_code: 0, channel: 'WX_NATIVE' });
    expect(String(phone.answer.code_url)).toMatch(/^weixin:/);
    const rest = await restBill({ channel: 'WX_WAP' });
    expect(rest.answer).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET' });
    expect(String(rest.answer.err_detail)).toContain('"h5": true');
  });

  it.each(['WX_WAP', 'BC_WX_WAP'])('accepts REST channel %s for an H5 app, with analysis.ip as the buyer’s IP', async (channel) => {
    const { body, answer } = await restBill({ channel, analysis: { ip: '203.0.113.9' } });
    expect(answer).toMatchObject({ result_code: 0 });
    expect(String(answer.url)).toContain('redirect_url=');
    expect(wechat.trade(String(body.bill_no))).toMatchObject({ trade_type: 'MWEB', scene_info: { payer_client_ip: '203.0.113.9' } });
    await wechat.pay(String(body.bill_no));
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ sub_channel_type: channel });
  });

  it('refuses forged, stale, foreign, mismatched and unknown notifications, and settles a replayed one once', async () => {
    const { order, answer } = await buttonBill();
    const outTradeNo = String(order.out_trade_no);
    const paid = { ...wechat.transactionJson(outTradeNo), trade_state: 'SUCCESS', transaction_id: '4200000000000000000000000001', success_time: '2026-12-02T08:00:00+08:00' };
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const refusals = [
      wechat.buildNotification('TRANSACTION.SUCCESS', paid, { signingKey: stranger }),
      wechat.buildNotification('TRANSACTION.SUCCESS', paid, { serial: 'PUB_KEY_ID_0114999999999999999999999999' }),
      wechat.buildNotification('TRANSACTION.SUCCESS', paid, { timestampSec: Math.floor(Date.now() / 1000) - 3600 }),
      wechat.buildNotification('TRANSACTION.SUCCESS', paid, { apiV3Key: 'x'.repeat(32) }),
      wechat.buildNotification('TRANSACTION.SUCCESS', { ...paid, amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } }),
      wechat.buildNotification('TRANSACTION.SUCCESS', { ...paid, appid: 'wx0000000000000000' }),
      wechat.buildNotification('TRANSACTION.SUCCESS', { ...paid, out_trade_no: newOrderNo() }),
    ];
    for (const built of refusals) {
      const reply = await post(built);
      expect(reply.status).toBe(500);
      expect(await reply.json()).toEqual({ code: 'FAIL', message: '失败' });
    }
    // Tampered bytes after signing.
    const genuine = wechat.buildNotification('TRANSACTION.SUCCESS', paid);
    const tampered = Buffer.from(genuine.body.toString('utf8').replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" '));
    expect((await post({ headers: genuine.headers, body: tampered })).status).toBe(500);
    expect((await post(genuine, `${gateway.url}/notify/wechat/no-such-app`)).status).toBe(404);
    expect((await billOf(answer.id as string)).status).toBe('UNPAID');
    expect(receiver.received).toHaveLength(0);

    expect((await post(genuine)).status).toBe(204);
    expect((await post(genuine)).status).toBe(204);
    await waitFor(() => receiver.received.length === 1);
    await gateway.gateway.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.received).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/wechat notify for app spay-live-wx refused: WeChat notification not verified/);
    expect(lines.join('\n')).toMatch(/does not match the bill/);
  });

  it('reconciles lost notifications by query: the payment when the widget polls, the refund when its status is asked', async () => {
    await gateway.close();
    // Notify URLs on a host the emulator never reaches: every notification is lost.
    await startStack({ publicUrl: 'http://gateway.invalid' });
    const { body, answer } = await restBill({ channel: 'WX_NATIVE' });
    const outTradeNo = String(body.bill_no);
    expect(wechat.trade(outTradeNo)?.notify_url).toBe(`http://gateway.invalid/notify/wechat/${app.appId}`);
    expect((await wechat.pay(outTradeNo)).delivered).toBe(false);
    const status = await (await fetch(`${gateway.url}/1/pay/jsbutton/bill/${answer.id}`)).json();
    expect(status).toMatchObject({ pay_result: true });
    await waitFor(() => receiver.received.length === 1);

    const refund = await restRefund(outTradeNo, 1000);
    expect(refund.answer).toMatchObject({ result_code: 0 });
    expect(await refundStatus(refund.refundNo)).toMatchObject({ result_code: 0, refund_status: 'PROCESSING' });
    expect(wechat.refundOf(refund.refundNo)?.notify_url).toBe(`http://gateway.invalid/notify/wechat/${app.appId}`);
    await wechat.settleRefund(refund.refundNo, 'SUCCESS');
    expect(await refundStatus(refund.refundNo)).toMatchObject({ refund_status: 'SUCCESS' });
    await waitFor(() => receiver.received.length === 2);
    expect(webhooks()[1]).toMatchObject({ transaction_type: 'REFUND', transaction_id: refund.refundNo, transaction_fee: 1000 });
  });

  it('refunds in part through REST: PENDING until WeChat’s refund notification, then SUCCESS with one refund webhook each', async () => {
    const { order } = await buttonBill();
    const outTradeNo = String(order.out_trade_no);
    await wechat.pay(outTradeNo);
    await waitFor(() => receiver.received.length === 1);
    const first = await restRefund(outTradeNo, 1800);
    expect(first.answer).toMatchObject({ result_code: 0 });
    const stored = await gateway.gateway.store.findRefund(app.appId, 'live', first.refundNo);
    expect(stored?.status).toBe('PENDING');
    expect(wechat.refundOf(first.refundNo)).toMatchObject({ refund: 1800, total: 6800, out_trade_no: outTradeNo, notify_url: notifyUrl() });
    // PENDING counts against the fee.
    expect((await restRefund(outTradeNo, 5001)).answer).toMatchObject({ result_msg: 'REFUND_AMOUNT_TOO_LARGE' });
    const delivered = await wechat.settleRefund(first.refundNo, 'SUCCESS');
    expect(delivered?.attempts.map((attempt) => attempt.status)).toEqual([204]);
    await waitFor(() => receiver.received.length === 2);
    expect(webhooks()[1]).toMatchObject({ transaction_type: 'REFUND', transaction_id: first.refundNo, transaction_fee: 1800 });
    expect(verifyWebhook(webhooks()[1], app.masterSecret).ok).toBe(true);

    const second = await restRefund(outTradeNo, 5000);
    expect(second.answer).toMatchObject({ result_code: 0 });
    await wechat.settleRefund(second.refundNo, 'CLOSED');
    await waitFor(async () => (await gateway.gateway.store.findRefund(app.appId, 'live', second.refundNo))?.status === 'FAILED');
    expect(await refundStatus(second.refundNo)).toMatchObject({ refund_status: 'FAIL' });
    // The failed refund holds nothing: the rest can still be refunded.
    const third = await restRefund(outTradeNo, 5000);
    expect(third.answer).toMatchObject({ result_code: 0 });
    await wechat.settleRefund(third.refundNo, 'SUCCESS');
    await waitFor(() => receiver.received.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(webhooks().map((hook) => hook.transaction_type)).toEqual(['PAY', 'REFUND', 'REFUND']);
  });

  it('answers CHANNEL_ERROR with WeChat’s words: a refusal fails the refund, a timeout leaves it PENDING for a retry', async () => {
    const { order } = await buttonBill();
    const outTradeNo = String(order.out_trade_no);
    await wechat.pay(outTradeNo);
    await waitFor(() => receiver.received.length === 1);
    wechat.interfereNext('POST', '/v3/refund/domestic/refunds', { kind: 'error', status: 403, code: 'NOT_ENOUGH', message: '基本账户余额不足，请充值后重新发起' });
    const refused = await restRefund(outTradeNo, 6800);
    expect(refused.answer).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(refused.answer.err_detail)).toContain('NOT_ENOUGH');
    expect(String(refused.answer.err_detail)).toContain('基本账户余额不足');
    expect((await gateway.gateway.store.findRefund(app.appId, 'live', refused.refundNo))?.status).toBe('FAILED');

    wechat.interfereNext('POST', '/v3/refund/domestic/refunds', { kind: 'stall' });
    const lost = await restRefund(outTradeNo, 6800);
    expect(lost.answer).toMatchObject({ result_code: 7 });
    expect(String(lost.answer.err_detail)).toContain('TIMEOUT');
    expect((await gateway.gateway.store.findRefund(app.appId, 'live', lost.refundNo))?.status).toBe('PENDING');
    // The same refund_no again is the same refund at WeChat.
    const retried = await restRefund(outTradeNo, 6800, lost.refundNo);
    expect(retried.answer).toMatchObject({ result_code: 0 });
    await wechat.settleRefund(lost.refundNo, 'SUCCESS');
    await waitFor(() => receiver.received.length === 2);
    expect((await gateway.gateway.store.findRefund(app.appId, 'live', lost.refundNo))?.status).toBe('SUCCESS');
  });

  it('closes the other trade when the buyer switches between Alipay and WeChat: one payment per order', async () => {
    const first = await buttonBill({ channel: 'ALI_WEB' });
    const outTradeNo = String(first.order.out_trade_no);
    await fetch(String(first.answer.url));
    expect(alipay.trades.get(outTradeNo)?.status).toBe('WAIT_BUYER_PAY');

    const second = await buttonBill({ out_trade_no: outTradeNo });
    expect(second.answer).toMatchObject({ result_code: 0, id: first.answer.id, channel: 'WX_NATIVE' });
    expect(alipay.trades.get(outTradeNo)?.status).toBe('TRADE_CLOSED');
    expect(wechat.trade(`${outTradeNo}_R1`)?.trade_state).toBe('NOTPAY');

    const third = await buttonBill({ out_trade_no: outTradeNo, channel: 'ALI_WAP' });
    expect(third.answer).toMatchObject({ result_code: 0, id: first.answer.id });
    expect(wechat.trade(`${outTradeNo}_R1`)?.trade_state).toBe('CLOSED');
    await fetch(String(third.answer.url));
    await alipay.pay(`${outTradeNo}_R2`);
    await waitFor(() => receiver.received.length === 1);
    expect(webhooks()[0]).toMatchObject({ transaction_id: outTradeNo, channel_type: 'ALI', sub_channel_type: 'ALI_WAP' });
    expect((await billOf(first.answer.id as string)).trades?.map((trade) => [trade.family, trade.trade_no, trade.state])).toEqual([
      ['ALI', outTradeNo, 'closed'],
      ['WX', `${outTradeNo}_R1`, 'closed'],
      ['ALI', `${outTradeNo}_R2`, 'paid'],
    ]);
    // A paid bill refuses a new trade on the other channel.
    const again = await buttonBill({ out_trade_no: outTradeNo });
    expect(again.answer).toMatchObject({ result_msg: 'PARAM_INVALID' });
  });

  it('refunds a WeChat payment that still arrives on a trade closed for Alipay', async () => {
    const first = await buttonBill();
    const outTradeNo = String(first.order.out_trade_no);
    wechat.interfereNext('POST', `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`, { kind: 'answer', status: 204 });
    const second = await buttonBill({ out_trade_no: outTradeNo, channel: 'ALI_WEB' });
    expect(second.answer).toMatchObject({ result_code: 0 });
    // The close answered 204 but WeChat still took the money (a payment racing the close).
    await wechat.pay(outTradeNo);
    await waitFor(() => wechat.refundOf(`late_${outTradeNo}`) !== undefined);
    expect(wechat.refundOf(`late_${outTradeNo}`)).toMatchObject({ refund: 6800, out_trade_no: outTradeNo });
    expect((await billOf(first.answer.id as string)).status).toBe('UNPAID');
    expect(lines.join('\n')).toMatch(/superseded trade .* was refunded/);
  });

  it('never logs a key', () => {
    expect(lines.join('\n')).not.toMatch(/PRIVATE KEY|MII/);
  });
});

describe('the apps file live.wechat entry', () => {
  const base = { appId: 'a1', appSecret: 's', masterSecret: 'm', channels: ['wxmp'] };

  it.each([
    ['mchId', 'apps[0].live.wechat.mchId is missing'],
    ['apiV3Key', 'apps[0].live.wechat.apiV3Key is missing'],
    ['platformPublicKeyId', 'apps[0].live.wechat.platformPublicKeyId is missing'],
  ])('stops the start without %s, naming the app and the field', (field, message) => {
    const entry = liveWechatEntry(merchant, wechat);
    delete entry[field];
    expect(() => parseApps([{ ...base, live: { wechat: entry } }])).toThrow(message);
  });

  it('reads key files relative to the apps file’s folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spay-apps-'));
    try {
      writeFileSync(join(dir, 'apiclient_key.pem'), merchant.privateKeyPem);
      writeFileSync(join(dir, 'pub_key.pem'), wechat.platformPublicKeyPem);
      const entry = { ...liveWechatEntry(merchant, wechat), privateKey: 'apiclient_key.pem', platformPublicKey: 'pub_key.pem' };
      writeFileSync(join(dir, 'apps.json'), JSON.stringify([{ ...base, live: { wechat: entry } }]));
      const [parsed] = loadApps({ SPAY_APPS: join(dir, 'apps.json') });
      expect(parsed?.live?.wechat?.mchId).toBe(merchant.mchId);
      writeFileSync(join(dir, 'apps.json'), JSON.stringify([{ ...base, live: { wechat: { ...entry, privateKey: 'missing.pem' } } }]));
      expect(() => loadApps({ SPAY_APPS: join(dir, 'apps.json') })).toThrow(/apps\[0\]\.live\.wechat\.privateKey .*missing\.pem/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
