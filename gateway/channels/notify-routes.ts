import { withResultParams } from '../../src/core/return-url';
import type { Bill } from '../bills/bill';
import type { GatewayContext } from '../context';
import { type Answer, answerWith } from '../http/answer';
import { escapeHtml } from '../http/escape-html';
import type { GatewayRequest } from '../http/gateway-request';
import { findBillOfTrade, settleRefund } from './live-payments';
import type { LiveFamily } from './registry';
import { parseFormFields } from './unionpay/fields';
import { verifyUnionpayMessage } from './unionpay/message';

// WeChat's notifications and UnionPay's back notifies are a few KB; anything near this is not one.
const NOTIFY_LIMIT = 64 * 1024;
const NAMES: Record<Exclude<LiveFamily, 'ALI'>, string> = { WX: 'wechat', UN: 'unionpay' };

/**
 * POST /notify/wechat/:appId and POST /notify/unionpay/:appId: a channel's payment or refund notify. Read by the
 * app's connector on the raw body (signature, merchant, decryption), matched to a bill by its trade number, and
 * settled by live-payments (amount checked, paid once, the webhook queued in the same step); a refund notify
 * settles the refund. The channel hears "received" (WeChat 204, UnionPay 200 ok) only once the effect is in the
 * store; a forged, mismatched or unknown notify changes nothing and is refused, so a genuine one is sent again.
 */
export async function receiveChannelNotify(context: GatewayContext, request: GatewayRequest, family: 'WX' | 'UN', appId: string, base: string): Promise<Answer> {
  const name = NAMES[family];
  const connector = context.live?.registry.connectorOf(appId, family, base);
  if (connector === undefined) return answerWith('unknown app', 404, { 'Content-Type': 'text/plain; charset=utf-8' });
  const now = new Date();
  const body = await request.readBody(NOTIFY_LIMIT).catch(() => 'too-large' as const);
  if (body === 'too-large') return connector.notifyReply(false);
  const outcome = await connector.readNotify({ method: request.method, query: request.url.searchParams, header: (header) => request.header(header.toLowerCase()), body }, now);
  if (outcome.kind === 'refused') {
    context.log(`${name} notify for app ${appId} refused: ${outcome.reason}`);
    return connector.notifyReply(false);
  }
  if (outcome.kind === 'ignored') return connector.notifyReply(true);
  const tradeNo = outcome.kind === 'payment' ? outcome.trade.tradeNo : outcome.tradeNo;
  const bill = await findBillOfTrade(context, appId, tradeNo);
  if (bill === undefined) {
    context.log(`${name} notify for app ${appId} refused: trade ${JSON.stringify(tradeNo.slice(0, 64))} is no bill's`);
    return connector.notifyReply(false);
  }
  if (outcome.kind === 'refund') {
    const refund = await context.store.findRefund(appId, 'live', outcome.refundNo);
    // A refund the gateway did not make through the REST API (a late payment's, the merchant's platform): nothing to store.
    if (refund === undefined || refund.bill_id !== bill.id) return connector.notifyReply(true);
    if (outcome.state.fee !== undefined && outcome.state.fee !== refund.refund_fee) {
      context.log(`${name} refund notify for ${refund.refund_no} reports ${outcome.state.fee} fen, the refund is ${refund.refund_fee}; not settled`);
      return connector.notifyReply(false);
    }
    await settleRefund(context, refund, outcome.state, now);
    return connector.notifyReply(true);
  }
  const settled = await context.live!.settle(context, connector, bill, outcome.trade, now);
  if (!settled.stored) context.log(`${name} notify for bill ${bill.id} not settled: ${settled.reason}`);
  return connector.notifyReply(settled.stored);
}

/**
 * GET /return/wechat/:appId/:billId (H5's redirect_url) and GET|POST /return/unionpay/:appId/:billId (frontUrl,
 * where UnionPay POSTs the signed result fields): the buyer's browser back from the channel. A UnionPay return is
 * verified (verifyUnionpayMessage) but, like every return, never marks a bill paid on its own: it triggers a query,
 * and the buyer goes on to the merchant's return_url (with trade_success) or the gateway's result page.
 */
export async function receiveChannelReturn(context: GatewayContext, request: GatewayRequest, family: 'WX' | 'UN', appId: string, billId: string, base: string): Promise<Answer> {
  const known = context.live?.registry.connectorOf(appId, family, base) !== undefined;
  let bill = await context.store.getBill(billId);
  if (!known || bill === undefined || bill.app_id !== appId) {
    return answerWith(page('没有这笔订单', '<p>这个链接没有对应的订单。</p>'), 404, { 'Content-Type': 'text/html; charset=utf-8' });
  }
  if (family === 'UN' && request.method === 'POST') {
    const config = context.live!.registry.unionpayConfig(appId);
    const body = await request.readBody(NOTIFY_LIMIT).catch(() => 'too-large' as const);
    if (config !== undefined && body !== 'too-large') {
      const fields = parseFormFields(body);
      const reason = verifyUnionpayMessage(fields, config.trust, new Date());
      const ours = reason === null && bill.trades?.some((trade) => trade.trade_no === fields.orderId);
      if (!ours) context.log(`unionpay return for bill ${bill.id} not verified: ${reason ?? 'another order'}`);
    }
  }
  bill = await context.live!.reconcile(context, bill, new Date(), { force: true });
  return answerWith(null, 303, { Location: nextPage(bill, base), 'Cache-Control': 'no-store' });
}

/** Where a buyer goes after a channel's return: the merchant's return_url with the result, or the gateway's result page. */
export function nextPage(bill: Bill, base: string): string {
  if (bill.return_url === undefined) return `${base}/sandbox/result/${encodeURIComponent(bill.id)}`;
  return withResultParams(bill.return_url, { out_trade_no: bill.out_trade_no, trade_success: bill.status === 'PAID' ? 'true' : 'false', channel: bill.channel });
}

/** A bare HTML page for a channel's return that cannot go on (everything in it escaped). */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
