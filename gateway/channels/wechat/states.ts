import { ChannelError, type RefundState, type TradeState } from '../connector';

/**
 * A WeChat transaction (query answer or decrypted TRANSACTION notification) as a TradeState. trade_state: SUCCESS and
 * REFUND (转入退款: it was paid) are paid; NOTPAY, USERPAYING and PAYERROR can still be paid; CLOSED and REVOKED cannot.
 */
export function tradeStateOf(transaction: unknown, tradeNo: string): TradeState {
  const t = asObject(transaction, 'transaction');
  const tradeState = typeof t.trade_state === 'string' ? t.trade_state : '';
  const state: TradeState['state'] =
    tradeState === 'SUCCESS' || tradeState === 'REFUND' ? 'paid' : tradeState === 'CLOSED' || tradeState === 'REVOKED' ? 'closed' : 'unpaid';
  const out: TradeState = { tradeNo: typeof t.out_trade_no === 'string' ? t.out_trade_no : tradeNo, state, detail: t };
  const total = (t.amount as { total?: unknown } | undefined)?.total;
  if (state === 'paid') {
    if (!Number.isSafeInteger(total) || (total as number) <= 0) throw new ChannelError('INVALID_ANSWER', 'a paid WeChat transaction without a whole amount.total in fen');
    out.fee = total as number;
  }
  if (typeof t.transaction_id === 'string' && t.transaction_id !== '') out.channelTradeNo = t.transaction_id;
  if (typeof t.success_time === 'string' && t.success_time !== '') out.paidAt = t.success_time;
  return out;
}

/**
 * A WeChat refund (refund answer, query answer or decrypted REFUND notification) as a RefundState: SUCCESS success,
 * PROCESSING pending, CLOSED and ABNORMAL failed (the money did not reach the buyer; ABNORMAL needs the merchant).
 */
export function refundStateOf(refund: unknown): RefundState {
  const r = asObject(refund, 'refund');
  const status = typeof r.status === 'string' ? r.status : typeof r.refund_status === 'string' ? r.refund_status : '';
  let state: RefundState['state'];
  if (status === 'SUCCESS') state = 'success';
  else if (status === 'PROCESSING') state = 'pending';
  else if (status === 'CLOSED' || status === 'ABNORMAL') state = 'failed';
  else throw new ChannelError('INVALID_ANSWER', `a WeChat refund with an unknown status ${JSON.stringify(status)}`);
  const out: RefundState = { state, detail: r };
  if (typeof r.refund_id === 'string' && r.refund_id !== '') out.channelRefundNo = r.refund_id;
  const fee = (r.amount as { refund?: unknown } | undefined)?.refund;
  if (Number.isSafeInteger(fee) && (fee as number) > 0) out.fee = fee as number;
  return out;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ChannelError('INVALID_ANSWER', `WeChat Pay's ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}
