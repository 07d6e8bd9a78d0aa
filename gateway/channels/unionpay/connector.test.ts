import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bill } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import { startReceiver, waitFor } from '../../testing/receiver';
import { isChannelError, type ChannelConnector, type IncomingNotify, type PaymentRequest } from '../connector';
import { parseUnionpayConfig, type UnionpayConfig } from './config';
import { createUnionpayConnector } from './connector';
import { formatChinaTime } from './fields';
import { startUnionpayEmulator, type UnionpayEmulator } from './testing/emulator';
import { readForm } from './testing/form';
import { loadUnionpayTestCa, type UnionpayTestCa } from './testing/test-ca';

const MER_ID = '777290058110048';
let ca: UnionpayTestCa;
let dir: string;
let emulator: UnionpayEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let config: UnionpayConfig;
let connector: ChannelConnector;
/** How the merchant's gateway answers the next notifies (true: stored). */
let stores: boolean[] = [];

function bill(overrides: Partial<Bill> = {}): Bill {
  const n = Math.floor(Math.random() * 1e12);
  return {
    id: `bill${n}`,
    app_id: 'app',
    mode: 'live',
    out_trade_no: `order${n}`,
    title: '测试商品',
    amount: 1000,
    fee: 1000,
    channel: 'UN_WEB',
    use_app: true,
    status: 'UNPAID',
    created_at: new Date().toISOString(),
    ...overrides,
  };
}

function request(b: Bill, overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    bill: b,
    channel: b.channel,
    tradeNo: b.out_trade_no,
    notifyUrl: receiver.url,
    returnUrl: 'https://gateway.example.com/1/pay/return/un?x=1&y="2"<3>',
    now: new Date(),
    ...overrides,
  };
}

function notifyOf(body: string | Record<string, string>, method = 'POST'): IncomingNotify {
  const text = typeof body === 'string' ? body : new URLSearchParams(body).toString();
  return { method, query: new URLSearchParams(), header: () => null, body: new TextEncoder().encode(text) };
}

/** Follows the form to the emulator's cashier and presses 确认付款; answers the page that returns the buyer. */
async function pay(html: string): Promise<string> {
  const form = readForm(html);
  const cashier = await (await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) })).text();
  expect(cashier).toContain('确认付款');
  const button = readForm(cashier);
  return (await fetch(new URL(button.action, emulator.url), { method: 'POST', body: new URLSearchParams(button.fields) })).text();
}

async function paidBill(fee = 1000): Promise<{ b: Bill; queryId: string; notifyBody: string }> {
  const b = bill({ fee, amount: fee });
  const before = receiver.received.length;
  await pay((await connector.createPayment(request(b))).html!);
  await waitFor(() => receiver.received.length > before);
  const notifyBody = receiver.received.at(-1)!.body;
  const queryId = emulator.find(b.out_trade_no)!.queryId;
  return { b: { ...b, status: 'PAID', trade_no: queryId }, queryId, notifyBody };
}

async function channelError(promise: Promise<unknown>): Promise<{ channelCode: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isChannelError(error)) return { channelCode: error.channelCode, message: error.message };
    throw error;
  }
  throw new Error('expected a ChannelError, got none');
}

beforeAll(async () => {
  ca = loadUnionpayTestCa();
  dir = mkdtempSync(join(tmpdir(), 'spay-unionpay-connector-'));
  writeFileSync(join(dir, 'sign.pfx'), ca.merchant.pfx);
  emulator = await startUnionpayEmulator({
    merchants: [{ merId: MER_ID, certPem: ca.merchant.certPem }],
    signer: { certPem: ca.unionpay.certPem, keyPem: ca.unionpay.keyPem },
    notifyRetryDelaysMs: [20, 40, 80, 100],
  });
  receiver = await startReceiver((_attempt, res) => {
    const reply = connector.notifyReply(stores.shift() ?? true);
    res.writeHead(reply.status, reply.headers).end(reply.body);
  });
  config = parseUnionpayConfig(
    { merId: MER_ID, signCert: 'sign.pfx', signCertPassword: ca.merchant.password, rootCert: ca.root.certPem, middleCert: ca.middle.certPem, endpoint: emulator.url },
    'apps[0].live.unionpay',
    { baseDir: dir },
  );
  connector = createUnionpayConnector(config, { notifyUrl: receiver.url, timeoutMs: 1500 });
}, 120_000);

