import { withResultParams } from '../../src/core/return-url';
import type { Bill } from '../bills/bill';

/** The merchant's return_url with the result parameters appended (out_trade_no, trade_success, channel). */
export function returnUrlWithResult(returnUrl: string, bill: Bill): string {
  return withResultParams(returnUrl, { out_trade_no: bill.out_trade_no, trade_success: 'true', channel: bill.channel });
}
