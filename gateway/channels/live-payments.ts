import type { RestChannel } from '../../src/core/channels';
import { type Bill, type ChannelTrade, billMode } from '../bills/bill';
import type { Refund } from '../bills/refund';
import { newBillId } from '../bills/random-id';
import type { GatewayContext } from '../context';
import { type Refusal, refusal } from '../http/api-answer';
import { payBill } from '../sandbox/settle';
import { type ChannelConnector, type PaymentAnswer, type RefundState, type TradeState, isChannelError } from './connector';
import { type ChannelRegistry, FAMILY_PATHS } from './registry';

/** A live payment started (the answer fields for the buyer's page), or why not. */
export type StartResult = { ok: true; bill: Bill; answer: PaymentAnswer } | { ok: false; refusal: Refusal };

/** Whether a channel's verdict on a trade is now in the store (`stored`), so that the channel may stop resending. */
export interface SettleResult {
  stored: boolean;
  reason?: string;
}

/**
 * The gateway's side of live channels: starting a trade for a bill (closing the previous one first), settling a
 * bill from what a verified notify or a query says (amount checked, paid once, the webhook queued in the same
 * step), refunding a payment that arrived on a superseded trade, and reconciling unpaid bills by query at a
 * bounded rate. Connectors speak the channel; this decides what it means for a bill.
 */
export interface LivePayments {
  readonly registry: ChannelRegistry;
  /** The live connector for this bill's app and channel, or undefined for the sandbox (and for test-mode bills). */
  connectorFor(bill: Pick<Bill, 'app_id' | 'mode'>, channel: string, base?: string): ChannelConnector | undefined;
  /**
   * Starts a trade for `bill` on `connector`, closing the bill's open trade first on that trade's own connector
   * (another family's when the buyer switched between Alipay, WeChat and UnionPay): one payment per order.
   */
  start(context: GatewayContext, connector: ChannelConnector, bill: Bill, channel: RestChannel, base: string, now: Date, extras?: StartExtras): Promise<StartResult>;
  settle(context: GatewayContext, connector: ChannelConnector, bill: Bill, trade: TradeState, now: Date): Promise<SettleResult>;
  /**
   * Asks the channel about an unpaid bill's open trade (not more often than the query interval, `force`: once a
   * second; at most `maxConcurrentQueries` at once) and settles it; the bill as it now stands.
   */
  reconcile(context: GatewayContext, bill: Bill, now: Date, options?: { force?: boolean }): Promise<Bill>;
  /**
   * Closes the bill's open live trade, if any, before the bill goes to a channel that is not live (the sandbox): one
   * payment per order. Answers a refusal when the trade was paid meanwhile (the bill is then paid) or the channel
   * cannot say; null when the way is clear.
   */
  retire(context: GatewayContext, bill: Bill, now: Date): Promise<Refusal | null>;
  /** Reconciles the recent unpaid live bills of every live app, one query at a time. */
  sweep(context: GatewayContext, now: Date): Promise<void>;
}

/** What a trade's start may need beyond the bill: the buyer's IP address (WeChat H5). */
export interface StartExtras {
  buyerIp?: string;
}

/** How often one bill may be queried, how many queries may run at once, how far back the sweep looks. */
export interface LivePaymentOptions {
  queryIntervalMs?: number;
  maxConcurrentQueries?: number;
  sweepWindowMs?: number;
}

const GATEWAY_NUMBER = /_R\d+$/;
// UnionPay's orderId takes letters and digits only, so its own numbers are <out_trade_no>R<n>.
const GATEWAY_NUMBER_UN = /R\d+$/;

/** The bill's out_trade_no for a trade number the gateway gave a channel (its own `_R<n>` numbers map back). */
export function orderNumberOfTrade(tradeNo: string): string {
  return tradeNo.replace(GATEWAY_NUMBER, '');
}