beforeEach(() => {
  stores = [];
});

afterAll(async () => {
  await emulator?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('UnionPay connector: the payment form', () => {
  it.each([
    ['UN_WEB', '07'],
    ['UN_WAP', '08'],
  ] as const)('answers a self-submitting frontTransReq.do form for %s (channelType %s)', async (channel, channelType) => {
    const b = bill({ channel, fee: 1989, amount: '1989', created_at: '2026-12-01T16:30:05.000Z' });
    const answer = await connector.createPayment(request(b));
    expect(Object.keys(answer)).toEqual(['html']);
    expect(answer.html).toContain('<script>document.forms[0].submit();</script>');
    const form = readForm(answer.html!);
    expect(form).toMatchObject({ id: 'pay_form', action: `${emulator.url}/gateway/api/frontTransReq.do`, method: 'post' });
    expect(form.fields).toMatchObject({
      version: '5.1.0',
      encoding: 'utf-8',
      signMethod: '01',
      txnType: '01',
      txnSubType: '01',
      bizType: '000201',
      channelType,
      accessType: '0',
      currencyCode: '156',
      merId: MER_ID,
      certId: ca.merchant.serial,
      txnAmt: '1989',
      orderId: b.out_trade_no,
      txnTime: '20261202003005',
      frontUrl: 'https://gateway.example.com/1/pay/return/un?x=1&y="2"<3>',
      backUrl: receiver.url,
    });
    expect(form.fields.payTimeout).toBeUndefined();
    expect(form.fields.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // Every value is escaped: the return URL's quote and brackets never reach the markup raw.
    expect(answer.html).not.toContain('"2"<3>');
  });

  it('sets payTimeout from bill_timeout, counted from the txnTime', async () => {
    const b = bill({ bill_timeout: 900, created_at: '2026-12-01T16:30:05.000Z' });
    const form = readForm((await connector.createPayment(request(b))).html!);
    expect(form.fields.payTimeout).toBe('20261202004505');
  });

  it.each([
    ['a trade number UnionPay cannot take', { tradeNo: 'order-1_x' }, 'ORDER_ID'],
    ['a fee that is not whole fen', { bill: bill({ fee: 1.5 }) }, 'TXN_AMT'],
  ])('refuses %s', async (_name, overrides, channelCode) => {
    const b = bill();
    expect(await channelError(connector.createPayment(request(b, overrides as Partial<PaymentRequest>)))).toMatchObject({ channelCode });
  });

  it('refuses a channel that is not UnionPay', async () => {
    expect(await channelError(connector.createPayment(request(bill({ channel: 'ALI_WEB' }))))).toMatchObject({ channelCode: 'CHANNEL' });
  });

  it('is accepted by the emulator, whose cashier takes the buyer back to frontUrl', async () => {
    const b = bill();
    const back = await pay((await connector.createPayment(request(b))).html!);
    const returned = readForm(back);
    expect(returned.action).toBe('https://gateway.example.com/1/pay/return/un?x=1&y="2"<3>');
    expect(returned.fields).toMatchObject({ orderId: b.out_trade_no, respCode: '00' });
  });

  it('is refused by the emulator when a field is changed after signing', async () => {
    const form = readForm((await connector.createPayment(request(bill()))).html!);
    const page = await (await fetch(form.action, { method: 'POST', body: new URLSearchParams({ ...form.fields, txnAmt: '1' }) })).text();
    expect(page).toContain('respCode=11');
  });
});

describe('UnionPay connector: back notifies', () => {
  it('accepts a genuine consume notify as paid, with the fee in fen and queryId', async () => {
    const { b, queryId, notifyBody } = await paidBill(1234);
    const outcome = await connector.readNotify(notifyOf(notifyBody), new Date());
    expect(outcome).toMatchObject({ kind: 'payment', trade: { state: 'paid', tradeNo: b.out_trade_no, fee: 1234, channelTradeNo: queryId } });
    if (outcome.kind === 'payment') {
      expect(outcome.trade.detail).toMatchObject({ respCode: '00', queryId });
      expect(outcome.trade.detail).not.toHaveProperty('signature');
    }
  });

  it('is resent until the gateway answers 200, and notifyReply says 200 ok or 500', async () => {
    expect(connector.notifyReply(true)).toMatchObject({ status: 200, body: 'ok' });
    expect(connector.notifyReply(false).status).toBe(500);
    stores = [false, false, true];
    const { b } = await paidBill();
    await waitFor(() => emulator.notifies.filter((n) => n.fields.orderId === b.out_trade_no).length === 3);
    await emulator.settled();
    const attempts = emulator.notifies.filter((n) => n.fields.orderId === b.out_trade_no);
    expect(attempts.map((n) => n.status)).toEqual([500, 500, 200]);
  });

  const forgeries: Array<[string, (fields: Record<string, string>) => Record<string, string>, RegExp]> = [
    ['a certificate not chaining to the root', (f) => emulator.sign(f, { certPem: ca.rogue.certPem, keyPem: ca.unionpay.keyPem }), /not issued by the configured middleCert/],
    ['a CN that is not UnionPay', (f) => emulator.sign(f, { certPem: ca.wrongCn.certPem, keyPem: ca.unionpay.keyPem }), /CN is not UnionPay's/],
    ['an expired certificate', (f) => emulator.sign(f, { certPem: ca.expired.certPem, keyPem: ca.unionpay.keyPem }), /not valid now/],
    ["the merchant's own certificate", (f) => emulator.sign(f, { certPem: ca.merchant.certPem, keyPem: ca.merchant.keyPem }), /CN is not UnionPay's/],
    ['a tampered amount', (f) => ({ ...emulator.sign(f), txnAmt: '1' }), /signature does not verify/],
    ['a bad signature', (f) => ({ ...emulator.sign(f), signature: emulator.sign({ ...f, orderId: 'other' }).signature! }), /signature does not verify/],
    ['a signature by another key under the right certificate', (f) => ({ ...emulator.sign(f, { certPem: ca.rogue.certPem, keyPem: ca.merchant.keyPem }), signPubKeyCert: emulator.sign(f).signPubKeyCert! }), /signature does not verify/],
    ['no certificate', (f) => { const { signPubKeyCert: _c, ...rest } = emulator.sign(f); return rest; }, /no signPubKeyCert/],
    ['version 5.0.0', (f) => emulator.sign({ ...f, version: '5.0.0' }), /expected version 5.1.0/],
    ['another merchant', (f) => emulator.sign({ ...f, merId: '777290058110049' }), /not 777290058110048/],
  ];

  it.each(forgeries)('refuses a notify with %s', async (_name, forge, reason) => {
    const { notifyBody } = await paidBill();
    const { signature: _s, signPubKeyCert: _c, ...fields } = Object.fromEntries(new URLSearchParams(notifyBody));
    const outcome = await connector.readNotify(notifyOf(forge(fields)), new Date());
    expect(outcome.kind).toBe('refused');
    if (outcome.kind === 'refused') expect(outcome.reason).toMatch(reason);
  });

  it.each([
    ['a consume that did not succeed', { respCode: '61' }, 'ignored'],
    ['a consume void (txnType 31)', { txnType: '31' }, 'ignored'],
  ])('ignores a genuine notify of %s', async (_name, change, kind) => {
    const { notifyBody } = await paidBill();
    const { signature: _s, signPubKeyCert: _c, ...fields } = Object.fromEntries(new URLSearchParams(notifyBody));
    expect((await connector.readNotify(notifyOf(emulator.sign({ ...fields, ...change })), new Date())).kind).toBe(kind);
  });

  it('reads a genuine refund notify that failed as a failed refund', async () => {
    const fields = { version: '5.1.0', encoding: 'utf-8', signMethod: '01', txnType: '04', txnSubType: '00', merId: MER_ID, orderId: '20261202abc123', txnAmt: '100', queryId: '1'.repeat(21), origQryId: '2'.repeat(21), reqReserved: 'order123', respCode: '61', respMsg: '退货失败' };
    expect(await connector.readNotify(notifyOf(emulator.sign(fields)), new Date())).toMatchObject({
      kind: 'refund',
      tradeNo: 'order123',
      refundNo: '20261202abc123',
      state: { state: 'failed', fee: 100 },
    });
  });

  it('refuses a GET and a body that is not a signed form', async () => {
    const { notifyBody } = await paidBill();
    expect((await connector.readNotify(notifyOf(notifyBody, 'GET'), new Date())).kind).toBe('refused');
    expect((await connector.readNotify(notifyOf('{"respCode":"00"}'), new Date())).kind).toBe('refused');
  });

  it('refuses a genuine notify once its certificate has expired', async () => {
    const { notifyBody } = await paidBill();
    const later = new Date(Date.now() + 400 * 24 * 3600_000);
    expect((await connector.readNotify(notifyOf(notifyBody), later)).kind).toBe('refused');
  });
});

describe('UnionPay connector: queries', () => {
  it('reconciles a paid trade by queryTrans.do (orderId + the txnTime derived from the bill)', async () => {
    const { b, queryId } = await paidBill(777);
    const trade = await connector.queryPayment(b.out_trade_no, b);
    expect(trade).toMatchObject({ tradeNo: b.out_trade_no, state: 'paid', fee: 777, channelTradeNo: queryId });
    const sent = emulator.requests.filter((r) => r.path === '/gateway/api/queryTrans.do').at(-1)!.fields;
    expect(sent).toMatchObject({ txnType: '00', txnSubType: '00', bizType: '000000', orderId: b.out_trade_no, txnTime: formatChinaTime(new Date(b.created_at)) });
  });

  it('says not_found for an order the buyer never paid, and closing it answers closed', async () => {
    const b = bill();
    await connector.createPayment(request(b));
    expect(await connector.queryPayment(b.out_trade_no, b)).toMatchObject({ state: 'not_found' });
    expect(await connector.closePayment(b.out_trade_no, b)).toEqual({ state: 'closed' });
  });

  it('answers paid when closing a trade that was paid meanwhile', async () => {
    const { b } = await paidBill(500);
    expect(await connector.closePayment(b.out_trade_no, b)).toMatchObject({ state: 'paid', trade: { state: 'paid', fee: 500 } });
  });

  it.each(['03', '04', '05'])('takes respCode %s as not known yet (unpaid)', async (respCode) => {
    const b = bill();
    emulator.inject('query', { respCode, respMsg: '交易处理中' });
    expect(await connector.queryPayment(b.out_trade_no, b)).toMatchObject({ state: 'unpaid', detail: { respCode } });
  });

  it.each([
    ['10', '报文格式错误', true],
    ['11', '验证签名失败', true],
    ['31', '商户状态不正确', false],
  ])('turns respCode %s (%s) into a ChannelError with UnionPay’s words, the answer signed: %s', async (respCode, respMsg, signed) => {
    const b = bill();
    emulator.inject('query', { respCode, respMsg, signed });
    expect(await channelError(connector.queryPayment(b.out_trade_no, b))).toEqual({ channelCode: respCode, message: `UnionPay ${respCode}: ${respMsg}` });
  });

  it('refuses an unsigned success answer', async () => {
    const b = bill();
    emulator.inject('query', { respCode: '00', respMsg: '成功', signed: false });
    expect(await channelError(connector.queryPayment(b.out_trade_no, b))).toMatchObject({ channelCode: 'SIGNATURE' });
  });

  it('gives up with TIMEOUT when UnionPay does not answer, and HTTP_500 on a server error', async () => {
    const b = bill();
    emulator.inject('query', { hang: true });
    const started = Date.now();
    expect(await channelError(connector.queryPayment(b.out_trade_no, b))).toMatchObject({ channelCode: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
    emulator.inject('query', { status: 500 });
    expect(await channelError(connector.queryPayment(b.out_trade_no, b))).toMatchObject({ channelCode: 'HTTP_500' });
  });

  it('says NETWORK when nothing listens at the endpoint', async () => {
    const offline = createUnionpayConnector({ ...config, endpoint: 'http://127.0.0.1:9' }, { timeoutMs: 1500 });
    const b = bill();
    expect(await channelError(offline.queryPayment(b.out_trade_no, b))).toMatchObject({ channelCode: 'NETWORK' });
  });
});

describe('UnionPay connector: refunds', () => {
  let n = 0;
  const refundOf = (b: Bill, fee: number): Refund => ({
    id: `r${++n}`,
    app_id: 'app',
    mode: 'live',
    refund_no: `20261202${Date.now()}${n}`,
    bill_id: b.id,
    out_trade_no: b.out_trade_no,
    refund_fee: fee,
    status: 'PENDING',
    created_at: new Date().toISOString(),
  });

  it('refunds in parts by backTransReq.do, each settled by its own notify and query', async () => {
    const { b, queryId } = await paidBill(1000);
    const first = refundOf(b, 300);
    const second = refundOf(b, 200);
    const before = receiver.received.length;
    expect(await connector.refund(b.out_trade_no, b, first)).toMatchObject({ state: 'pending', fee: 300 });
    expect(await connector.refund(b.out_trade_no, b, second)).toMatchObject({ state: 'pending', fee: 200 });
    const sent = emulator.requests.filter((r) => r.path === '/gateway/api/backTransReq.do').at(-1)!.fields;
    expect(sent).toMatchObject({ txnType: '04', txnSubType: '00', bizType: '000201', origQryId: queryId, txnAmt: '200', orderId: second.refund_no, backUrl: receiver.url });
    await waitFor(() => receiver.received.length >= before + 2);
    const outcomes = await Promise.all(receiver.received.slice(before).map((r) => connector.readNotify(notifyOf(r.body), new Date())));
    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'refund', tradeNo: b.out_trade_no, refundNo: first.refund_no, state: expect.objectContaining({ state: 'success', fee: 300 }) }),
        expect.objectContaining({ kind: 'refund', tradeNo: b.out_trade_no, refundNo: second.refund_no, state: expect.objectContaining({ state: 'success', fee: 200 }) }),
      ]),
    );
    expect(await connector.queryRefund(b.out_trade_no, b, first)).toMatchObject({ state: 'success', fee: 300 });
    // More than what is left (500) is UnionPay's refusal, with its code.
    expect(await channelError(connector.refund(b.out_trade_no, b, refundOf(b, 501)))).toMatchObject({ channelCode: '33' });
  });

  it('answers the same refund again by its refund_no (a retry), not a second refund', async () => {
    const { b } = await paidBill(1000);
    const refund = refundOf(b, 100);
    await connector.refund(b.out_trade_no, b, refund);
    await waitFor(() => emulator.find(refund.refund_no, '04')?.state === 'success');
    expect(await connector.refund(b.out_trade_no, b, refund)).toMatchObject({ state: 'success', fee: 100 });
    expect(emulator.trades.filter((t) => t.orderId === refund.refund_no)).toHaveLength(1);
  });

  it('finds the queryId by a query when the bill does not carry it', async () => {
    const { b, queryId } = await paidBill(1000);
    await connector.refund(b.out_trade_no, { ...b, trade_no: undefined }, refundOf(b, 100));
    expect(emulator.requests.filter((r) => r.path === '/gateway/api/backTransReq.do').at(-1)!.fields.origQryId).toBe(queryId);
  });

  it('says failed for a refund UnionPay never received, and pending while it settles', async () => {
    const { b } = await paidBill(1000);
    expect(await connector.queryRefund(b.out_trade_no, b, refundOf(b, 100))).toMatchObject({ state: 'failed' });
    emulator.inject('query', { respCode: '05', respMsg: '交易处理中' });
    expect(await connector.queryRefund(b.out_trade_no, b, refundOf(b, 100))).toMatchObject({ state: 'pending' });
  });

  it('turns a refusal into a ChannelError, and a lost answer into TIMEOUT', async () => {
    const { b } = await paidBill(1000);
    emulator.inject('back', { respCode: '31', respMsg: '商户状态不正确' });
    expect(await channelError(connector.refund(b.out_trade_no, b, refundOf(b, 100)))).toMatchObject({ channelCode: '31' });
    emulator.inject('back', { hang: true });
    expect(await channelError(connector.refund(b.out_trade_no, b, refundOf(b, 100)))).toMatchObject({ channelCode: 'TIMEOUT' });
  });

  it('needs a notifyUrl for the refund notify', async () => {
    const { b } = await paidBill(1000);
    const without = createUnionpayConnector(config);
    expect(await channelError(without.refund(b.out_trade_no, b, refundOf(b, 100)))).toMatchObject({ channelCode: 'CONFIG' });
  });
});
