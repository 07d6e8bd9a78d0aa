import type { RestChannel } from '../../src/core/channels';
import type { Optional } from '../../src/core/validate';

/** Where a bill stands: only PAID is final; a new bill request for the same order reopens the others. */
export type BillStatus = 'UNPAID' | 'PAID' | 'CANCELLED' | 'FAILED';

/** The WeChat JSAPI parameters handed out for a bill, kept so that the sandbox can check `pay_sign`. */
export interface JsapiGrant {
  prepay_id: string;
  nonce_str: string;
  timestamp: string;
  pay_sign: string;
}

/** Delivery state of a paid bill's webhook: `none` when the app has no webhook URL. */
export interface WebhookState {
  state: 'pending' | 'delivered' | 'failed' | 'none';
  attempts: number;
  next_attempt_at?: string;
  last_result?: string;
}

/** A bill as the store keeps it; `amount` exactly as the page sent it, `fee` the same in fen as a number. */
export interface Bill {
  id: string;
  app_id: string;
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
  status: BillStatus;
  created_at: string;
  paid_at?: string;
  jsapi?: JsapiGrant;
  webhook?: WebhookState;
}