/** The trade number of a bill's `n`th retried trade on `family`. */
export function retryTradeNo(outTradeNo: string, n: number, family: ChannelConnector['family']): string {
  return family === 'UN' ? `${outTradeNo}R${n}` : `${outTradeNo}_R${n}`;
}

/** Finds the live bill of `appId` that a channel's trade number belongs to (one of its trades), or undefined. */
export async function findBillOfTrade(context: GatewayContext, appId: string, tradeNo: string): Promise<Bill | undefined> {
  // The number itself, or one of the gateway's retry numbers; an out_trade_no may itself end in R<digits>.
  const candidates = [...new Set([orderNumberOfTrade(tradeNo), tradeNo.replace(GATEWAY_NUMBER_UN, ''), tradeNo])];
  for (const outTradeNo of candidates) {
    const bill = await context.store.findBill(appId, 'live', outTradeNo);
    if (bill?.trades?.some((trade) => trade.trade_no === tradeNo)) return bill;
  }
  return undefined;
}

/** Creates the gateway's live payment logic over a registry of connectors. */
export function createLivePayments(registry: ChannelRegistry, options: LivePaymentOptions = {}): LivePayments {
  const queryIntervalMs = options.queryIntervalMs ?? 5_000;
  const maxConcurrent = options.maxConcurrentQueries ?? 4;
  const sweepWindowMs = options.sweepWindowMs ?? 24 * 3600_000;
  const lastQuery = new Map<string, number>();
  let running = 0;

  const connectorFor = (bill: Pick<Bill, 'app_id' | 'mode'>, channel: string, base?: string) =>
    billMode(bill) === 'live' ? registry.connectorFor(bill.app_id, channel, base) : undefined;

  const refundLate = async (context: GatewayContext, connector: ChannelConnector, bill: Bill, trade: TradeState, now: Date): Promise<SettleResult> => {
    const fee = trade.fee ?? bill.fee;
    // Keyed by the trade, so that a resent notify refunds once; UnionPay's orderId takes no underscore.
    const refundNo = connector.family === 'UN' ? `LATE${trade.tradeNo}` : `late_${trade.tradeNo}`;
    const refund: Refund = {
      id: refundNo,
      app_id: bill.app_id,
      mode: 'live',
      refund_no: refundNo,
      bill_id: bill.id,
      out_trade_no: bill.out_trade_no,
      refund_fee: fee,
      status: 'PENDING',
      created_at: now.toISOString(),
    };
    let state: RefundState;
    try {
      state = await connector.refund(trade.tradeNo, bill, refund);
    } catch (error) {
      context.log(`live: bill ${bill.id}: a payment on superseded trade ${trade.tradeNo} could not be refunded yet (${(error as Error).message})`);
      return { stored: false, reason: 'the refund of a superseded trade failed' };
    }
    const report = { trade_no: trade.tradeNo, channel_trade_no: trade.channelTradeNo, fee, refund_no: refund.refund_no, refund_state: state.state, refunded_at: now.toISOString() };
    await context.store.modifyBill(bill.id, (fresh) => {
      const late = Array.isArray(fresh.message_detail?.late_payments) ? [...(fresh.message_detail.late_payments as Array<Record<string, unknown>>)] : [];
      if (!late.some((entry) => entry.trade_no === trade.tradeNo)) late.push(report);
      return {
        trades: (fresh.trades ?? []).map((entry) => (entry.trade_no === trade.tradeNo ? { ...entry, state: 'refunded' as const } : entry)),
        message_detail: { ...fresh.message_detail, late_payments: late },
      };
    });
    context.log(`live: bill ${bill.id}: a payment of ${fee} fen on superseded trade ${trade.tradeNo} was refunded (${state.state})`);
    return { stored: true };
  };

  const settle = async (context: GatewayContext, connector: ChannelConnector, bill: Bill, trade: TradeState, now: Date): Promise<SettleResult> => {
    const entry = bill.trades?.find((candidate) => candidate.trade_no === trade.tradeNo);
    if (entry === undefined) return { stored: false, reason: `trade ${trade.tradeNo} is not one of bill ${bill.id}'s` };
    if (trade.state !== 'paid') {
      if (trade.state === 'closed' && entry.state === 'open') await markTrade(context, bill, trade.tradeNo, { state: 'closed' });
      return { stored: true };
    }
    if (trade.fee !== bill.fee) {
      context.log(`live: bill ${bill.id}: trade ${trade.tradeNo} reports ${trade.fee ?? 'no'} fen paid, the bill is ${bill.fee} fen; not settled`);
      return { stored: false, reason: 'the amount does not match the bill' };
    }
    const current = bill.trades?.at(-1);
    if (bill.status === 'PAID') {
      if (entry.state === 'paid' || (trade.channelTradeNo !== undefined && bill.trade_no === trade.channelTradeNo)) return { stored: true };
      return refundLate(context, connector, bill, trade, now);
    }
    if (entry !== current) return refundLate(context, connector, bill, trade, now);
    const trades = (bill.trades ?? []).map((candidate) => (candidate === entry ? paidTrade(candidate, trade) : candidate));
    const patch: Partial<Bill> = { trades, message_detail: { ...bill.message_detail, ...trade.detail } };
    if (trade.channelTradeNo !== undefined) patch.trade_no = trade.channelTradeNo;
    const paid = await payBill(context, bill, now, patch);
    if (paid.changed) return { stored: true };
    // Another notify or gateway got there first: the same trade is a repeat, another one a late payment.
    const now_ = paid.bill;
    if (now_ === undefined) return { stored: false, reason: 'the bill is gone' };
    return settle(context, connector, now_, trade, now);
  };

  const reconcile = async (context: GatewayContext, bill: Bill, now: Date, reconcileOptions: { force?: boolean } = {}): Promise<Bill> => {
    const current = bill.trades?.at(-1);
    if (bill.status === 'PAID' || current === undefined || current.state !== 'open') return bill;
    const connector = connectorFor(bill, current.channel, context.publicUrl);
    if (connector === undefined) return bill;
    const last = lastQuery.get(bill.id) ?? 0;
    // A buyer's return asks sooner, but still not more than once a second per bill: anyone can load that URL.
    const interval = reconcileOptions.force ? Math.min(1_000, queryIntervalMs) : queryIntervalMs;
    if (now.getTime() - last < interval || running >= maxConcurrent) return bill;
    lastQuery.set(bill.id, now.getTime());
    if (lastQuery.size > 10_000) lastQuery.delete(lastQuery.keys().next().value as string);
    running += 1;
    let trade: TradeState;
    try {
      trade = await connector.queryPayment(current.trade_no, bill);
    } catch (error) {
      context.log(`live: bill ${bill.id}: query of trade ${current.trade_no} failed (${(error as Error).message})`);
      return bill;
    } finally {
      running -= 1;
    }
    if (trade.state === 'not_found' || trade.state === 'unpaid') return bill;
    const settled = await settle(context, connector, bill, trade, now);
    if (!settled.stored) context.log(`live: bill ${bill.id}: query of trade ${current.trade_no} not settled (${settled.reason})`);
    return (await context.store.getBill(bill.id)) ?? bill;
  };

  return {
    registry,
    connectorFor,
    settle,
    reconcile,

    async start(context, connector, bill, channel, base, now, extras = {}) {
      const trades = [...(bill.trades ?? [])];
      const current = trades.at(-1);
      let tradeNo = bill.out_trade_no;
      if (current !== undefined) {
        // The open trade is closed by its own channel, which may be another family than the new one.
        const previous = current.family === connector.family ? connector : registry.connectorOf(bill.app_id, current.family, base);
        const closed = previous === undefined ? ({ ok: true, reuse: false } as const) : await closeCurrent(context, previous, bill, current, now);
        if (!closed.ok) return closed;
        // A number the channel never used is kept, but only by the same family: another may still see it used.
        if (closed.reuse && current.family === connector.family) {
          tradeNo = current.trade_no;
          trades.pop();
        } else {
          if (current.state === 'open') trades[trades.length - 1] = { ...current, state: 'closed' };
          tradeNo = retryTradeNo(bill.out_trade_no, trades.length, connector.family);
        }
      }
      trades.push({ family: connector.family, trade_no: tradeNo, channel, created_at: now.toISOString(), state: 'open' });
      // Stored before the buyer sees the trade, so that its notify always finds its bill; and only if no other request
      // (another gateway) started a trade for this bill meanwhile, so that a bill never has two open trades.
      const known = JSON.stringify(bill.trades ?? []);
      const written = await context.store.modifyBill(bill.id, (latest) => (JSON.stringify(latest.trades ?? []) === known ? { trades } : undefined));
      if (!written.changed) {
        return { ok: false, refusal: refusal('RUNTIME_ERROR', `another request for out_trade_no ${JSON.stringify(bill.out_trade_no)} started a payment at the same moment; ask again`) };
      }
      const stored = written.record ?? { ...bill, trades };
      const appPath = encodeURIComponent(bill.app_id);
      const family = FAMILY_PATHS[connector.family];
      // Notify URLs under the configured public URL when there is one (DESIGN: SPAY_PUBLIC_URL), as the buyer's pages are.
      const root = context.publicUrl?.replace(/\/+$/, '') ?? base;
      let answer: PaymentAnswer;
      try {
        answer = await connector.createPayment({
          bill: stored,
          channel,
          tradeNo,
          notifyUrl: `${root}/notify/${family}/${appPath}`,
          returnUrl: `${base}/return/${family}/${appPath}/${encodeURIComponent(bill.id)}`,
          ...(extras.buyerIp === undefined ? {} : { buyerIp: extras.buyerIp }),
          now,
        });
      } catch (error) {
        return { ok: false, refusal: channelRefusal(error) };
      }
      const prepay = /^prepay_id=(.+)$/.exec(answer.package ?? '');
      if (prepay !== null && answer.nonce_str !== undefined && answer.timestamp !== undefined && answer.pay_sign !== undefined) {
        // The JSAPI parameters handed out, as the sandbox keeps its own: the prepay id finds the bill again.
        const jsapi = { prepay_id: prepay[1] as string, nonce_str: answer.nonce_str, timestamp: answer.timestamp, pay_sign: answer.pay_sign };
        return { ok: true, bill: (await context.store.updateBill(bill.id, { jsapi })) ?? { ...stored, jsapi }, answer };
      }
      return { ok: true, bill: stored, answer };
    },

    async retire(context, bill, now) {
      const current = bill.trades?.at(-1);
      if (current === undefined || current.state !== 'open') return null;
      const connector = registry.connectorFor(bill.app_id, current.channel);
      if (connector === undefined) return null;
      const closed = await closeCurrent(context, connector, bill, current, now);
      if (!closed.ok) return closed.refusal;
      await markTrade(context, bill, current.trade_no, { state: 'closed' });
      return null;
    },

    async sweep(context, now) {
      for (const appId of registry.liveAppIds()) {
        const bills = await context.store.listBills({ appId, mode: 'live', status: 'UNPAID', startTime: new Date(now.getTime() - sweepWindowMs), limit: 200 });
        for (const bill of bills) {
          if (bill.trades?.at(-1)?.state === 'open') await reconcile(context, bill, now);
        }
      }
    },
  };

  /** Closes the bill's current trade before another starts: reuse its number when the channel never made it. */
  async function closeCurrent(
    context: GatewayContext,
    connector: ChannelConnector,
    bill: Bill,
    current: ChannelTrade,
    now: Date,
  ): Promise<{ ok: true; reuse: boolean } | { ok: false; refusal: Refusal }> {
    if (current.state !== 'open') return { ok: true, reuse: false };
    try {
      const trade = await connector.queryPayment(current.trade_no, bill);
      if (trade.state === 'not_found') return { ok: true, reuse: true };
      if (trade.state === 'closed') return { ok: true, reuse: false };
      const outcome = trade.state === 'paid' ? ({ state: 'paid', trade } as const) : await connector.closePayment(current.trade_no, bill);
      if (outcome.state === 'closed') return { ok: true, reuse: false };
      const settled = await settle(context, connector, bill, outcome.trade, now);
      if (!settled.stored) return { ok: false, refusal: refusal('CHANNEL_ERROR', `the channel reports trade ${current.trade_no} paid, but it could not be settled (${settled.reason})`) };
      return { ok: false, refusal: refusal('PARAM_INVALID', `out_trade_no ${JSON.stringify(bill.out_trade_no)} is already paid`, 'out_trade_no') };
    } catch (error) {
      // One payment per order: no new trade while the previous one may still take money.
      return { ok: false, refusal: channelRefusal(error) };
    }
  }
}

