import type { Bill, BillMode, BillStatus } from '../bills/bill';
import type { Refund, RefundStatus } from '../bills/refund';
import type { WebhookDelivery } from '../webhooks/delivery';
import type { BillPatch, NewDelivery, OpenedBill, RefundPatch, RefundResult, Reopen, Transition } from './store';

/**
 * What one atomic step of a store can read and write. Each store runs a step as one unit (a lock in memory, a
 * transaction with row locks in PostgreSQL); the rules below are written once, against this, for every store.
 * Reads of a bill lock it for the rest of the step.
 */
export interface StoreTx {
  bill(id: string): Promise<Bill | undefined>;
  billByOrder(appId: string, mode: BillMode, outTradeNo: string): Promise<Bill | undefined>;
  insertBill(bill: Bill): Promise<void>;
  putBill(bill: Bill): Promise<void>;
  refund(id: string): Promise<Refund | undefined>;
  refundByNo(appId: string, mode: BillMode, refundNo: string): Promise<Refund | undefined>;
  refundsOfBill(billId: string): Promise<Refund[]>;
  insertRefund(refund: Refund): Promise<void>;
  putRefund(refund: Refund): Promise<void>;
  /** Adds a pending delivery, due at once, unless its subject has one already. */
  insertDelivery(delivery: WebhookDelivery): Promise<void>;
}

/** `current` with `patch` applied, where an `undefined` in the patch removes the field. */
export function merged<T extends object>(current: T, patch: Partial<NoInfer<T>>): T {
  const next = { ...current, ...patch } as Record<string, unknown>;
  for (const key of Object.keys(patch)) if (next[key] === undefined) delete next[key];
  return next as T;
}

/** A pending delivery for `webhook`, due at `now`. */
export function newDelivery(webhook: NewDelivery, now: Date): WebhookDelivery {
  const at = now.toISOString();
  return { ...webhook, state: 'pending', attempts: 0, next_attempt_at: at, created_at: at };
}

/** Store.openBill, as one step. */
export async function openBillIn(tx: StoreTx, candidate: Bill, reopen: (existing: Bill) => Reopen): Promise<OpenedBill> {
  const existing = await tx.billByOrder(candidate.app_id, candidate.mode ?? 'live', candidate.out_trade_no);
  if (existing === undefined) {
    await tx.insertBill(candidate);
    return { outcome: 'created', bill: candidate };
  }
  const decision = reopen(existing);
  if ('refuse' in decision) return { outcome: 'refused', bill: existing, reason: decision.refuse };
  const bill = merged(existing, decision.patch);
  await tx.putBill(bill);
  return { outcome: 'reopened', bill };
}

/** Store.transitionBill, as one step. */
export async function transitionBillIn(
  tx: StoreTx,
  id: string,
  from: readonly BillStatus[],
  patch: BillPatch,
  webhook: NewDelivery | undefined,
  now: Date,
): Promise<Transition<Bill>> {
  const current = await tx.bill(id);
  if (current === undefined || !from.includes(current.status)) return { changed: false, record: current };
  const bill = merged(current, patch);
  await tx.putBill(bill);
  if (webhook !== undefined) await tx.insertDelivery(newDelivery(webhook, now));
  return { changed: true, record: bill };
}

/** Store.modifyBill, as one step. */
export async function modifyBillIn(tx: StoreTx, id: string, change: (current: Bill) => BillPatch | undefined): Promise<Transition<Bill>> {
  const current = await tx.bill(id);
  const patch = current === undefined ? undefined : change(current);
  if (current === undefined || patch === undefined) return { changed: false, record: current };
  const bill = merged(current, patch);
  await tx.putBill(bill);
  return { changed: true, record: bill };
}

/** Store.updateBill, as one step. */
export async function updateBillIn(tx: StoreTx, id: string, patch: BillPatch): Promise<Bill | undefined> {
  const current = await tx.bill(id);
  if (current === undefined) return undefined;
  const bill = merged(current, patch);
  await tx.putBill(bill);
  return bill;
}

/** Refunds that hold part of a bill's fee: every one that has not failed. */
export function heldFee(refunds: readonly Refund[]): number {
  return refunds.reduce((sum, refund) => (refund.status === 'FAILED' ? sum : sum + refund.refund_fee), 0);
}

/** Store.createRefund, as one step: the bill is locked first, so that concurrent refunds of it queue here. */
export async function createRefundIn(tx: StoreTx, candidate: Refund): Promise<RefundResult> {
  const bill = await tx.bill(candidate.bill_id);
  if (bill === undefined) return { outcome: 'no_bill' };
  const taken = await tx.refundByNo(candidate.app_id, candidate.mode, candidate.refund_no);
  if (taken !== undefined) {
    const same = taken.bill_id === candidate.bill_id && taken.refund_fee === candidate.refund_fee;
    return same ? { outcome: 'existing', refund: taken } : { outcome: 'refund_no_taken' };
  }
  if (bill.status !== 'PAID') return { outcome: 'not_paid' };
  const available = bill.fee - heldFee(await tx.refundsOfBill(bill.id));
  if (candidate.refund_fee > available) return { outcome: 'too_large', available };
  await tx.insertRefund(candidate);
  return { outcome: 'created', refund: candidate };
}

/** Store.transitionRefund, as one step: a refund that succeeds adds to its bill's refunded_fee. */
export async function transitionRefundIn(
  tx: StoreTx,
  id: string,
  from: readonly RefundStatus[],
  patch: RefundPatch,
  webhook: NewDelivery | undefined,
  now: Date,
): Promise<Transition<Refund>> {
  const current = await tx.refund(id);
  if (current === undefined) return { changed: false, record: undefined };
  // The bill is locked before the refund changes, in the same order as createRefund, so that no two steps deadlock.
  const bill = await tx.bill(current.bill_id);
  const locked = await tx.refund(id);
  if (locked === undefined || !from.includes(locked.status)) return { changed: false, record: locked };
  const refund = merged(locked, patch);
  await tx.putRefund(refund);
  if (bill !== undefined && refund.status === 'SUCCESS' && locked.status !== 'SUCCESS') {
    await tx.putBill({ ...bill, refunded_fee: (bill.refunded_fee ?? 0) + refund.refund_fee });
  }
  if (webhook !== undefined) await tx.insertDelivery(newDelivery(webhook, now));
  return { changed: true, record: refund };
}

