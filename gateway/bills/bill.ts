import type { RestChannel } from '../../src/core/channels';
import type { Optional } from '../../src/core/validate';

/** Where a bill stands: only PAID is final; a new bill request for the same order reopens the others. */
export type BillStatus = 'UNPAID' | 'PAID' | 'CANCELLED' | 'FAILED';

/** Live bills go to the app's channels; test bills (REST `/2/rest/sandbox/…`) are always played by the sandbox. */
export type BillMode = 'live' | 'test';

/** The WeChat JSAPI parameters handed out for a bill, kept so that the sandbox can check `pay_sign`. */
export interface JsapiGrant {
  prepay_id: string;
  nonce_str: string;
  timestamp: string;
  pay_sign: string;
}

/** A bill as the store keeps it; `amount` exactly as the page sent it, `fee` the same in fen as a number. */
export interface Bill {
  id: string;
  app_id: string;
  /** Absent on bills written before test mode existed: those are live. */
  mode?: BillMode;
  out_trade_no: string;
  title: string;
  amount: number | string;
  fee: number;
  channel: RestChannel;
  return_url?: string;
  optional?: Optional;
  openid?: string;
  use_app: boolean;
  buyer_id?: string;
  /** Where this bill's webhooks go instead of the app's webhookUrl (REST `notify_url`). */
  notify_url?: string;
  /** Seconds the buyer has to pay (REST `bill_timeout`). */
  bill_timeout?: number;
  status: BillStatus;
  created_at: string;
  paid_at?: string;
  /** The channel's own trade number once paid, and what the channel said (REST `message_detail`). */
  trade_no?: string;
  message_detail?: Record<string, unknown>;
  jsapi?: JsapiGrant;
  /** The live channel trades started for this bill, oldest first; absent on sandbox bills. */
  trades?: ChannelTrade[];
  /** The sum of refunds that succeeded, in fen. */
  refunded_fee?: number;
}

/**
 * One attempt to have a live channel take a bill: the order number the channel saw (the bill's out_trade_no, or
 * the gateway's own `<out_trade_no>_R<n>` once the channel closed a trade under that number), for which channel,
 * and where it stands as far as the gateway knows. The last one is the bill's current trade.
 */
export interface ChannelTrade {
  /** The connector's family, as in the webhook's channel_type. */
  family: 'ALI' | 'WX' | 'UN';
  trade_no: string;
  channel: string;
  created_at: string;
  state: 'open' | 'closed' | 'paid' | 'refunded';
  /** The channel's own number for the trade, once it gave one. */
  channel_trade_no?: string;
}

/** The fields of a bill that never change once it exists. */
export type BillKey = 'id' | 'app_id' | 'mode' | 'out_trade_no';

/** The mode of a bill, live unless it says otherwise. */
export function billMode(bill: Pick<Bill, 'mode'>): BillMode {
  return bill.mode ?? 'live';
}
