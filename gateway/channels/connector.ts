import type { RestChannel } from '../../src/core/channels';
import type { Bill } from '../bills/bill';
import type { Refund } from '../bills/refund';
import type { Answer } from '../http/answer';

/**
 * The seam between the gateway and a payment channel. The sandbox is one implementation; Alipay, WeChat Pay and
 * UnionPay each are another, in a folder of their own under channels/. A connector speaks its channel's protocol
 * (requests, signatures, notify format, money format) and nothing else: it never touches the store. The gateway
 * decides what a verified notify or query means for a bill (the amount check, paid once, the webhook).
 */
export interface ChannelConnector {
  /** The channel family this connector serves, as in the webhook's channel_type. */
  readonly family: 'ALI' | 'WX' | 'UN';

  /** Starts a payment for `request.bill` on `request.channel`; answers the REST v2 fields the buyer's page follows. */
  createPayment(request: PaymentRequest): Promise<PaymentAnswer>;

  /**
   * Reads a notify exactly as the channel sent it (raw body, headers): verifies its signature, that it is for this
   * merchant (app id, merchant id), decrypts it where the channel encrypts; never throws for bad input.
   */
  readNotify(notify: IncomingNotify, now: Date): Promise<NotifyOutcome>;

  /** The HTTP answer the channel expects: `stored` true once the notify's effect is in the store, false to have it resent. */
  notifyReply(stored: boolean): Answer;

  /** Asks the channel where the trade `tradeNo` stands (reconciling a lost notify). */
  queryPayment(tradeNo: string, bill: Bill): Promise<TradeState>;

  /** Closes the unpaid trade `tradeNo` before another one starts for the same bill; says whether it was paid meanwhile. */
  closePayment(tradeNo: string, bill: Bill): Promise<CloseOutcome>;

  /** Refunds `refund.refund_fee` of the paid trade `tradeNo`, keyed by `refund.refund_no` (so a retry is the same refund). */
  refund(tradeNo: string, bill: Bill, refund: Refund): Promise<RefundState>;

  /** Asks the channel where a refund stands. */
  queryRefund(tradeNo: string, bill: Bill, refund: Refund): Promise<RefundState>;
}

/** What a connector needs to start a payment. */
export interface PaymentRequest {
  bill: Bill;
  channel: RestChannel;
  /** The order number the channel sees: the merchant's out_trade_no, or the gateway's own for a retried closed trade. */
  tradeNo: string;
  /** The gateway's notify URL for this connector and app, under SPAY_PUBLIC_URL (no query string). */
  notifyUrl: string;
  /** The gateway's own return URL for the buyer (it verifies the return, then sends the buyer to bill.return_url). */
  returnUrl: string;
  /** The buyer's IP address, where the channel asks for it (WeChat H5 scene_info). */
  buyerIp?: string;
  now: Date;
}

/** The REST v2 answer fields for a started payment: `html` and/or `url`, `code_url`, or WeChat JSAPI's fields. */
export type PaymentAnswer = Record<string, string>;

/** A notify as received, untouched: verify on these bytes, not on a re-serialised copy. */
export interface IncomingNotify {
  method: string;
  /** The query string, for channels that sign it (a sync return). */
  query: URLSearchParams;
  header(name: string): string | null;
  body: Uint8Array;
}

/** What a verified notify says, or why it is refused (the reason goes to the log, never to the channel). */
export type NotifyOutcome =
  | { kind: 'payment'; trade: TradeState }
  | { kind: 'refund'; tradeNo: string; refundNo: string; state: RefundState }
  | { kind: 'ignored'; reason: string }
  | { kind: 'refused'; reason: string };

/** Where a trade stands at the channel; `fee` in integer fen, converted from the channel's money format exactly. */
export interface TradeState {
  tradeNo: string;
  state: 'paid' | 'unpaid' | 'closed' | 'not_found';
  fee?: number;
  channelTradeNo?: string;
  paidAt?: string;
  /** What the channel said, for the webhook's message_detail (no secrets). */
  detail: Record<string, unknown>;
}

/** The outcome of closing a trade: closed (or never created at the channel), or paid after all. */
export type CloseOutcome = { state: 'closed' } | { state: 'paid'; trade: TradeState };

/** Where a refund stands at the channel. */
export interface RefundState {
  state: 'success' | 'pending' | 'failed';
  channelRefundNo?: string;
  /** The refund's amount as the channel reports it, in fen, when it does. */
  fee?: number;
  detail: Record<string, unknown>;
}

/**
 * The channel refused a request or could not be reached: the merchant sees CHANNEL_ERROR with `message` in
 * err_detail (the channel's own code and words, never a secret).
 */
export class ChannelError extends Error {
  readonly channelCode: string;
  constructor(channelCode: string, message: string) {
    super(message);
    this.name = 'ChannelError';
    this.channelCode = channelCode;
  }
}

/** Whether `error` is a ChannelError. */
export function isChannelError(error: unknown): error is ChannelError {
  return error instanceof ChannelError;
}

/**
 * Yuan with exactly two decimals from integer fen, by integer arithmetic (198999 → "1989.99", 1 → "0.01"); throws on
 * a fee that is not a positive whole number of fen.
 */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen <= 0) throw new RangeError(`expected a positive whole number of fen, got ${fen}`);
  const text = String(fen).padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** Integer fen from a channel's yuan string ("1989.99" → 198999, "5" → 500), or undefined when it is not one exactly. */
export function yuanToFen(yuan: string): number | undefined {
  const match = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (match === null) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
