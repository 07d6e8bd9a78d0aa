import type { Bill } from '../bills/bill';

/**
 * The merchant's return_url with the result parameters appended (out_trade_no, trade_success, channel).
 * The existing query is kept byte for byte: re-serialising it through searchParams would re-encode it.
 */
export function returnUrlWithResult(returnUrl: string, bill: Bill): string {
  const url = new URL(returnUrl);
  const result = new URLSearchParams({ out_trade_no: bill.out_trade_no, trade_success: 'true', channel: bill.channel });
  url.search = url.search.length > 1 ? `${url.search}&${result}` : `?${result}`;
  return url.href;
}
