import type { Bill } from './bill';

/**
 * Where bills live. Synchronous on purpose: the gateway's find-then-insert for one order must not
 * yield, so that concurrent identical requests make one bill. A durable store implements the same interface.
 */
export interface BillStore {
  /** The bill with this id, or undefined. */
  get(id: string): Bill | undefined;
  /** The bill for this app's order number, or undefined. */
  findByOrder(appId: string, outTradeNo: string): Bill | undefined;
  /** The bill that was handed this WeChat prepay id, or undefined. */
  findByPrepayId(prepayId: string): Bill | undefined;
  /** Adds a new bill; throws when its id or its (app_id, out_trade_no) is taken. */
  insert(bill: Bill): void;
  /** Merges `patch` into the bill and returns the result, or undefined when there is no such bill. */
  update(id: string, patch: Partial<Omit<Bill, 'id' | 'app_id' | 'out_trade_no'>>): Bill | undefined;
  /** Up to `limit` bills, newest first. */
  list(limit: number): Bill[];
  /** Paid bills whose webhook is still to be delivered, so that delivery can resume after a restart. */
  pendingWebhooks(): Bill[];
}