/** The merchant's CHANNEL_ERROR for a connector's failure, with the channel's own code and words in err_detail. */
export function channelRefusal(error: unknown): Refusal {
  if (isChannelError(error)) return refusal('CHANNEL_ERROR', `${error.channelCode}: ${error.message}`);
  throw error;
}

function paidTrade(entry: ChannelTrade, trade: TradeState): ChannelTrade {
  const paid: ChannelTrade = { ...entry, state: 'paid' };
  if (trade.channelTradeNo !== undefined) paid.channel_trade_no = trade.channelTradeNo;
  return paid;
}

async function markTrade(context: GatewayContext, bill: Bill, tradeNo: string, change: Partial<ChannelTrade>): Promise<void> {
  // From the bill as it stands in the store, not as this request read it: another gateway may have added a trade.
  await context.store.modifyBill(bill.id, (latest) => ({
    trades: (latest.trades ?? []).map((entry) => (entry.trade_no === tradeNo ? { ...entry, ...change } : entry)),
  }));
}

/** A refund webhook's delivery for a refund a channel confirmed: queue it with the refund's SUCCESS. */
export function refundWebhook(refund: Pick<Refund, 'id' | 'app_id'>) {
  return { id: newBillId(), app_id: refund.app_id, subject: 'refund' as const, subject_id: refund.id };
}

