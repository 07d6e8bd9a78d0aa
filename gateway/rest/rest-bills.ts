import { JSAPI_CHANNELS, REST_CHANNELS, type RestChannel, isRestChannel, isRestChannelEnabled } from '../../src/core/channels';
import { describeValue } from '../../src/core/describe-value';
import { BUYER_ID_MAX, OPENID_MAX, checkAmount, checkFlag, checkOptional, checkOutTradeNo, checkReturnUrl, checkShortText, checkTitle } from '../../src/core/validate';
import type { Bill, BillMode, BillStatus } from '../bills/bill';
import type { BillRequest } from '../bills/bill-request';
import { autoSubmitForm, channelAnswer } from '../bills/channel-answer';
import { placeBill } from '../bills/place-bill';
import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import { okAnswer, refusal } from '../http/api-answer';
import type { GatewayRequest } from '../http/gateway-request';
import type { BillQuery, Store } from '../stores/store';
import { hasWechatH5, isWechatH5 } from '../bills/wechat-h5';
import { clientIp } from '../http/client-ip';
import { authenticate, readPara, readRestBody } from './rest-auth';
import { restRefusal } from './rest-answer';
import { type FieldResult, type RestFields, accept, fromChecked, optionalField, readBool, readHttpUrl, readText, readWhole, refuseField } from './rest-fields';
import { type RestFilter, readRestFilter } from './rest-query';
import { billView } from './rest-views';

// Manual 4.2.1: these channels need a return_url (ALI_QRCODE too, which the gateway does not bill on).
const RETURN_URL_CHANNELS: readonly RestChannel[] = ['ALI_WEB', 'UN_WEB', 'JD_WAP', 'JD_WEB'];
const UNPAID_STATUSES: readonly BillStatus[] = ['UNPAID', 'CANCELLED', 'FAILED'];

/**
 * POST /2/rest/bill (and /2/rest/sandbox/bill): checks app_sign and the manual's fields for the channel, then opens
 * the order's bill, or answers its existing one when bill_no, title and total_fee match (the button's rule).
 */
export async function createRestBill(context: GatewayContext, request: GatewayRequest, mode: BillMode, base: string): Promise<Answer> {
  const body = await readRestBody(request);
  if (!body.ok) return restRefusal(body.refusal);
  const auth = authenticate(context.apps, body.fields, mode, 'app', Date.now());
  if (!auth.ok) return restRefusal(auth.refusal);
  const checked = checkRestBill(auth.call.fields, auth.call.app);
  if (!checked.ok) return restRefusal(checked.refusal);
  const { request: billRequest, notifyUrl, billTimeout, buyerIp } = checked.value;
  const extras = { mode, ...(notifyUrl === undefined ? {} : { notifyUrl }), ...(billTimeout === undefined ? {} : { billTimeout }) };
  const placed = await placeBill(context.store, billRequest, new Date(), extras);
  if (!placed.ok) return restRefusal({ ...placed.refusal, field: 'bill_no', detail: placed.refusal.detail.split('out_trade_no').join('bill_no') });
  // A live bill on a channel the app has credentials for starts its trade at the channel; test bills never do.
  const connector = context.live?.connectorFor(placed.bill, billRequest.channel, base);
  if (connector !== undefined && context.live !== undefined) {
    // WeChat H5 wants the buyer's IP: the manual's analysis.ip when the merchant sends it, else the caller's.
    const ip = buyerIp ?? clientIp(request);
    const started = await context.live.start(context, connector, placed.bill, billRequest.channel, base, new Date(), ip === undefined ? {} : { buyerIp: ip });
    if (!started.ok) return restRefusal(started.refusal);
    return okAnswer({ id: placed.bill.id, ...started.answer });
  }
  return okAnswer({ id: placed.bill.id, ...restChannelAnswer(base, placed.bill, billRequest.channel) });
}

/**
 * The button's channel answer, plus an `html` form for JD: the manual lists no JD fields, and the Java SDK reads
 * `html` for JD_WEB and JD_WAP (as for UN_WEB), so JD answers both `html` and `url`.
 */
function restChannelAnswer(base: string, bill: Bill, channel: RestChannel): Record<string, string> {
  const answer = channelAnswer(base, bill, channel);
  return channel === 'JD_WEB' || channel === 'JD_WAP' ? { html: autoSubmitForm(base, bill, channel), ...answer } : answer;
}

/** GET /2/rest/bill/{id}: one bill of the app and mode as `pay`, its message_detail included; NO_SUCH_BILL otherwise. */
export async function restBillById(context: GatewayContext, request: GatewayRequest, mode: BillMode, id: string): Promise<Answer> {
  const para = readPara(request);
  if (!para.ok) return restRefusal(para.refusal);
  const auth = authenticate(context.apps, para.fields, mode, 'app', Date.now());
  if (!auth.ok) return restRefusal(auth.refusal);
  const bill = await context.store.getBill(id);
  if (bill === undefined || bill.app_id !== auth.call.app.appId || (bill.mode ?? 'live') !== mode) {
    return restRefusal(refusal('NO_SUCH_BILL', `id ${JSON.stringify(id.slice(0, 64))} names no ${mode} bill of this app`, 'id'));
  }
  return okAnswer({ pay: billView(bill, await hasRefund(context.store, bill), true) });
}

