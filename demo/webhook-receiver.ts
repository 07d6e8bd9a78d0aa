import { verifyWebhook } from '../server-sign';
import type { OrderBook } from './orders';

/** What the receiver decided, for the log and the tests. */
export type WebhookVerdict =
  | { accepted: true; duplicate: boolean; outTradeNo: string; refundNo?: string }
  | { accepted: false; reason: string };

/**
 * Handles a webhook the way the manual asks a merchant to: verify `signature` with the master
 * secret, check the app and that the fee equals our own order's amount, ignore duplicates.
 * Only a verified, matching webhook is answered `success`; anything else is retried by the gateway.
 */
export function receiveWebhook(rawBody: string, appId: string, masterSecret: string, orders: OrderBook): WebhookVerdict {
  const checked = verifyWebhook(rawBody, masterSecret);
  if (!checked.ok) return { accepted: false, reason: checked.error };
  const hook = checked.webhook;
  if (hook.app_id !== appId) return { accepted: false, reason: `app_id ${hook.app_id} is not this shop's app` };
  if (hook.transaction_type === 'REFUND' && hook.trade_success === true) return receiveRefund(hook.transaction_id, hook.transaction_fee, orders);
  if (hook.transaction_type !== 'PAY' || hook.trade_success !== true) {
    return { accepted: false, reason: `not a successful payment (${hook.transaction_type})` };
  }
  const order = orders.get(hook.transaction_id);
  if (!order) return { accepted: false, reason: `no order ${hook.transaction_id} in this shop` };
  if (hook.transaction_fee !== order.amount) {
    return { accepted: false, reason: `fee ${hook.transaction_fee} does not match the order's amount ${order.amount}` };
  }
  order.webhooks += 1;
  if (order.status === 'paid') return { accepted: true, duplicate: true, outTradeNo: order.outTradeNo };
  order.status = 'paid';
  order.paidAt = Date.now();
  order.channel = hook.sub_channel_type;
  return { accepted: true, duplicate: false, outTradeNo: order.outTradeNo };
}

// A refund's webhook names our refund_no; its fee must be the one we asked for.
function receiveRefund(refundNo: string, fee: number, orders: OrderBook): WebhookVerdict {
  const found = orders.findRefund(refundNo);
  if (!found) return { accepted: false, reason: `no refund ${refundNo} in this shop` };
  const { order, refund } = found;
  if (fee !== refund.fee) return { accepted: false, reason: `refund fee ${fee} does not match the ${refund.fee} asked for` };
  order.webhooks += 1;
  if (refund.status === 'refunded') return { accepted: true, duplicate: true, outTradeNo: order.outTradeNo, refundNo };
  refund.status = 'refunded';
  refund.refundedAt = Date.now();
  return { accepted: true, duplicate: false, outTradeNo: order.outTradeNo, refundNo };
}
