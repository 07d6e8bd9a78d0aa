import { channelFamily } from '../../src/core/channels';
import { describeValue } from '../../src/core/describe-value';
import { checkOptional, checkOutTradeNo } from '../../src/core/validate';
import type { Bill, BillMode } from '../bills/bill';
import { newBillId } from '../bills/random-id';
import type { Refund } from '../bills/refund';
import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import { type Refusal, okAnswer, refusal } from '../http/api-answer';
import type { GatewayRequest } from '../http/gateway-request';
import { paidTradeOf, queryLiveRefund, refundLive } from '../channels/live-payments';
import { playRefund } from '../sandbox/play-refund';
import type { RefundQuery } from '../stores/store';
import { checkRefundNo } from './refund-no';
import { restRefusal } from './rest-answer';
import { authenticate, readPara, readRestBody } from './rest-auth';
import { readChannelFilter } from './rest-channels';
import { type FieldResult, type RestFields, accept, fromChecked, optionalField, readBool, readHttpUrl, readText, readWhole, refuseField } from './rest-fields';
import { type RestFilter, readRestFilter } from './rest-query';
import { refundStatusName, refundView } from './rest-views';

/**
 * POST /2/rest/refund (and /2/rest/sandbox/refund), signed with the master secret (the test secret in test mode):
 * refunds a paid bill in full or in part, several times up to its fee. The same refund_no for the same bill and fee
 * answers the refund already made. The sandbox plays the refund at once, which queues its REFUND webhook; a live
 * bill (paid on a trade of a live connector) is refunded by that channel (see refundLive): its refusal is
 * CHANNEL_ERROR with the channel's code and words in err_detail.
 */
export async function createRestRefund(context: GatewayContext, request: GatewayRequest, mode: BillMode, base?: string): Promise<Answer> {
  const body = await readRestBody(request);
  if (!body.ok) return restRefusal(body.refusal);
  const now = Date.now();
  const auth = authenticate(context.apps, body.fields, mode, 'master', now);
  if (!auth.ok) return restRefusal(auth.refusal);
  const { app, fields } = auth.call;
  const checked = checkRefundOrder(fields, now);
  if (!checked.ok) return restRefusal(checked.refusal);
  const refunded = await refundBill(context, app.appId, mode, checked.value, now, base);
  return refunded.ok ? okAnswer({ id: refunded.refund.id }) : restRefusal(refunded.refusal);
}

/** A refund to make of one bill: what POST /2/rest/refund and the console's refund both ask for, checked. */
export interface RefundOrder {
  refundNo: string;
  billNo: string;
  refundFee: number;
  optional?: Refund['optional'];
  notifyUrl?: string;
  channels?: Bill['channel'][];
}

/**
 * Refunds `order.refundFee` of the app's bill `order.billNo` (of `mode`) by the rules of /2/rest/refund: the bill must
 * be paid, the refunds that did not fail stay within its fee (also under concurrent requests), one refund per
 * refund_no. The same refund_no for the same bill and fee answers the refund already made. The sandbox plays the
 * refund at once, which queues its REFUND webhook. Returns the refund as it stands, or the refusal.
 */
export async function refundBill(
  context: GatewayContext,
  appId: string,
  mode: BillMode,
  order: RefundOrder,
  now: number,
  base?: string,
): Promise<{ ok: true; refund: Refund } | { ok: false; refusal: Refusal }> {
  const { refundNo, billNo, refundFee, optional, notifyUrl, channels } = order;
  const refuse = (refused: Refusal) => ({ ok: false as const, refusal: refused });
  const bill = await context.store.findBill(appId, mode, billNo);
  if (bill === undefined) return refuse(refusal('NO_SUCH_BILL', `bill_no ${JSON.stringify(billNo)} names no ${mode} bill of this app`, 'bill_no'));
  if (channels !== undefined && !channels.includes(bill.channel)) {
    const rule = `channel must be the bill's channel ${channelFamily(bill.channel)} (or ${bill.channel}), or be left out`;
    return refuse(refusal('PARAM_INVALID', `${rule} (got ${channels.join(', ')})`, 'channel'));
  }
  const candidate: Refund = {
    id: newBillId(),
    app_id: appId,
    mode,
    refund_no: refundNo,
    bill_id: bill.id,
    out_trade_no: bill.out_trade_no,
    refund_fee: refundFee,
    status: 'PENDING',
    created_at: new Date(now).toISOString(),
  };
  if (optional !== undefined) candidate.optional = optional;
  if (notifyUrl !== undefined) candidate.notify_url = notifyUrl;
  const result = await context.store.createRefund(candidate);
  switch (result.outcome) {
    case 'created':
    case 'existing': {
      // An existing refund still PENDING (its gateway stopped before the channel answered) is sent again: the same
      // refund_no is the same refund at the channel. Settled ones stay.
      if (result.refund.status !== 'PENDING') return { ok: true, refund: result.refund };
      const paidBill = (await context.store.getBill(bill.id)) ?? bill;
      const trade = paidTradeOf(paidBill);
      const connector = trade === undefined ? undefined : context.live?.connectorFor(paidBill, trade.channel, base);
      if (trade === undefined || connector === undefined) return { ok: true, refund: await playRefund(context, result.refund, new Date()) };
      const live = await refundLive(context, connector, trade.trade_no, paidBill, result.refund, new Date());
      if (live.error !== undefined) {
        const outcome = live.refund.status === 'PENDING' ? 'its outcome is not known yet: ask /2/rest/refund/status' : 'the refund failed';
        return refuse(refusal('CHANNEL_ERROR', `${live.error.code}: ${live.error.message} (refund ${live.refund.id}: ${outcome})`, 'refund_no'));
      }
      return { ok: true, refund: live.refund };
    }
    case 'no_bill':
      return refuse(refusal('NO_SUCH_BILL', `bill_no ${JSON.stringify(billNo)} names no ${mode} bill of this app`, 'bill_no'));
    case 'not_paid':
      return refuse(refusal('BILL_UNSUCCESS', `bill_no ${JSON.stringify(billNo)} is not paid (${bill.status}); only a paid bill can be refunded`, 'bill_no'));
    case 'too_large':
      return refuse(
        refusal(
          'REFUND_AMOUNT_TOO_LARGE',
          `refund_fee must be at most what is left to refund of bill_no ${JSON.stringify(billNo)}: ${result.available ?? 0} of its total_fee ${bill.fee} fen (got ${refundFee})`,
          'refund_fee',
        ),
      );
    case 'refund_no_taken':
      return refuse(await refundNoTaken(context, appId, mode, refundNo, bill));
  }
}

