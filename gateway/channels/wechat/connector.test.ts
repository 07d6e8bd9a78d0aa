import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelConnector, NotifyOutcome } from '../connector';
import { ChannelError } from '../connector';
import type { WechatConfig } from './config';
import { createWechatConnector } from './connector';
import { startWechatEmulator, type WechatEmulator } from './testing/emulator';
import { newTradeNo, paymentRequest, testBill, testRefund } from './testing/fixtures';
import { emulatorMerchant, newTestMerchant, testWechatConfig, type TestMerchant } from './testing/merchant';
import { startNotifyReceiver } from './testing/notify-receiver';

let merchant: TestMerchant;
let emulator: WechatEmulator;
let config: WechatConfig;
let connector: ChannelConnector;
let receiver: Awaited<ReturnType<typeof startNotifyReceiver>>;
const outcomes: NotifyOutcome[] = [];

beforeAll(async () => {
  merchant = newTestMerchant();
  emulator = await startWechatEmulator({ merchants: [emulatorMerchant(merchant)], notifyRetryDelaysMs: [20, 20, 20] });
  config = testWechatConfig(merchant, emulator);
  receiver = await startNotifyReceiver(async (notify) => {
    const outcome = await connector.readNotify(notify, new Date());
    outcomes.push(outcome);
    return connector.notifyReply(outcome.kind !== 'refused');
  });
  connector = createWechatConnector(config, { refundNotifyUrl: `${receiver.url}/refund` });
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

function lastRequest() {
  const request = emulator.requests.at(-1);
  if (request === undefined) throw new Error('no request reached the emulator');
  return { ...request, json: request.body === '' ? undefined : JSON.parse(request.body) };
}

async function rejection(promise: Promise<unknown>): Promise<ChannelError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ChannelError);
    return error as ChannelError;
  }
  throw new Error('expected a ChannelError, got an answer');
}

/** A paid trade of `fee` fen and its bill. */
async function paidBill(fee = 100) {
  const bill = testBill({ fee });
  await connector.createPayment(paymentRequest(bill, receiver.url));
  await emulator.pay(bill.out_trade_no);
  return bill;
}

