import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../server-sign';
import type { RunningGateway } from '../server';
import { signedBill, testGateway, testServer } from '../testing/fixtures';
import { startReceiver, waitFor } from '../testing/receiver';
import { REST_APP, newBillNo, newRefundNo, restGet, restPost, restSigned } from '../testing/rest-calls';
import { chinaDate } from './refund-no';

const BASE = 'http://gateway.test';
const DAY = 24 * 60 * 60 * 1000;
const gateway = testGateway({ apps: [REST_APP] });
afterAll(() => gateway.close());

type Json = Record<string, unknown> & { result_code: number; result_msg: string; err_detail: string };
const call = async (request: Request): Promise<Json> => (await (await gateway.handle(request)).json()) as Json;

/** A paid bill of `fee` fen on `channel`; its bill_no and id. */
async function paidBill(fee = 100, channel = 'WX_NATIVE', pay = true): Promise<{ billNo: string; id: string }> {
  const billNo = newBillNo();
  const made = await call(restPost(BASE, '/2/rest/bill', restSigned({ channel, total_fee: fee, bill_no: billNo, title: '退款测试' })));
  if (pay) await gateway.handle(new Request(`${BASE}/sandbox/cashier/${made.id}/pay`, { method: 'POST' }));
  return { billNo, id: made.id as string };
}
const refund = (fields: Record<string, unknown>, secret: 'master' | 'app' = 'master') => call(restPost(BASE, '/2/rest/refund', restSigned(fields, secret)));
const get = (path: string, fields: Record<string, unknown> = {}) => call(restGet(BASE, path, restSigned(fields)));