/** GET /2/rest/refund/{id}: one refund of the app and mode as `refund`; NO_SUCH_REFUND otherwise. */
export async function restRefundById(context: GatewayContext, request: GatewayRequest, mode: BillMode, id: string): Promise<Answer> {
  const para = readPara(request);
  if (!para.ok) return restRefusal(para.refusal);
  const auth = authenticate(context.apps, para.fields, mode, 'app', Date.now());
  if (!auth.ok) return restRefusal(auth.refusal);
  const refund = await context.store.getRefund(id);
  if (refund === undefined || refund.app_id !== auth.call.app.appId || refund.mode !== mode) {
    return restRefusal(refusal('NO_SUCH_REFUND', `id ${JSON.stringify(id.slice(0, 64))} names no ${mode} refund of this app`, 'id'));
  }
  return okAnswer({ refund: refundView(refund, await context.store.getBill(refund.bill_id), true) });
}

/** GET /2/rest/refunds: the app's refunds of this mode matching every filter of manual 4.4.3, newest first. */
export async function restRefunds(context: GatewayContext, request: GatewayRequest, mode: BillMode): Promise<Answer> {
  const query = readRefundQuery(context, request, mode);
  if (!query.ok) return query.answer;
  if (query.none) return okAnswer({ refunds: [], count: 0 });
  const refunds = await context.store.listRefunds({ ...query.base, skip: query.filter.skip, limit: query.filter.limit });
  const bills = new Map<string, Bill | undefined>();
  const views = [];
  for (const refund of refunds) {
    if (!bills.has(refund.bill_id)) bills.set(refund.bill_id, await context.store.getBill(refund.bill_id));
    views.push(refundView(refund, bills.get(refund.bill_id), query.filter.needDetail));
  }
  // `count` (all matching refunds) is not in manual 4.4.3, but the Java SDK reads it here.
  return okAnswer({ refunds: views, count: await context.store.countRefunds(query.base) });
}

/** GET /2/rest/refunds/count: how many of the app's refunds of this mode match the filters of manual 4.4.4. */
export async function restRefundsCount(context: GatewayContext, request: GatewayRequest, mode: BillMode): Promise<Answer> {
  const query = readRefundQuery(context, request, mode);
  if (!query.ok) return query.answer;
  return okAnswer({ count: query.none ? 0 : await context.store.countRefunds(query.base) });
}

/**
 * GET /2/rest/refund/status: the `refund_status` (SUCCESS, PROCESSING or FAIL) of one refund_no. The manual requires
 * `channel` (WX, YEE, KUAIQIAN, BD: the channels that send no refund notify); here every refund has a known status, so
 * channel may be left out, and when given must be a channel name.
 */
export async function restRefundStatus(context: GatewayContext, request: GatewayRequest, mode: BillMode, base?: string): Promise<Answer> {
  const para = readPara(request);
  if (!para.ok) return restRefusal(para.refusal);
  const auth = authenticate(context.apps, para.fields, mode, 'app', Date.now());
  if (!auth.ok) return restRefusal(auth.refusal);
  const channels = readChannelFilter(auth.call.fields);
  if (!channels.ok) return restRefusal(channels.refusal);
  const refundNo = readText(auth.call.fields, 'refund_no', { max: 32, pattern: /^[A-Za-z0-9]+$/, describe: 'the refund_no of a refund: letters and digits', required: true });
  if (!refundNo.ok) return restRefusal(refundNo.refusal);
  const found = await context.store.findRefund(auth.call.app.appId, mode, refundNo.value as string);
  if (found === undefined) {
    return restRefusal(refusal('NO_SUCH_REFUND', `refund_no ${JSON.stringify(refundNo.value)} names no ${mode} refund of this app`, 'refund_no'));
  }
  // A live refund still PENDING asks its channel (WeChat and UnionPay may take a while, and a notify may be lost).
  const refund = mode === 'live' ? await queryLiveRefund(context, found, new Date(), base) : found;
  return okAnswer({ refund_status: refundStatusName(refund) });
}

