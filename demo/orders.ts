import { randomInt } from 'node:crypto';

/** A refund the shop asked the gateway for: `requested` until its verified REFUND webhook arrives. */
export interface ShopRefund {
  refundNo: string;
  fee: number;
  status: 'requested' | 'refunded';
  requestedAt: number;
  refundedAt?: number;
}

/** A shop order as the merchant's own database would hold it. */
export interface ShopOrder {
  outTradeNo: string;
  title: string;
  /** In fen; the webhook's transaction_fee must equal it. */
  amount: number;
  createdAt: number;
  status: 'unpaid' | 'paid';
  paidAt?: number;
  channel?: string;
  /** Webhooks received for this order, duplicates included. */
  webhooks: number;
  /** Refunds asked for by the 退款 button, newest last. */
  refunds: ShopRefund[];
}

/** The demo merchant's order book, kept in memory. */
export interface OrderBook {
  create(title: string, amount: number): ShopOrder;
  get(outTradeNo: string): ShopOrder | undefined;
  list(): ShopOrder[];
  /** The order and refund a refund_no belongs to. */
  findRefund(refundNo: string): { order: ShopOrder; refund: ShopRefund } | undefined;
}

/** A fresh order number: letters and digits only, 8-32 long, as the gateway requires. */
export function newOutTradeNo(now = Date.now()): string {
  return `demo${now}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** The part of an order not yet refunded or asked to be, in fen. */
export function refundable(order: ShopOrder): number {
  return order.status === 'paid' ? order.amount - order.refunds.reduce((sum, refund) => sum + refund.fee, 0) : 0;
}

/** Creates an empty order book. */
export function createOrderBook(): OrderBook {
  const orders = new Map<string, ShopOrder>();
  return {
    create(title, amount) {
      const order: ShopOrder = { outTradeNo: newOutTradeNo(), title, amount, createdAt: Date.now(), status: 'unpaid', webhooks: 0, refunds: [] };
      orders.set(order.outTradeNo, order);
      return order;
    },
    get: (outTradeNo) => orders.get(outTradeNo),
    list: () => [...orders.values()].sort((a, b) => b.createdAt - a.createdAt),
    findRefund(refundNo) {
      for (const order of orders.values()) {
        const refund = order.refunds.find((item) => item.refundNo === refundNo);
        if (refund) return { order, refund };
      }
      return undefined;
    },
  };
}