describe('POST /2/rest/refund', () => {
  it('refunds in part, several times up to the fee, then refuses with REFUND_AMOUNT_TOO_LARGE', async () => {
    const { billNo, id } = await paidBill(100);
    expect(await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 30 })).toMatchObject({ result_code: 0, result_msg: 'OK', id: expect.any(String) });
    expect(await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 70 })).toMatchObject({ result_code: 0 });
    const over = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 });
    expect(over).toMatchObject({ result_code: 12, result_msg: 'REFUND_AMOUNT_TOO_LARGE', field: 'refund_fee' });
    expect(over.err_detail).toMatch(/0 of its total_fee 100/);
    expect((await gateway.store.getBill(id))?.refunded_fee).toBe(100);
    const [bill] = (await get('/2/rest/bills', { bill_no: billNo })).bills as Array<Record<string, unknown>>;
    expect(bill?.refund_result).toBe(true);
    expect((await get('/2/rest/bills/count', { bill_no: billNo, refund_result: true })).count).toBe(1);
  });

  it('refunds in full at once', async () => {
    const { billNo } = await paidBill(250);
    const done = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 250, optional: { reason: 'broken' } });
    expect(done.result_code).toBe(0);
    const shown = await get(`/2/rest/refund/${done.id}`);
    expect(shown).toMatchObject({ result_code: 0, refund: { id: done.id, bill_no: billNo, refund_fee: 250, total_fee: 250, finish: true, result: true, optional: '{"reason":"broken"}', channel: 'WX', sub_channel: 'WX_NATIVE', title: '退款测试' } });
  });

  it('makes one refund of the same refund_no sent twice, and refuses it for another fee', async () => {
    const { billNo } = await paidBill(100);
    const refundNo = newRefundNo();
    const first = await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 10 });
    const again = await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 10 });
    expect(again).toMatchObject({ result_code: 0, id: first.id });
    expect((await get('/2/rest/refunds/count', { bill_no: billNo })).count).toBe(1);
    expect(await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 11 })).toMatchObject({ result_code: 5, field: 'refund_no' });
  });

  it('answers ALREADY_REFUNDING for a refund_no of this bill that is still being processed', async () => {
    const { billNo, id } = await paidBill(100);
    const refundNo = newRefundNo();
    const pending = { id: `pending-${refundNo}`, app_id: REST_APP.appId, mode: 'live' as const, refund_no: refundNo, bill_id: id, out_trade_no: billNo, refund_fee: 5, status: 'PENDING' as const, created_at: new Date().toISOString() };
    expect((await gateway.store.createRefund(pending)).outcome).toBe('created');
    expect((await get('/2/rest/refund/status', { refund_no: refundNo })).refund_status).toBe('PROCESSING');
    expect(await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 6 })).toMatchObject({ result_code: 11, result_msg: 'ALREADY_REFUNDING', field: 'refund_no' });
    // The same refund again finishes it.
    expect(await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 5 })).toMatchObject({ result_code: 0, id: pending.id });
    expect((await get('/2/rest/refund/status', { refund_no: refundNo })).refund_status).toBe('SUCCESS');
  });

  it.each<[string, () => Promise<Record<string, unknown>>, number, string, string]>([
    ['an unknown bill_no', async () => ({ bill_no: newBillNo(), refund_fee: 1 }), 8, 'NO_SUCH_BILL', 'bill_no'],
    ['an unpaid bill', async () => ({ bill_no: (await paidBill(100, 'WX_NATIVE', false)).billNo, refund_fee: 1 }), 9, 'BILL_UNSUCCESS', 'bill_no'],
    ['a refund_fee above the fee', async () => ({ bill_no: (await paidBill(100)).billNo, refund_fee: 101 }), 12, 'REFUND_AMOUNT_TOO_LARGE', 'refund_fee'],
    ['a missing refund_fee', async () => ({ bill_no: (await paidBill(100)).billNo }), 4, 'MISS_PARAM', 'refund_fee'],
    ['a zero refund_fee', async () => ({ bill_no: (await paidBill(100)).billNo, refund_fee: 0 }), 5, 'PARAM_INVALID', 'refund_fee'],
    ['a missing bill_no', async () => ({ refund_fee: 1 }), 4, 'MISS_PARAM', 'bill_no'],
    ['another channel than the bill\'s', async () => ({ bill_no: (await paidBill(100)).billNo, refund_fee: 1, channel: 'ALI' }), 5, 'PARAM_INVALID', 'channel'],
    ['an unknown channel', async () => ({ bill_no: (await paidBill(100)).billNo, refund_fee: 1, channel: 'ALIPAY' }), 3, 'CHANNEL_INVALID', 'channel'],
    ['need_approval true', async () => ({ bill_no: (await paidBill(100)).billNo, refund_fee: 1, need_approval: true }), 5, 'PARAM_INVALID', 'need_approval'],
    ['a relative notify_url', async () => ({ bill_no: (await paidBill(100)).billNo, refund_fee: 1, notify_url: 'hook' }), 5, 'PARAM_INVALID', 'notify_url'],
  ])('refuses %s', async (_case, fields, code, name, field) => {
    const answer = await refund({ refund_no: newRefundNo(), ...(await fields()) });
    expect(answer).toMatchObject({ result_code: code, result_msg: name, field });
    expect(answer.err_detail).toContain(field);
  });

  it('accepts the matching channel as a family or a sub-channel', async () => {
    const { billNo } = await paidBill(100);
    expect(await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1, channel: 'WX' })).toMatchObject({ result_code: 0 });
    expect(await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1, channel: 'WX_NATIVE', refund_account: 1 })).toMatchObject({ result_code: 0 });
  });

  const today = chinaDate(Date.now());
  it.each<[string, unknown, number]>([
    ['today', `${today}001`, 0],
    ['yesterday (a merchant west of China)', `${chinaDate(Date.now() - DAY)}abc123`, 0],
    ['tomorrow (a merchant east of China)', `${chinaDate(Date.now() + DAY)}X9`.padEnd(11, '7'), 0],
    ['a 24-char serial', `${today}${'1'.repeat(24)}`, 0],
    ['two days ago', `${chinaDate(Date.now() - 2 * DAY)}001`, 5],
    ['a serial of zeros', `${today}000`, 5],
    ['a 2-char serial', `${today}01`, 5],
    ['a 25-char serial', `${today}${'1'.repeat(25)}`, 5],
    ['a serial with a dash', `${today}00-1`, 5],
    ['no date', 'abc12345678', 5],
    ['a number', Number(`${today}123`), 5],
    ['nothing', '', 4],
  ])('refund_no %s', async (_case, refundNo, code) => {
    const { billNo } = await paidBill(100);
    const answer = await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 1 });
    expect(answer.result_code, answer.err_detail).toBe(code);
    if (code !== 0) expect(answer.field).toBe('refund_no');
  });
});