/**
 * Marks a PENDING refund SUCCESS once the channel confirms it (a refund notify, a refund query, the refund call's
 * own answer) and queues the refund webhook in the same step; true when this call changed it.
 */
export async function confirmRefund(context: GatewayContext, refund: Refund, state: RefundState, now: Date): Promise<boolean> {
  if (state.state !== 'success') return false;
  if (state.fee !== undefined && state.fee !== refund.refund_fee) {
    context.log(`live: refund ${refund.id} is ${refund.refund_fee} fen, the channel reports ${state.fee} fen; not confirmed`);
    return false;
  }
  const patch: Partial<Refund> = { status: 'SUCCESS', finished_at: now.toISOString(), message_detail: { ...refund.message_detail, ...state.detail } };
  if (state.channelRefundNo !== undefined) patch.channel_refund_no = state.channelRefundNo;
  const result = await context.store.transitionRefund(refund.id, ['PENDING'], patch, refundWebhook(refund));
  if (result.changed) context.webhooks.kick();
  return result.changed;
}

/** The trade a paid live bill was paid on (its money is refunded there), or undefined for a bill the sandbox paid. */
export function paidTradeOf(bill: Bill): ChannelTrade | undefined {
  return bill.status === 'PAID' ? bill.trades?.find((trade) => trade.state === 'paid') : undefined;
}

