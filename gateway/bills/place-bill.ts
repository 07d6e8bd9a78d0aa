import { JSAPI_CHANNELS } from '../../src/core/channels';
import { type Refusal, refusal } from '../http/api-answer';
import { newJsapiGrant } from '../sandbox/jsapi-grant';
import type { Bill } from './bill';
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
  const unsigned = {
    channel: request.channel,
    return_url: request.returnUrl,
    optional: request.optional,
    openid: request.openid,
    use_app: request.useApp,
    buyer_id: request.buyerId,
    jsapi: grant,
  };
  if (existing === undefined) {
    const bill: Bill = dropUndefined({
      id: newBillId(),
      app_id: request.app.appId,
      out_trade_no: request.outTradeNo,
      title: request.title,
      amount: request.amount,
      fee: request.fee,
      status: 'UNPAID',
      created_at: now.toISOString(),
      ...unsigned,
    });
    store.insert(bill);
    return { ok: true, bill };
  }
  if (existing.title !== request.title || String(existing.amount) !== String(request.amount)) {
    return refuseOrder(
      `out_trade_no ${JSON.stringify(request.outTradeNo)} is already used with another title or amount; an out_trade_no names one order, so use a new one`,
    );
  }
  if (existing.status === 'PAID') return refuseOrder(`out_trade_no ${JSON.stringify(request.outTradeNo)} is already paid`);
  const bill = store.update(existing.id, { ...unsigned, status: 'UNPAID' });
  if (bill === undefined) throw new Error(`bill ${existing.id} vanished from the store`);
  return { ok: true, bill };
}

function refuseOrder(detail: string): PlaceResult {
  return { ok: false, refusal: refusal('PARAM_INVALID', detail, 'out_trade_no') };
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