describe('WeChat Pay connector: starting payments', () => {
  it('is the WX family', () => {
    expect(connector.family).toBe('WX');
  });

  it('starts WX_NATIVE with a signed request and answers the code_url', async () => {
    const bill = testBill({ title: 'Native 测试', bill_timeout: 900 });
    const now = new Date('2026-12-01T16:00:00.000Z');
    const answer = await connector.createPayment(paymentRequest(bill, receiver.url, { now }));
    expect(Object.keys(answer)).toEqual(['code_url']);
    expect(answer.code_url).toBe(emulator.trade(bill.out_trade_no)?.code_url);
    const sent = lastRequest();
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v3/pay/transactions/native');
    expect(sent.json).toEqual({
      appid: merchant.appId,
      mchid: merchant.mchId,
      description: 'Native 测试',
      out_trade_no: bill.out_trade_no,
      notify_url: receiver.url,
      amount: { total: 100, currency: 'CNY' },
      time_expire: '2026-12-02T00:15:00+08:00',
    });
    expect(sent.headers.accept).toBe('application/json');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['user-agent']).toMatch(/^spay-button-gateway /);
    expect(sent.headers.authorization).toMatch(
      new RegExp(`^WECHATPAY2-SHA256-RSA2048 mchid="${merchant.mchId}",nonce_str="[0-9A-F]{32}",signature="[A-Za-z0-9+/]+=*",timestamp="\\d{10}",serial_no="${merchant.merchantSerialNo}"$`),
    );
  });

  it('starts WX_JSAPI with the openid and answers BeeCloud-named parameters whose pay_sign WeChat accepts', async () => {
    const bill = testBill({ channel: 'WX_JSAPI', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
    const now = new Date('2026-12-01T16:00:00.000Z');
    const answer = await connector.createPayment(paymentRequest(bill, receiver.url, { now }));
    expect(Object.keys(answer).sort()).toEqual(['app_id', 'nonce_str', 'package', 'pay_sign', 'sign_type', 'timestamp']);
    expect(answer).toMatchObject({ app_id: merchant.appId, package: `prepay_id=${emulator.trade(bill.out_trade_no)?.prepay_id}`, sign_type: 'RSA', timestamp: String(now.getTime() / 1000) });
    expect(lastRequest().json.payer).toEqual({ openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
    const params = { appId: answer.app_id as string, timeStamp: answer.timestamp as string, nonceStr: answer.nonce_str as string, package: answer.package as string, signType: answer.sign_type as string };
    expect(emulator.checkJsapiPaySign({ ...params, paySign: answer.pay_sign as string })).toBe(true);
    expect(emulator.checkJsapiPaySign({ ...params, timeStamp: String(Number(params.timeStamp) + 1), paySign: answer.pay_sign as string })).toBe(false);
  });

  it('is paid through the WeixinJSBridge stand-in with the parameters it answered', async () => {
    const bill = testBill({ channel: 'WX_JSAPI', openid: 'o-jsapi-buyer', fee: 1 });
    const answer = await connector.createPayment(paymentRequest(bill, receiver.url));
    outcomes.length = 0;
    const params = { appId: answer.app_id as string, timeStamp: answer.timestamp as string, nonceStr: answer.nonce_str as string, package: answer.package as string, signType: answer.sign_type as string };
    await expect(emulator.payJsapi({ ...params, paySign: Buffer.from('forged').toString('base64') })).rejects.toThrow('paySign');
    await emulator.payJsapi({ ...params, paySign: answer.pay_sign as string });
    expect(outcomes[0]).toMatchObject({ kind: 'payment', trade: { tradeNo: bill.out_trade_no, fee: 1, detail: { trade_type: 'JSAPI', payer: { openid: 'o-jsapi-buyer' } } } });
  });

  it('sets time_expire so that the buyer cannot pay after bill_timeout', async () => {
    const bill = testBill({ bill_timeout: 60 });
    await connector.createPayment(paymentRequest(bill, receiver.url, { now: new Date(Date.now() - 120_000) }));
    await expect(emulator.pay(bill.out_trade_no)).rejects.toThrow('expired');
  });

  it('refuses WX_JSAPI without an openid before asking WeChat', async () => {
    const before = emulator.requests.length;
    const error = await rejection(connector.createPayment(paymentRequest(testBill({ channel: 'WX_JSAPI' }), receiver.url)));
    expect(error.channelCode).toBe('PARAM_ERROR');
    expect(emulator.requests.length).toBe(before);
  });

  it.each(['WX_WAP', 'BC_WX_WAP'])('starts H5 for %s with the buyer IP and answers h5_url with the return URL', async (channel) => {
    const bill = testBill();
    const returnUrl = 'https://pay.example.com/spay/return/wechat?bill=1&x=中';
    const answer = await connector.createPayment(paymentRequest(bill, receiver.url, { channel, returnUrl, buyerIp: '198.51.100.23' }));
    const sent = lastRequest();
    expect(sent.path).toBe('/v3/pay/transactions/h5');
    expect(sent.json.scene_info).toEqual({ payer_client_ip: '198.51.100.23', h5_info: { type: 'Wap' } });
    expect(Object.keys(answer)).toEqual(['url']);
    expect(answer.url).toMatch(/^https:\/\/wx\.tenpay\.com\/cgi-bin\/mmpayweb-bin\/checkmweb\?prepay_id=wx\w+&package=\d+&redirect_url=/);
    expect(answer.url?.endsWith(`&redirect_url=${encodeURIComponent(returnUrl)}`)).toBe(true);
    expect(emulator.trade(bill.out_trade_no)?.trade_type).toBe('MWEB');
  });

  it('refuses H5 when the merchant has not enabled it, and channels it does not serve', async () => {
    const noH5 = createWechatConnector(testWechatConfig(merchant, emulator, { h5: false }));
    expect((await rejection(noH5.createPayment(paymentRequest(testBill(), receiver.url, { channel: 'BC_WX_WAP' })))).channelCode).toBe('NO_AUTH');
    expect((await rejection(connector.createPayment(paymentRequest(testBill(), receiver.url, { channel: 'ALI_WEB' })))).channelCode).toBe('UNSUPPORTED_CHANNEL');
  });

  it.each([1, 198999, 100000000])('sends %i fen as amount.total and reads it back from the paid notification', async (fee) => {
    const bill = testBill({ fee, amount: fee });
    await connector.createPayment(paymentRequest(bill, receiver.url));
    expect(lastRequest().json.amount).toEqual({ total: fee, currency: 'CNY' });
    outcomes.length = 0;
    const delivery = await emulator.pay(bill.out_trade_no);
    expect(delivery.delivered).toBe(true);
    expect(outcomes).toHaveLength(1);
    const outcome = outcomes[0];
    if (outcome?.kind !== 'payment') throw new Error(`expected a payment, got ${JSON.stringify(outcome)}`);
    expect(outcome.trade).toMatchObject({ tradeNo: bill.out_trade_no, state: 'paid', fee, channelTradeNo: emulator.trade(bill.out_trade_no)?.transaction_id });
    expect(outcome.trade.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  });

  it.each([
    ['a'.repeat(200), 'a'.repeat(127)],
    ['中'.repeat(50), '中'.repeat(42)],
    [`a${'中'.repeat(50)}`, `a${'中'.repeat(42)}`],
    [`ab${'中'.repeat(50)}`, `ab${'中'.repeat(41)}`],
    ['😀'.repeat(40), '😀'.repeat(31)],
    ['秒支付 Button 测试商品', '秒支付 Button 测试商品'],
  ])('cuts the description %#: WeChat accepts it, within 127 bytes on a character boundary', async (title, expected) => {
    const bill = testBill({ title });
    await connector.createPayment(paymentRequest(bill, receiver.url));
    const description = lastRequest().json.description as string;
    expect(description).toBe(expected);
    expect(Buffer.byteLength(description)).toBeLessThanOrEqual(127);
    expect(emulator.trade(bill.out_trade_no)?.description).toBe(expected);
  });

  it('answers the same parameters again, and refuses the number for another trade type or once paid', async () => {
    const bill = testBill();
    const first = await connector.createPayment(paymentRequest(bill, receiver.url));
    expect(await connector.createPayment(paymentRequest(bill, receiver.url))).toEqual(first);
    const jsapi = { ...bill, channel: 'WX_JSAPI' as const, openid: 'o-buyer' };
    expect((await rejection(connector.createPayment(paymentRequest(jsapi, receiver.url))))).toMatchObject({ channelCode: 'OUT_TRADE_NO_USED', message: '商户订单号重复' });
    await emulator.pay(bill.out_trade_no);
    expect((await rejection(connector.createPayment(paymentRequest(bill, receiver.url)))).channelCode).toBe('ORDERPAID');
  });
});

describe('WeChat Pay connector: query and close', () => {
  it('queries an unpaid, a paid and an unknown trade by out_trade_no', async () => {
    const bill = testBill({ fee: 198999 });
    await connector.createPayment(paymentRequest(bill, receiver.url));
    expect(await connector.queryPayment(bill.out_trade_no, bill)).toMatchObject({ tradeNo: bill.out_trade_no, state: 'unpaid', detail: { trade_state: 'NOTPAY' } });
    expect(lastRequest().path).toBe(`/v3/pay/transactions/out-trade-no/${bill.out_trade_no}?mchid=${merchant.mchId}`);
    expect(lastRequest().body).toBe('');
    await emulator.pay(bill.out_trade_no);
    const paid = await connector.queryPayment(bill.out_trade_no, bill);
    expect(paid).toMatchObject({ state: 'paid', fee: 198999, channelTradeNo: emulator.trade(bill.out_trade_no)?.transaction_id, paidAt: emulator.trade(bill.out_trade_no)?.success_time });
    const unknown = newTradeNo('NONE');
    expect(await connector.queryPayment(unknown, testBill({ out_trade_no: unknown }))).toMatchObject({ state: 'not_found', detail: { code: 'ORDER_NOT_EXIST' } });
  });

  it('closes an unpaid trade; the number then cannot start again (ORDER_CLOSED) and queries as closed', async () => {
    const bill = testBill();
    await connector.createPayment(paymentRequest(bill, receiver.url));
    expect(await connector.closePayment(bill.out_trade_no, bill)).toEqual({ state: 'closed' });
    const close = emulator.requests.find((r) => r.path === `/v3/pay/transactions/out-trade-no/${bill.out_trade_no}/close`);
    expect(close).toMatchObject({ method: 'POST', body: JSON.stringify({ mchid: merchant.mchId }), status: 204 });
    expect((await connector.queryPayment(bill.out_trade_no, bill)).state).toBe('closed');
    expect((await rejection(connector.createPayment(paymentRequest(bill, receiver.url)))).channelCode).toBe('ORDER_CLOSED');
  });

  it('says paid, with the trade, when the trade was paid before the close', async () => {
    const bill = await paidBill(500);
    const outcome = await connector.closePayment(bill.out_trade_no, bill);
    expect(outcome).toMatchObject({ state: 'paid', trade: { state: 'paid', fee: 500, tradeNo: bill.out_trade_no } });
  });

  it('says paid when the close is answered 204 but the trade was paid after all', async () => {
    const bill = await paidBill(700);
    emulator.interfereNext('POST', `/v3/pay/transactions/out-trade-no/${bill.out_trade_no}/close`, { kind: 'answer', status: 204 });
    expect(await connector.closePayment(bill.out_trade_no, bill)).toMatchObject({ state: 'paid', trade: { fee: 700 } });
  });

  it('takes a trade WeChat never had as closed', async () => {
    const bill = testBill();
    expect(await connector.closePayment(bill.out_trade_no, bill)).toEqual({ state: 'closed' });
  });
});

describe('WeChat Pay connector: refunds', () => {
  it('refunds in full: PROCESSING is pending, then the REFUND.SUCCESS notification and the query say success', async () => {
    const bill = await paidBill(198999);
    const refund = testRefund(bill, 198999);
    const state = await connector.refund(bill.out_trade_no, bill, refund);
    expect(state).toMatchObject({ state: 'pending', fee: 198999, channelRefundNo: emulator.refundOf(refund.refund_no)?.refund_id });
    expect(lastRequest()).toMatchObject({
      path: '/v3/refund/domestic/refunds',
      json: { out_trade_no: bill.out_trade_no, out_refund_no: refund.refund_no, notify_url: `${receiver.url}/refund`, amount: { refund: 198999, total: 198999, currency: 'CNY' } },
    });
    expect((await connector.queryRefund(bill.out_trade_no, bill, refund)).state).toBe('pending');
    expect(lastRequest().path).toBe(`/v3/refund/domestic/refunds/${refund.refund_no}`);
    outcomes.length = 0;
    await emulator.settleRefund(refund.refund_no, 'SUCCESS');
    expect(outcomes).toEqual([
      { kind: 'refund', tradeNo: bill.out_trade_no, refundNo: refund.refund_no, state: expect.objectContaining({ state: 'success', fee: 198999, channelRefundNo: state.channelRefundNo }) },
    ]);
    expect(await connector.queryRefund(bill.out_trade_no, bill, refund)).toMatchObject({ state: 'success', fee: 198999 });
    expect((await connector.queryPayment(bill.out_trade_no, bill)).state).toBe('paid');
  });

  it('refunds in parts up to the fee, a retry of the same refund_no is the same refund, and more is refused', async () => {
    const bill = await paidBill(100);
    const first = testRefund(bill, 30);
    const a = await connector.refund(bill.out_trade_no, bill, first);
    expect(await connector.refund(bill.out_trade_no, bill, first)).toMatchObject({ state: 'pending', channelRefundNo: a.channelRefundNo });
    await emulator.settleRefund(first.refund_no, 'SUCCESS');
    const second = testRefund(bill, 70);
    expect(await connector.refund(bill.out_trade_no, bill, second)).toMatchObject({ state: 'pending', fee: 70 });
    const third = await rejection(connector.refund(bill.out_trade_no, bill, testRefund(bill, 1)));
    expect(third).toMatchObject({ channelCode: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
    await emulator.settleRefund(second.refund_no, 'SUCCESS');
    expect((await connector.queryRefund(bill.out_trade_no, bill, second)).state).toBe('success');
  });

  it.each(['ABNORMAL', 'CLOSED'] as const)('reads REFUND.%s as failed, in the notification and the query', async (status) => {
    const bill = await paidBill(100);
    const refund = testRefund(bill, 100);
    await connector.refund(bill.out_trade_no, bill, refund);
    outcomes.length = 0;
    await emulator.settleRefund(refund.refund_no, status);
    expect(outcomes[0]).toMatchObject({ kind: 'refund', refundNo: refund.refund_no, state: { state: 'failed', detail: { refund_status: status } } });
    expect((await connector.queryRefund(bill.out_trade_no, bill, refund)).state).toBe('failed');
  });

  it('passes WeChat’s refusal of a refund of an unpaid trade on', async () => {
    const bill = testBill();
    await connector.createPayment(paymentRequest(bill, receiver.url));
    expect((await rejection(connector.refund(bill.out_trade_no, bill, testRefund(bill, 100)))).channelCode).toBe('INVALID_REQUEST');
    expect((await rejection(connector.queryRefund(bill.out_trade_no, bill, testRefund(bill, 100)))).channelCode).toBe('RESOURCE_NOT_EXISTS');
  });
});

describe('WeChat Pay connector: errors, forged answers, timeouts', () => {
  it.each([
    [500, 'SYSTEM_ERROR', '系统错误'],
    [429, 'FREQUENCY_LIMITED', '频率超限'],
    [403, 'NOT_ENOUGH', '余额不足'],
  ])('turns HTTP %i {code: %s} into a ChannelError with WeChat’s code and message', async (status, code, message) => {
    emulator.interfereNext('POST', '/v3/pay/transactions/native', { kind: 'error', status, code, message });
    const error = await rejection(connector.createPayment(paymentRequest(testBill(), receiver.url)));
    expect(error).toMatchObject({ channelCode: code, message });
  });

  it.each(['unsigned', 'bad-signature', 'other-serial', 'stale'] as const)('does not trust a 2xx answer that is %s', async (how) => {
    const bill = testBill();
    emulator.interfereNext('POST', '/v3/pay/transactions/native', { kind: 'forge', how });
    const error = await rejection(connector.createPayment(paymentRequest(bill, receiver.url)));
    expect(error.channelCode).toBe('INVALID_ANSWER_SIGNATURE');
  });

  it('does not act on an unsigned ORDER_NOT_EXIST: the query fails rather than say not_found', async () => {
    const bill = await paidBill();
    emulator.interfereNext('GET', `/v3/pay/transactions/out-trade-no/${bill.out_trade_no}`, { kind: 'error', status: 404, code: 'ORDER_NOT_EXIST', message: '订单不存在', signed: false });
    const error = await rejection(connector.queryPayment(bill.out_trade_no, bill));
    expect(error.channelCode).toBe('ORDER_NOT_EXIST');
    expect(error.message).toContain('not signed');
  });

  it('reports WeChat’s 401 SIGN_ERROR when the configured private key is not the merchant’s', async () => {
    const impostor = newTestMerchant(merchant.mchId, merchant.appId);
    const wrongKey = createWechatConnector(testWechatConfig(merchant, emulator, { privateKey: impostor.privateKeyPem }));
    const error = await rejection(wrongKey.createPayment(paymentRequest(testBill(), receiver.url)));
    expect(error).toMatchObject({ channelCode: 'SIGN_ERROR', message: expect.stringContaining('签名错误') });
    expect(emulator.requests.at(-1)?.status).toBe(401);
  });

  it('sends the Accept header WeChat requires (the emulator refuses a request without it)', async () => {
    const stripped = createWechatConnector(config, {
      fetch: (url, init) => {
        const headers = new Headers(init?.headers);
        headers.delete('Accept');
        headers.set('Accept', 'text/html');
        return fetch(url, { ...init, headers });
      },
    });
    expect((await rejection(stripped.createPayment(paymentRequest(testBill(), receiver.url)))).channelCode).toBe('PARAM_ERROR');
  });

  it('gives up on an answer that does not come within the timeout', async () => {
    const impatient = createWechatConnector(config, { timeoutMs: 300 });
    const bill = testBill();
    emulator.interfereNext('GET', `/v3/pay/transactions/out-trade-no/${bill.out_trade_no}`, { kind: 'stall' });
    const started = Date.now();
    const error = await rejection(impatient.queryPayment(bill.out_trade_no, bill));
    expect(error.channelCode).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a connection refused as a ChannelError', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const offline = createWechatConnector(testWechatConfig(merchant, emulator, { endpoint: `http://127.0.0.1:${port}` }));
    const error = await rejection(offline.queryPayment('NOWHERE01', testBill()));
    expect(error.channelCode).toBe('NETWORK_ERROR');
    expect(error.message).toContain('ECONNREFUSED');
  });
});
