import { JSAPI_CHANNELS } from '../../src/core/channels';
import { type Refusal, refusal } from '../http/api-answer';
import { newJsapiGrant } from '../sandbox/jsapi-grant';
import type { Reopen, Store } from '../stores/store';
import type { Bill, BillMode } from './bill';
import type { BillRequest } from './bill-request';
import { newBillId } from './random-id';

/** The bill a request opened or reopened, or why the order number cannot take it. */
export type PlaceResult = { ok: true; bill: Bill } | { ok: false; refusal: Refusal };

/** What a bill request may carry beyond the button's fields (REST `notify_url`, `bill_timeout`), and its mode. */
export interface PlaceExtras {
  mode?: BillMode;
  notifyUrl?: string;
  billTimeout?: number;
}

/**
 * Creates the bill for a checked request, or reopens the order's existing bill when title and amount match
 * (a buyer may retry, even with another channel), in one atomic step of the store.
 */
export async function placeBill(store: Store, request: BillRequest, now: Date, extras: PlaceExtras = {}): Promise<PlaceResult> {
  const jsapi = JSAPI_CHANNELS.includes(request.channel);
  const candidate = newBill(request, jsapi ? newJsapiGrant(now) : undefined, now, extras);
  const opened = await store.openBill(candidate, (existing): Reopen => {
    if (existing.title !== request.title || String(existing.amount) !== String(request.amount)) {
      return {
        refuse: `out_trade_no ${JSON.stringify(request.outTradeNo)} is already used with another title or amount; an out_trade_no names one order, so use a new one`,
      };
    }
    if (existing.status === 'PAID') return { refuse: `out_trade_no ${JSON.stringify(request.outTradeNo)} is already paid` };
    // The unsigned fields are the new request's, even where it leaves one out; a JSAPI grant, once made, stays.
    return {
      patch: {
        channel: request.channel,
        return_url: request.returnUrl,
        optional: request.optional,
        openid: request.openid,
        use_app: request.useApp,
        buyer_id: request.buyerId,
        notify_url: extras.notifyUrl,
        bill_timeout: extras.billTimeout,
        jsapi: existing.jsapi ?? candidate.jsapi,
        status: 'UNPAID',
      },
    };
  });
  if (opened.outcome === 'refused') return { ok: false, refusal: refusal('PARAM_INVALID', opened.reason, 'out_trade_no') };
  return { ok: true, bill: opened.bill };
}

/**
 * The new bill for a request, its optional fields only when given. The fields every bill has are one literal, which
 * V8 keeps compact (and so the store's copy); deleting undefined fields instead would leave a slow dictionary-mode
 * object, and adding use_app after the literal costs ~30 B more per stored bill.
 */
function newBill(request: BillRequest, grant: Bill['jsapi'], now: Date, extras: PlaceExtras): Bill {
  const bill: Bill = {
    id: newBillId(),
    app_id: request.app.appId,
    out_trade_no: request.outTradeNo,
    title: request.title,
    amount: request.amount,
    fee: request.fee,
    status: 'UNPAID',
    created_at: now.toISOString(),
    channel: request.channel,
    use_app: request.useApp,
  };
  if (extras.mode === 'test') bill.mode = 'test';
  if (request.returnUrl !== undefined) bill.return_url = request.returnUrl;
  if (request.optional !== undefined) bill.optional = request.optional;
  if (request.openid !== undefined) bill.openid = request.openid;
  if (request.buyerId !== undefined) bill.buyer_id = request.buyerId;
  if (extras.notifyUrl !== undefined) bill.notify_url = extras.notifyUrl;
  if (extras.billTimeout !== undefined) bill.bill_timeout = extras.billTimeout;
  if (grant !== undefined) bill.jsapi = grant;
  return bill;
}
