import type { Optional } from '../../src/core/validate';
import type { BillMode } from './bill';

/** A refund is PENDING from the moment it is accepted (it already counts against the fee) until the channel says. */
export type RefundStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

/** A refund of part or all of a paid bill; `refund_no` is unique per app and mode. */
export interface Refund {
  id: string;
  app_id: string;
  mode: BillMode;
  refund_no: string;
  bill_id: string;
  /** The bill's out_trade_no (REST `bill_no`), kept so that refunds can be listed by it. */
  out_trade_no: string;
  refund_fee: number;
  status: RefundStatus;
  created_at: string;
  finished_at?: string;
  optional?: Optional;
  /** Where this refund's webhook goes instead of the bill's or the app's (REST `notify_url`). */
  notify_url?: string;
  /** The channel's refund number and its message, once it answered. */
  channel_refund_no?: string;
  message_detail?: Record<string, unknown>;
}
