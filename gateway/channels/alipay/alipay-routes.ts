import type { GatewayContext } from '../../context';
import { type Answer, answerWith } from '../../http/answer';
import type { GatewayRequest } from '../../http/gateway-request';
import { confirmRefund, findBillOfTrade } from '../live-payments';
import { nextPage, page } from '../notify-routes';

// Alipay's notifies are small forms; anything near this is not one.
const NOTIFY_LIMIT = 64 * 1024;

/**
 * POST /notify/alipay/:appId: Alipay's async notify. Verified (signature with alipayPublicKey, app_id) and matched
 * to a bill (out_trade_no, total_amount) before anything changes; `success` only once the effect is in the store,
 * `fail` for forged, mismatched or unknown notifies (Alipay then sends it again, and nothing changed).
 */
export async function receiveAlipayNotify(context: GatewayContext, request: GatewayRequest, appId: string): Promise<Answer> {
  const connector = context.live?.registry.alipay(appId);
  if (connector === undefined) return answerWith('fail', 404, { 'Content-Type': 'text/plain; charset=utf-8' });
  const now = new Date();
  const body = await request.readBody(NOTIFY_LIMIT).catch(() => 'too-large' as const);
  if (body === 'too-large') return connector.notifyReply(false);
  const outcome = await connector.readNotify({ method: request.method, query: request.url.searchParams, header: (name) => request.header(name), body }, now);
  if (outcome.kind === 'refused') {
    context.log(`alipay notify for app ${appId} refused: ${outcome.reason}`);
    return connector.notifyReply(false);
  }
  if (outcome.kind === 'ignored') return connector.notifyReply(true);
  const tradeNo = outcome.kind === 'payment' ? outcome.trade.tradeNo : outcome.tradeNo;
  const bill = await findBillOfTrade(context, appId, tradeNo);
  if (bill === undefined) {
    context.log(`alipay notify for app ${appId} refused: trade ${JSON.stringify(tradeNo.slice(0, 64))} is no bill's`);
    return connector.notifyReply(false);
  }
  if (outcome.kind === 'refund') {
    const refund = await context.store.findRefund(appId, 'live', outcome.refundNo);
    // A refund the gateway did not make through the REST API (a late payment's, the merchant's console): known trade, nothing to store.
    if (refund === undefined || refund.bill_id !== bill.id) return connector.notifyReply(true);
    await confirmRefund(context, refund, outcome.state, now);
    return connector.notifyReply(true);
  }
  const settled = await context.live!.settle(context, connector, bill, outcome.trade, now);
  if (!settled.stored) context.log(`alipay notify for bill ${bill.id} not settled: ${settled.reason}`);
  return connector.notifyReply(settled.stored);
}

/**
 * GET /return/alipay/:appId/:billId: the buyer's browser back from Alipay (return_url, or WAP's quit_url). A
 * signed return is verified but never marks a bill paid on its own: it triggers a query, and the buyer goes on to
 * the merchant's return_url (with trade_success) or the gateway's result page.
 */
export async function receiveAlipayReturn(context: GatewayContext, request: GatewayRequest, appId: string, billId: string, base: string): Promise<Answer> {
  const connector = context.live?.registry.alipay(appId);
  let bill = await context.store.getBill(billId);
  if (connector === undefined || bill === undefined || bill.app_id !== appId) {
    return answerWith(page('没有这笔订单', '<p>这个链接没有对应的订单。</p>'), 404, { 'Content-Type': 'text/html; charset=utf-8' });
  }
  const query = request.url.searchParams;
  if (query.has('sign')) {
    const checked = await connector.readReturn(query);
    const ours = checked.ok && bill.trades?.some((trade) => trade.trade_no === checked.tradeNo);
    if (!ours) context.log(`alipay return for bill ${bill.id} not verified: ${checked.ok ? 'another trade' : checked.reason}`);
  }
  bill = await context.live!.reconcile(context, bill, new Date(), { force: true });
  return answerWith(null, 302, { Location: nextPage(bill, base), 'Cache-Control': 'no-store' });
}