describe('button bills', () => {
  it('refunds a bill made by the button, its out_trade_no as bill_no', async () => {
    const order = signedBill({ channel: 'ALI_WEB', amount: '6800', title: '按钮订单' }, REST_APP);
    const made = await call(new Request(`${BASE}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(order) }));
    await gateway.handle(new Request(`${BASE}/sandbox/cashier/${made.id}/pay`, { method: 'POST' }));
    expect(await refund({ refund_no: newRefundNo(), bill_no: order.out_trade_no, refund_fee: 6800 })).toMatchObject({ result_code: 0 });
    expect((await get(`/2/rest/bill/${made.id}`)).pay).toMatchObject({ bill_no: order.out_trade_no, total_fee: 6800, refund_result: true });
  });
});

describe('refund signs', () => {
  it('takes the master-secret sign, refuses the app-secret sign alone', async () => {
    const { billNo } = await paidBill(100);
    const alone = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 }, 'app');
    expect(alone).toMatchObject({ result_code: 1, result_msg: 'APP_INVALID', field: 'app_sign' });
    expect(alone.err_detail).toMatch(/master_secret/);
  });

  it('takes the Node SDK refund: an app-secret sign with the correct master_secret in the body', async () => {
    const { billNo } = await paidBill(100);
    const sdk = { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1, app_secret: REST_APP.appSecret, master_secret: REST_APP.masterSecret, test_secret: REST_APP.testSecret };
    expect(await refund(sdk, 'app')).toMatchObject({ result_code: 0 });
    expect(await refund({ ...sdk, refund_no: newRefundNo(), master_secret: 'wrong' }, 'app')).toMatchObject({ result_code: 1, field: 'app_sign' });
  });
});

describe('refund queries', () => {
  it('lists refunds newest first by bill_no, refund_no, channel, times, skip and limit, and counts them', async () => {
    const a = await paidBill(100);
    const b = await paidBill(100, 'ALI_WAP');
    const made: Array<{ id: string; no: string; at: number }> = [];
    for (const [billNo, fee] of [[a.billNo, 10], [a.billNo, 20], [b.billNo, 30]] as const) {
      const no = newRefundNo();
      const answer = await refund({ refund_no: no, bill_no: billNo, refund_fee: fee });
      made.push({ id: answer.id as string, no, at: Date.parse((await gateway.store.getRefund(answer.id as string))?.created_at ?? '') });
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const ids = (answer: Json) => (answer.refunds as Array<{ id: string }>).map((item) => item.id);
    expect(ids(await get('/2/rest/refunds', { bill_no: a.billNo }))).toEqual([made[1]?.id, made[0]?.id]);
    expect(ids(await get('/2/rest/refunds', { refund_no: made[2]?.no }))).toEqual([made[2]?.id]);
    expect(ids(await get('/2/rest/refunds', { channel: 'ALI', start_time: made[0]?.at }))).toEqual([made[2]?.id]);
    expect(ids(await get('/2/rest/refunds', { start_time: made[0]?.at, end_time: made[1]?.at }))).toEqual([made[1]?.id, made[0]?.id]);
    expect(ids(await get('/2/rest/refunds', { start_time: made[0]?.at, skip: 1, limit: 1 }))).toEqual([made[1]?.id]);
    expect(ids(await get('/2/rest/refunds', { bill_no: a.billNo, need_approval: true }))).toEqual([]);
    expect((await get('/2/rest/refunds/count', { bill_no: a.billNo })).count).toBe(2);
    expect((await get('/2/rest/refunds/count', { start_time: made[0]?.at, channel: 'WX' })).count).toBe(2);
    const [shown] = (await get('/2/rest/refunds', { refund_no: made[0]?.no })).refunds as Array<Record<string, unknown>>;
    expect(shown).toEqual({
      id: made[0]?.id, bill_no: a.billNo, refund_no: made[0]?.no, total_fee: 100, refund_fee: 10, title: '退款测试',
      channel: 'WX', sub_channel: 'WX_NATIVE', finish: true, result: true, optional: '{}', create_time: made[0]?.at,
      created_time: made[0]?.at,
    });
    expect((await get('/2/rest/refunds', { start_time: made[0]?.at, limit: 1 })).count).toBe(3);
    const [detailed] = (await get('/2/rest/refunds', { refund_no: made[0]?.no, need_detail: true })).refunds as Array<Record<string, unknown>>;
    expect(JSON.parse(detailed?.message_detail as string)).toMatchObject({ sandbox: true });
  });

  it.each<[string, string, Record<string, unknown>, number, string]>([
    ['an unknown refund id', '/2/rest/refund/nosuchrefund', {}, 13, 'NO_SUCH_REFUND'],
    ['an unknown refund_no status', '/2/rest/refund/status', { refund_no: newRefundNo() }, 13, 'NO_SUCH_REFUND'],
    ['a status without refund_no', '/2/rest/refund/status', { channel: 'WX' }, 4, 'MISS_PARAM'],
    ['refunds with limit 51', '/2/rest/refunds', { limit: 51 }, 5, 'PARAM_INVALID'],
    ['refunds with a bad refund_no', '/2/rest/refunds', { refund_no: 'a-b' }, 5, 'PARAM_INVALID'],
    ['refunds with a wrong sign', '/2/rest/refunds', { app_sign: 'f'.repeat(32) }, 1, 'APP_INVALID'],
  ])('answers %s', async (_case, path, fields, code, name) => {
    expect(await get(path, fields)).toMatchObject({ result_code: code, result_msg: name });
  });
});

describe('the refund webhook', () => {
  let server: RunningGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver((_attempt, res) => res.end('success'));
    server = await testServer({ apps: [{ ...REST_APP, webhookUrl: receiver.url }] });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('arrives at the merchant with transaction_type REFUND and verifies with verifyWebhook', async () => {
    const billNo = newBillNo();
    const made = (await (await fetch(restPost(server.url, '/2/rest/bill', restSigned({ channel: 'UN_WAP', total_fee: 500, bill_no: billNo, title: '退款', optional: { order: 7 } })))).json()) as Json;
    await fetch(`${server.url}/sandbox/cashier/${made.id}/pay`, { method: 'POST', redirect: 'manual' });
    await waitFor(() => receiver.received.length === 1);
    const refundNo = newRefundNo();
    const answer = (await (await fetch(restPost(server.url, '/2/rest/refund', restSigned({ refund_no: refundNo, bill_no: billNo, refund_fee: 120, optional: { why: 'late' } }, 'master')))).json()) as Json;
    expect(answer.result_code).toBe(0);
    await waitFor(() => receiver.received.length === 2);
    const verified = verifyWebhook(receiver.received[1]?.body, REST_APP.masterSecret);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.webhook).toMatchObject({ transaction_type: 'REFUND', transaction_id: refundNo, transaction_fee: 120, channel_type: 'UN', sub_channel_type: 'UN_WAP', trade_success: true, optional: { why: 'late' } });
    expect(verified.webhook.message_detail).toMatchObject({ bill_no: billNo, refund_fee: 120, total_fee: 500 });
  });
  it("sends a bill's PAY and REFUND webhooks to its notify_url instead of the app's webhook URL", async () => {
    const other = await startReceiver((_attempt, res) => res.end('success'));
    try {
      const billNo = newBillNo();
      const before = receiver.received.length;
      const made = (await (await fetch(restPost(server.url, '/2/rest/bill', restSigned({ channel: 'WX_NATIVE', total_fee: 50, bill_no: billNo, title: '回调', notify_url: other.url })))).json()) as Json;
      await fetch(`${server.url}/sandbox/cashier/${made.id}/pay`, { method: 'POST', redirect: 'manual' });
      await waitFor(() => other.received.length === 1);
      await fetch(restPost(server.url, '/2/rest/refund', restSigned({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 50 }, 'master')));
      await waitFor(() => other.received.length === 2);
      const types = other.received.map((item) => (JSON.parse(item.body) as { transaction_type: string }).transaction_type);
      expect(types).toEqual(['PAY', 'REFUND']);
      expect(receiver.received.length).toBe(before);
    } finally {
      await other.close();
    }
  });

  it("sends a refund's webhook to the refund's own notify_url", async () => {
    const own = await startReceiver((_attempt, res) => res.end('success'));
    try {
      const billNo = newBillNo();
      const made = (await (await fetch(restPost(server.url, '/2/rest/bill', restSigned({ channel: 'WX_NATIVE', total_fee: 80, bill_no: billNo, title: '回调' })))).json()) as Json;
      await fetch(`${server.url}/sandbox/cashier/${made.id}/pay`, { method: 'POST', redirect: 'manual' });
      const refundNo = newRefundNo();
      await waitFor(() => receiver.received.some((item) => item.body.includes(billNo)));
      const before = receiver.received.length;
      await fetch(restPost(server.url, '/2/rest/refund', restSigned({ refund_no: refundNo, bill_no: billNo, refund_fee: 30, notify_url: own.url }, 'master')));
      await waitFor(() => own.received.length === 1);
      expect(JSON.parse(own.received[0]?.body ?? '{}')).toMatchObject({ transaction_type: 'REFUND', transaction_id: refundNo, transaction_fee: 30 });
      expect(receiver.received.length).toBe(before);
    } finally {
      await own.close();
    }
  });
});