type RefundQueryResult = { ok: true; filter: RestFilter; base: RefundQuery; none: boolean } | { ok: false; answer: Answer };

function readRefundQuery(context: GatewayContext, request: GatewayRequest, mode: BillMode): RefundQueryResult {
  const para = readPara(request);
  if (!para.ok) return { ok: false, answer: restRefusal(para.refusal) };
  const auth = authenticate(context.apps, para.fields, mode, 'app', Date.now());
  if (!auth.ok) return { ok: false, answer: restRefusal(auth.refusal) };
  const filter = readRestFilter(auth.call.fields);
  if (!filter.ok) return { ok: false, answer: restRefusal(filter.refusal) };
  const refundNo = readText(auth.call.fields, 'refund_no', { max: 32, pattern: /^[A-Za-z0-9]+$/, describe: 'a refund_no: letters and digits' });
  if (!refundNo.ok) return { ok: false, answer: restRefusal(refundNo.refusal) };
  // need_approval true asks for pre-refunds awaiting approval; the gateway makes none, so that list is empty.
  const approval = readBool(auth.call.fields, 'need_approval');
  if (!approval.ok) return { ok: false, answer: restRefusal(approval.refusal) };
  const f = filter.value;
  const base: RefundQuery = { appId: auth.call.app.appId, mode };
  if (f.channels !== undefined) base.channels = f.channels;
  if (f.outTradeNo !== undefined) base.outTradeNo = f.outTradeNo;
  if (refundNo.value !== undefined) base.refundNo = refundNo.value;
  if (f.startTime !== undefined) base.startTime = f.startTime;
  if (f.endTime !== undefined) base.endTime = f.endTime;
  return { ok: true, filter: f, base, none: approval.value === true };
}


/** The fields of manual 4.3.1: refund_no, bill_no, refund_fee, then channel, optional, notify_url, need_approval. */
function checkRefundOrder(fields: RestFields, now: number): FieldResult<RefundOrder> {
  const refundNo = checkRefundNo(fields.refund_no, now);
  if (!refundNo.ok) return refundNo;
  const billNo = fromChecked(checkOutTradeNo(fields.bill_no), { from: 'out_trade_no', to: 'bill_no' });
  if (!billNo.ok) return billNo;
  const refundFee = readWhole(fields, 'refund_fee', { min: 1, required: true });
  if (!refundFee.ok) return refundFee;
  const channels = readChannelFilter(fields);
  if (!channels.ok) return channels;
  const optional = fromChecked(checkOptional(optionalField(fields.optional)));
  if (!optional.ok) return optional;
  // The refund's webhook goes to notify_url when given, else where the bill's webhooks go.
  const notifyUrl = readHttpUrl(fields, 'notify_url');
  if (!notifyUrl.ok) return notifyUrl;
  const approval = readBool(fields, 'need_approval');
  if (!approval.ok) return approval;
  if (approval.value === true) {
    return refuseField('PARAM_INVALID', 'need_approval must be false or left out: this gateway makes no pre-refunds (预退款), it refunds at once (got true)', 'need_approval');
  }
  const value: RefundOrder = { refundNo: refundNo.value, billNo: billNo.value, refundFee: refundFee.value as number };
  if (optional.value !== undefined) value.optional = optional.value;
  if (notifyUrl.value !== undefined) value.notifyUrl = notifyUrl.value;
  if (channels.value !== undefined) value.channels = channels.value;
  return accept(value);
}

async function refundNoTaken(context: GatewayContext, appId: string, mode: BillMode, refundNo: string, bill: Bill) {
  const taken = await context.store.findRefund(appId, mode, refundNo);
  if (taken !== undefined && taken.bill_id === bill.id && taken.status === 'PENDING') {
    const detail =
      `refund_no ${JSON.stringify(refundNo)} is a refund of this bill still being processed (refund_fee ${taken.refund_fee}); ` +
      'ask its status with /2/rest/refund/status';
    return refusal('ALREADY_REFUNDING', detail, 'refund_no');
  }
  const which = taken === undefined ? 'another refund' : `the refund of bill_no ${JSON.stringify(taken.out_trade_no)} for ${taken.refund_fee} fen`;
  const detail =
    `refund_no must be unique per app: ${JSON.stringify(refundNo)} is already ${which}; ` +
    'the same refund_no again must name the same bill_no and refund_fee';
  return refusal('PARAM_INVALID', detail, 'refund_no');
}