// ChannelError codes after which the refund may or may not have reached the channel: it stays PENDING, to be asked.
const UNKNOWN_OUTCOME = /^(TIMEOUT|NETWORK|NETWORK_ERROR|SYSTEM_ERROR|SIGNATURE|INVALID_ANSWER|INVALID_ANSWER_SIGNATURE|NO_CODE|HTTP_5\d\d|ALIPAY_TIMEOUT|ALIPAY_UNREACHABLE|ALIPAY_HTTP_ERROR|ALIPAY_BAD_ANSWER|ALIPAY_SIGN_INVALID)$/;

/** A live refund as it stands after its channel's answer, and the channel's refusal when there was one. */
export interface LiveRefundResult {
  refund: Refund;
  error?: { code: string; message: string };
}

/**
 * Refunds a PENDING refund of a live bill on the trade it was paid on: success → SUCCESS with the refund webhook;
 * pending → stays PENDING (it counts against the fee) until a refund notify or query; failed → FAILED. A ChannelError
 * makes the refund FAILED (the fee is free again) when the channel refused it, and leaves it PENDING when the outcome
 * is unknown (timeout, network, an answer that does not verify), so that a query or a retry with the same refund_no
 * settles it; either way the error is returned for the merchant's CHANNEL_ERROR.
 */
