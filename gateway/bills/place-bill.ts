import { JSAPI_CHANNELS } from '../../src/core/channels';
import { type Refusal, refusal } from '../http/api-answer';
import { newJsapiGrant } from '../sandbox/jsapi-grant';
import type { Bill, JsapiGrant } from './bill';
import type { BillRequest } from './bill-request';
import { newBillId } from './random-id';
import type { BillStore } from './store';

/** The bill a request opened or reopened, or why the order number cannot take it. */
export type PlaceResult = { ok: true; bill: Bill } | { ok: false; refusal: Refusal };

/**
 * Creates the bill for a checked request, or returns the order's existing bill when title and amount match
 * (a buyer may retry, even with another channel). Synchronous, so that find-then-insert cannot interleave.
 */
export function placeBill(store: BillStore, request: BillRequest, now: Date): PlaceResult {
  const existing = store.findByOrder(request.app.appId, request.outTradeNo);
  const grant = JSAPI_CHANNELS.includes(request.channel) ? (existing?.jsapi ?? newJsapiGrant(now)) : existing?.jsapi;
  if (existing === undefined) {
    const bill = newBill(request, grant, now);
    store.insert(bill);
    return { ok: true, bill };
  }
  if (existing.title !== request.title || String(existing.amount) !== String(request.amount)) {
    return refuseOrder(
      `out_trade_no ${JSON.stringify(request.outTradeNo)} is already used with another title or amount; an out_trade_no names one order, so use a new one`,
    );
  }
  if (existing.status === 'PAID') return refuseOrder(`out_trade_no ${JSON.stringify(request.outTradeNo)} is already paid`);
  // The unsigned fields are the new request's, even where it leaves one out.
  const bill = store.update(existing.id, {
    channel: request.channel,
    return_url: request.returnUrl,
    optional: request.optional,
    openid: request.openid,
    use_app: request.useApp,
    buyer_id: request.buyerId,
    jsapi: grant,
    status: 'UNPAID',
  });
  if (bill === undefined) throw new Error(`bill ${existing.id} vanished from the store`);
  return { ok: true, bill };
}

function refuseOrder(detail: string): PlaceResult {
  return { ok: false, refusal: refusal('PARAM_INVALID', detail, 'out_trade_no') };
}

/**
 * The new bill for a request, its optional fields only when given. The fields every bill has are one literal, which
 * V8 keeps compact (and so the store's copy); deleting undefined fields instead would leave a slow dictionary-mode
 * object, and adding use_app after the literal costs ~30 B more per stored bill.
 */
function newBill(request: BillRequest, grant: JsapiGrant | undefined, now: Date): Bill {
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
  if (request.returnUrl !== undefined) bill.return_url = request.returnUrl;
  if (request.optional !== undefined) bill.optional = request.optional;
  if (request.openid !== undefined) bill.openid = request.openid;
  if (request.buyerId !== undefined) bill.buyer_id = request.buyerId;
  if (grant !== undefined) bill.jsapi = grant;
  return bill;
}
