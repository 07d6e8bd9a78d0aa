import { channelFamily } from '../../src/core/channels';
import type { Bill } from '../bills/bill';
import type { Refund } from '../bills/refund';

/**
 * A bill as REST v2 shows it (manual 4.4.1 / 4.4.7); `refunded` says whether it has a refund that did not fail.
 * The creation time goes out as `create_time` (the manual) and `created_time` (what the Java SDK reads in lists).
 */
export function billView(bill: Bill, refunded: boolean, withDetail: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: bill.id,
    bill_no: bill.out_trade_no,
    total_fee: bill.fee,
    // The sandbox channel's trade number is the bill id; a live channel's is its own.
    trade_no: bill.trade_no ?? (bill.status === 'PAID' ? bill.id : ''),
    channel: channelFamily(bill.channel),
    sub_channel: bill.channel,
    title: bill.title,
    spay_result: bill.status === 'PAID',
    create_time: Date.parse(bill.created_at),
    created_time: Date.parse(bill.created_at),
  };
  if (bill.paid_at !== undefined) view.success_time = Date.parse(bill.paid_at);
  view.optional = JSON.stringify(bill.optional ?? {});
  if (withDetail) view.message_detail = JSON.stringify(bill.message_detail ?? {});
  view.revert_result = false;
  view.refund_result = refunded;
  return view;
}

/** A refund as REST v2 shows it (manual 4.4.3 / 4.4.6), with its bill's title, fee and channel; times as for bills. */
export function refundView(refund: Refund, bill: Bill | undefined, withDetail: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: refund.id,
    bill_no: refund.out_trade_no,
    refund_no: refund.refund_no,
    total_fee: bill?.fee ?? 0,
    refund_fee: refund.refund_fee,
    title: bill?.title ?? '',
    channel: bill === undefined ? '' : channelFamily(bill.channel),
    sub_channel: bill?.channel ?? '',
    finish: refund.status !== 'PENDING',
    result: refund.status === 'SUCCESS',
    optional: JSON.stringify(refund.optional ?? {}),
    create_time: Date.parse(refund.created_at),
    created_time: Date.parse(refund.created_at),
  };
  if (withDetail) view.message_detail = JSON.stringify(refund.message_detail ?? {});
  return view;
}

/** What `/2/rest/refund/status` answers for a refund: SUCCESS, PROCESSING (still pending) or FAIL. */
export function refundStatusName(refund: Refund): 'SUCCESS' | 'PROCESSING' | 'FAIL' {
  return refund.status === 'SUCCESS' ? 'SUCCESS' : refund.status === 'PENDING' ? 'PROCESSING' : 'FAIL';
}
