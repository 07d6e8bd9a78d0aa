import type { RestChannel } from '../../src/core/channels';
import { type Bill, type ChannelTrade, billMode } from '../bills/bill';
import type { Refund } from '../bills/refund';
import { newBillId } from '../bills/random-id';
import type { GatewayContext } from '../context';
import { type Refusal, refusal } from '../http/api-answer';
import { payBill } from '../sandbox/settle';
import { type ChannelConnector, type PaymentAnswer, type RefundState, type TradeState, isChannelError } from './connector';
import type { ChannelRegistry } from './registry';

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
  connectorFor(bill: Pick<Bill, 'app_id' | 'mode'>, channel: string): ChannelConnector | undefined;
  start(context: GatewayContext, connector: ChannelConnector, bill: Bill, channel: RestChannel, base: string, now: Date): Promise<StartResult>;
  settle(context: GatewayContext, connector: ChannelConnector, bill: Bill, trade: TradeState, now: Date): Promise<SettleResult>;
  /** Asks the channel about an unpaid bill's open trade (not more often than the query interval) and settles it; the bill as it now stands. */
  reconcile(context: GatewayContext, bill: Bill, now: Date, options?: { force?: boolean }): Promise<Bill>;
  /** Reconciles the recent unpaid live bills of every live app, one query at a time. */
  sweep(context: GatewayContext, now: Date): Promise<void>;
}

/** How often one bill may be queried, how many queries may run at once, how far back the sweep looks. */
export interface LivePaymentOptions {
  queryIntervalMs?: number;
  maxConcurrentQueries?: number;
  sweepWindowMs?: number;
}

const GATEWAY_NUMBER = /_R\d+$/;

/** The bill's out_trade_no for a trade number the gateway gave a channel (its own `_R<n>` numbers map back). */
export function orderNumberOfTrade(tradeNo: string): string {
  return tradeNo.replace(GATEWAY_NUMBER, '');
}

/** Finds the live bill of `appId` that a channel's trade number belongs to (one of its trades), or undefined. */
export async function findBillOfTrade(context: GatewayContext, appId: string, tradeNo: string): Promise<Bill | undefined> {
  const bill = await context.store.findBill(appId, 'live', orderNumberOfTrade(tradeNo));
  return bill?.trades?.some((trade) => trade.trade_no === tradeNo) ? bill : undefined;
}

/** Creates the gateway's live payment logic over a registry of connectors. */
export function createLivePayments(registry: ChannelRegistry, options: LivePaymentOptions = {}): LivePayments {
  const queryIntervalMs = options.queryIntervalMs ?? 5_000;
  const maxConcurrent = options.maxConcurrentQueries ?? 4;
  const sweepWindowMs = options.sweepWindowMs ?? 24 * 3600_000;
  const lastQuery = new Map<string, number>();
  let running = 0;

  const connectorFor = (bill: Pick<Bill, 'app_id' | 'mode'>, channel: string) => (billMode(bill) === 'live' ? registry.connectorFor(bill.app_id, channel) : undefined);

  const refundLate = async (context: GatewayContext, connector: ChannelConnector, bill: Bill, trade: TradeState, now: Date): Promise<SettleResult> => {
    const fee = trade.fee ?? bill.fee;
    // Keyed by the trade, so that a resent notify refunds once.
    const refund: Refund = {
      id: `late_${trade.tradeNo}`,
      app_id: bill.app_id,
      mode: 'live',
      refund_no: `late_${trade.tradeNo}`,
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
    const fresh = (await context.store.getBill(bill.id)) ?? bill;
    const late = Array.isArray(fresh.message_detail?.late_payments) ? (fresh.message_detail.late_payments as Array<Record<string, unknown>>) : [];
    if (!late.some((entry) => entry.trade_no === trade.tradeNo)) {
      late.push({ trade_no: trade.tradeNo, channel_trade_no: trade.channelTradeNo, fee, refund_no: refund.refund_no, refund_state: state.state, refunded_at: now.toISOString() });
    }
    await context.store.updateBill(bill.id, {
      trades: (fresh.trades ?? []).map((entry) => (entry.trade_no === trade.tradeNo ? { ...entry, state: 'refunded' as const } : entry)),
      message_detail: { ...fresh.message_detail, late_payments: late },
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
    const connector = connectorFor(bill, current.channel);
    if (connector === undefined) return bill;
    const last = lastQuery.get(bill.id) ?? 0;
    if ((!reconcileOptions.force && now.getTime() - last < queryIntervalMs) || running >= maxConcurrent) return bill;
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

    async start(context, connector, bill, channel, base, now) {
      const trades = [...(bill.trades ?? [])];
      const current = trades.at(-1);
      let tradeNo = bill.out_trade_no;
      if (current !== undefined) {
        const closed = await closeCurrent(context, connector, bill, current, now);
        if (!closed.ok) return closed;
        if (closed.reuse) {
          tradeNo = current.trade_no;
          trades.pop();
        } else {
          trades[trades.length - 1] = { ...current, state: 'closed' };
          tradeNo = `${bill.out_trade_no}_R${trades.length}`;
        }
      }
      trades.push({ family: connector.family, trade_no: tradeNo, channel, created_at: now.toISOString(), state: 'open' });
      // Stored before the buyer sees the trade, so that its notify always finds its bill.
      const stored = (await context.store.updateBill(bill.id, { trades })) ?? { ...bill, trades };
      const appPath = encodeURIComponent(bill.app_id);
      const family = connector.family === 'ALI' ? 'alipay' : connector.family === 'WX' ? 'wechat' : 'unionpay';
      try {
        const answer = await connector.createPayment({
          bill: stored,
          channel,
          tradeNo,
          notifyUrl: `${base}/notify/${family}/${appPath}`,
          returnUrl: `${base}/return/${family}/${appPath}/${encodeURIComponent(bill.id)}`,
          now,
        });
        return { ok: true, bill: stored, answer };
      } catch (error) {
        return { ok: false, refusal: channelRefusal(error) };
      }
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
  const trades = (bill.trades ?? []).map((entry) => (entry.trade_no === tradeNo ? { ...entry, ...change } : entry));
  await context.store.updateBill(bill.id, { trades });
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
  const patch: Partial<Refund> = { status: 'SUCCESS', finished_at: now.toISOString(), message_detail: { ...refund.message_detail, ...state.detail } };
  if (state.channelRefundNo !== undefined) patch.channel_refund_no = state.channelRefundNo;
  const result = await context.store.transitionRefund(refund.id, ['PENDING'], patch, refundWebhook(refund));
  if (result.changed) context.webhooks.kick();
  return result.changed;
}