/** GET /2/rest/bills: the app's bills of this mode matching every filter of manual 4.4.1, newest first. */
export async function restBills(context: GatewayContext, request: GatewayRequest, mode: BillMode): Promise<Answer> {
  const query = await readBillQuery(context, request, mode);
  if (!query.ok) return query.answer;
  const { filter, base, paid } = query;
  const bills = await listBillsPaged(context.store, base, paid, filter);
  const views = await Promise.all(bills.map(async (bill) => billView(bill, await hasRefund(context.store, bill), filter.needDetail)));
  // `count` (all matching bills, not only this page) is not in manual 4.4.1, but the Java SDK reads it here.
  return okAnswer({ bills: views, count: await countBills(context.store, base, paid) });
}

async function countBills(store: Store, base: BillQuery, paid: boolean | undefined): Promise<number> {
  if (paid !== false) return store.countBills(paid === true ? { ...base, status: 'PAID' } : base);
  const counts = await Promise.all(UNPAID_STATUSES.map((status) => store.countBills({ ...base, status })));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** GET /2/rest/bills/count: how many of the app's bills of this mode match the filters of manual 4.4.2. */
export async function restBillsCount(context: GatewayContext, request: GatewayRequest, mode: BillMode): Promise<Answer> {
  const query = await readBillQuery(context, request, mode);
  if (!query.ok) return query.answer;
  return okAnswer({ count: await countBills(context.store, query.base, query.paid) });
}

type BillQueryResult = { ok: true; filter: RestFilter; base: BillQuery; paid: boolean | undefined } | { ok: false; answer: Answer };

async function readBillQuery(context: GatewayContext, request: GatewayRequest, mode: BillMode): Promise<BillQueryResult> {
  const para = readPara(request);
  if (!para.ok) return { ok: false, answer: restRefusal(para.refusal) };
  const auth = authenticate(context.apps, para.fields, mode, 'app', Date.now());
  if (!auth.ok) return { ok: false, answer: restRefusal(auth.refusal) };
  const filter = readRestFilter(auth.call.fields);
  if (!filter.ok) return { ok: false, answer: restRefusal(filter.refusal) };
  const paid = readBool(auth.call.fields, 'spay_result');
  if (!paid.ok) return { ok: false, answer: restRefusal(paid.refusal) };
  const refunded = readBool(auth.call.fields, 'refund_result');
  if (!refunded.ok) return { ok: false, answer: restRefusal(refunded.refusal) };
  const base: BillQuery = { appId: auth.call.app.appId, mode };
  const f = filter.value;
  if (f.channels !== undefined) base.channels = f.channels;
  if (f.outTradeNo !== undefined) base.outTradeNo = f.outTradeNo;
  if (f.startTime !== undefined) base.startTime = f.startTime;
  if (f.endTime !== undefined) base.endTime = f.endTime;
  if (refunded.value !== undefined) base.refunded = refunded.value;
  return { ok: true, filter: f, base, paid: paid.value };
}

/**
 * One page of bills. `spay_result: false` means any status but PAID, which the store's single-status filter cannot
 * say: the three unpaid statuses are listed up to skip + limit each and merged newest first.
 */
async function listBillsPaged(store: Store, base: BillQuery, paid: boolean | undefined, filter: RestFilter): Promise<Bill[]> {
  const page = { skip: filter.skip, limit: filter.limit };
  if (paid === true) return store.listBills({ ...base, status: 'PAID', ...page });
  if (paid === undefined) return store.listBills({ ...base, ...page });
  const lists = await Promise.all(UNPAID_STATUSES.map((status) => store.listBills({ ...base, status, skip: 0, limit: filter.skip + filter.limit })));
  const merged = lists.flat().sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return merged.slice(filter.skip, filter.skip + filter.limit);
}

async function hasRefund(store: Store, bill: Bill): Promise<boolean> {
  const refunds = await store.listRefunds({ appId: bill.app_id, mode: bill.mode ?? 'live', outTradeNo: bill.out_trade_no, limit: 100 });
  return refunds.some((refund) => refund.bill_id === bill.id && refund.status !== 'FAILED');
}

interface RestBill {
  request: BillRequest;
  /** The buyer's IP from the manual's `analysis.ip` (also the SDKs' `anaylsis` spelling), for WeChat H5. */
  buyerIp?: string;
  notifyUrl?: string;
  billTimeout?: number;
}

/**
 * The fields of manual 4.2.1 in its order: channel (known, then enabled), total_fee, bill_no, title, then the
 * optional and per-channel fields. Fields the gateway has no use for (analysis, show_url, limit_credit, the Node
 * SDK's secrets…) are ignored, as the original service ignored them.
 */
function checkRestBill(fields: RestFields, app: BillRequest['app']): FieldResult<RestBill> {
  const channelValue = fields.channel;
  if (channelValue === undefined || channelValue === null || channelValue === '') return refuseField('MISS_PARAM', 'channel is required (got nothing)', 'channel');
  if (!isRestChannel(channelValue)) {
    return refuseField('CHANNEL_INVALID', `channel must be one of ${REST_CHANNELS.join(', ')} (got ${describeValue(channelValue)})`, 'channel');
  }
  const channel = channelValue;
  if (isWechatH5(channel)) {
    if (!hasWechatH5(app)) {
      const rule = `channel ${channel} (WeChat H5) needs the app's live.wechat with "h5": true and a WeChat channel key (wxmp, wx)`;
      return refuseField('PAY_FACTOR_NOT_SET', `${rule}; app ${JSON.stringify(app.appId)} has not`, 'channel');
    }
  } else if (!isRestChannelEnabled(channel, app.channels)) {
    return refuseField('PAY_FACTOR_NOT_SET', `channel ${channel} is not enabled for app ${JSON.stringify(app.appId)} (its channel keys are ${app.channels.join(', ')})`, 'channel');
  }
  const fee = readTotalFee(fields.total_fee);
  if (!fee.ok) return fee;
  const billNo = fromChecked(checkOutTradeNo(fields.bill_no), { from: 'out_trade_no', to: 'bill_no' });
  if (!billNo.ok) return billNo;
  const title = fromChecked(checkTitle(fields.title));
  if (!title.ok) return title;
  const returnUrl = fromChecked(checkReturnUrl(fields.return_url));
  if (!returnUrl.ok) return returnUrl;
  if (returnUrl.value === undefined && RETURN_URL_CHANNELS.includes(channel)) {
    return refuseField('MISS_PARAM', `return_url is required for channel ${channel} (got nothing)`, 'return_url');
  }
  const optional = fromChecked(checkOptional(optionalField(fields.optional)));
  if (!optional.ok) return optional;
  const openid = fromChecked(checkShortText('openid', fields.openid, OPENID_MAX));
  if (!openid.ok) return openid;
  if (JSAPI_CHANNELS.includes(channel) && openid.value === undefined) {
    return refuseField('MISS_PARAM', `openid is required for channel ${channel} (got nothing)`, 'openid');
  }
  const buyerId = fromChecked(checkShortText('buyer_id', fields.buyer_id, BUYER_ID_MAX));
  if (!buyerId.ok) return buyerId;
  const useApp = fromChecked(checkFlag('use_app', fields.use_app, true));
  if (!useApp.ok) return useApp;
  const notifyUrl = readHttpUrl(fields, 'notify_url');
  if (!notifyUrl.ok) return notifyUrl;
  const billTimeout = readWhole(fields, 'bill_timeout', { min: 1 });
  if (!billTimeout.ok) return billTimeout;
  const identityId = readText(fields, 'identity_id', { max: 50, pattern: /^[A-Za-z0-9]+$/, describe: 'at most 50 letters or digits', required: channel === 'YEE_WAP' });
  if (!identityId.ok) return identityId;
  // card_no: the manual requires it for BC_EXPRESS, its SDK samples leave it out; both are accepted, and the sandbox needs none.
  const cardNo = readText(fields, 'card_no', { max: 32, pattern: /^[0-9]+$/, describe: 'a bank card number of digits' });
  if (!cardNo.ok) return cardNo;

  const request: BillRequest = { app, channel, outTradeNo: billNo.value, title: title.value, amount: fee.value, fee: fee.value, useApp: useApp.value };
  if (returnUrl.value !== undefined) request.returnUrl = returnUrl.value;
  if (optional.value !== undefined) request.optional = optional.value;
  if (openid.value !== undefined) request.openid = openid.value;
  if (buyerId.value !== undefined) request.buyerId = buyerId.value;
  const result: RestBill = { request };
  if (notifyUrl.value !== undefined) result.notifyUrl = notifyUrl.value;
  // JD does not take bill_timeout (manual 4.2.1); the SDK samples send it for every channel, so it is dropped, not refused.
  if (billTimeout.value !== undefined && !channel.startsWith('JD_')) result.billTimeout = billTimeout.value;
  const analysis = (fields.analysis ?? fields.anaylsis) as Record<string, unknown> | undefined;
  const ip = typeof analysis === 'object' && analysis !== null ? analysis.ip : undefined;
  if (typeof ip === 'string' && /^[0-9A-Fa-f.:]{2,45}$/.test(ip)) result.buyerIp = ip;
  return accept(result);
}

/** total_fee: a positive whole number of fen (a JSON number, or a digit string), the button's amount rule. */
function readTotalFee(value: unknown): FieldResult<number> {
  const checked = fromChecked(checkAmount(value), { from: 'amount', to: 'total_fee' });
  if (!checked.ok) return checked;
  return accept(Number(checked.value));
}
