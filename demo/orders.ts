import { randomInt } from 'node:crypto';

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
}

/** The demo merchant's order book, kept in memory. */
export interface OrderBook {
  create(title: string, amount: number): ShopOrder;
  get(outTradeNo: string): ShopOrder | undefined;
  list(): ShopOrder[];
}

/** A fresh order number: letters and digits only, 8-32 long, as the gateway requires. */
export function newOutTradeNo(now = Date.now()): string {
  return `demo${now}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** Creates an empty order book. */
export function createOrderBook(): OrderBook {
  const orders = new Map<string, ShopOrder>();
  return {
    create(title, amount) {
      const order: ShopOrder = { outTradeNo: newOutTradeNo(), title, amount, createdAt: Date.now(), status: 'unpaid', webhooks: 0 };
      orders.set(order.outTradeNo, order);
      return order;
    },
    get: (outTradeNo) => orders.get(outTradeNo),
    list: () => [...orders.values()].sort((a, b) => b.createdAt - a.createdAt),
  };
}
