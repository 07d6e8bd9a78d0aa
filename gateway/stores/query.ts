import type { Bill } from '../bills/bill';
import { billMode } from '../bills/bill';
import type { Refund } from '../bills/refund';
import type { BillQuery, RefundQuery } from './store';

/** The most bills or refunds one list answers, whatever `limit` asks. */
export const MAX_LIST = 1000;

/** Whether `bill` meets every condition of `query`; `refunded` says whether it has a refund that did not fail. */
export function billMatches(bill: Bill, query: BillQuery, refunded: boolean): boolean {
  if (query.appId !== undefined && bill.app_id !== query.appId) return false;
  if (query.mode !== undefined && billMode(bill) !== query.mode) return false;
  if (query.channels !== undefined && !query.channels.includes(bill.channel)) return false;
  if (query.outTradeNo !== undefined && bill.out_trade_no !== query.outTradeNo) return false;
  if (query.status !== undefined && bill.status !== query.status) return false;
  if (query.refunded !== undefined && refunded !== query.refunded) return false;
  return inTimeRange(bill.created_at, query);
}

/** Whether `refund` (of a bill on `channel`) meets every condition of `query`. */
export function refundMatches(refund: Refund, channel: string | undefined, query: RefundQuery): boolean {
  if (query.appId !== undefined && refund.app_id !== query.appId) return false;
  if (query.mode !== undefined && refund.mode !== query.mode) return false;
  if (query.channels !== undefined && !query.channels.includes(channel as never)) return false;
  if (query.outTradeNo !== undefined && refund.out_trade_no !== query.outTradeNo) return false;
  if (query.refundNo !== undefined && refund.refund_no !== query.refundNo) return false;
  if (query.status !== undefined && refund.status !== query.status) return false;
  return inTimeRange(refund.created_at, query);
}

function inTimeRange(createdAt: string, query: { startTime?: Date; endTime?: Date }): boolean {
  const at = Date.parse(createdAt);
  if (query.startTime !== undefined && at < query.startTime.getTime()) return false;
  if (query.endTime !== undefined && at > query.endTime.getTime()) return false;
  return true;
}

/** The page of `items` (newest first already) that `skip` and `limit` ask for. */
export function page<T>(items: T[], query: { skip?: number; limit?: number }): T[] {
  const skip = Math.max(0, query.skip ?? 0);
  const limit = Math.min(MAX_LIST, Math.max(0, query.limit ?? MAX_LIST));
  return items.slice(skip, skip + limit);
}