export async function refundLive(context: GatewayContext, connector: ChannelConnector, tradeNo: string, bill: Bill, refund: Refund, now: Date): Promise<LiveRefundResult> {
  let state: RefundState;
  try {
    state = await connector.refund(tradeNo, bill, refund);
  } catch (error) {
    if (!isChannelError(error)) throw error;
    context.log(`live: refund ${refund.refund_no} of bill ${bill.id}: ${error.channelCode} ${error.message}`);
    const failure = { code: error.channelCode, message: error.message };
    if (UNKNOWN_OUTCOME.test(error.channelCode)) return { refund, error: failure };
    const failed = await settleRefund(context, refund, { state: 'failed', detail: { code: error.channelCode, message: error.message } }, now);
    return { refund: failed, error: failure };
  }
  return { refund: await settleRefund(context, refund, state, now) };
}

/**
 * Asks the channel where a PENDING live refund stands and settles it; the refund as it now stands (unchanged when
 * the channel cannot be asked or says it is still pending).
 */
export async function queryLiveRefund(context: GatewayContext, refund: Refund, now: Date, base?: string): Promise<Refund> {
  if (refund.status !== 'PENDING' || context.live === undefined) return refund;
  const bill = await context.store.getBill(refund.bill_id);
  const trade = bill === undefined ? undefined : paidTradeOf(bill);
  if (bill === undefined || trade === undefined) return refund;
  const connector = context.live.connectorFor(bill, trade.channel, base);
  if (connector === undefined) return refund;
  try {
    return await settleRefund(context, refund, await connector.queryRefund(trade.trade_no, bill, refund), now);
  } catch (error) {
    if (!isChannelError(error)) throw error;
    context.log(`live: refund query of ${refund.refund_no} failed (${error.channelCode} ${error.message})`);
    return refund;
  }
}

/**
 * Settles a PENDING refund from what its channel says (the refund call's answer, its query, a refund notify):
 * success → SUCCESS and the refund webhook in one step; failed → FAILED (no webhook: no money moved); pending →
 * unchanged. A refund already settled changes nothing. Answers the refund as it now stands.
 */
export async function settleRefund(context: GatewayContext, refund: Refund, state: RefundState, now: Date): Promise<Refund> {
  if (state.state === 'success') {
    await confirmRefund(context, refund, state, now);
  } else if (state.state === 'failed') {
    const patch: Partial<Refund> = { status: 'FAILED', finished_at: now.toISOString(), message_detail: { ...refund.message_detail, ...state.detail } };
    if (state.channelRefundNo !== undefined) patch.channel_refund_no = state.channelRefundNo;
    await context.store.transitionRefund(refund.id, ['PENDING'], patch);
  } else {
    return refund;
  }
  return (await context.store.getRefund(refund.id)) ?? refund;
}
