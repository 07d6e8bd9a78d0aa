import type { Bill } from '../bills/bill';
import { newBillId } from '../bills/random-id';
import type { GatewayContext } from '../context';

/** A bill as a settlement left it, and whether this call changed it (false: it was already so, or it is gone). */
export interface Settled {
  bill: Bill | undefined;
  changed: boolean;
}

/**
 * Marks a bill PAID, once, whichever gateway asks: a second call changes nothing, queues no second webhook and
 * answers changed false. PAID and its webhook go to the store in one step, so that no crash keeps one without the
 * other. The webhook is queued, never awaited.
 */
export async function payBill(context: GatewayContext, bill: Bill, now: Date, patch: Partial<Bill> = {}): Promise<Settled> {
  const webhook = { id: newBillId(), app_id: bill.app_id, subject: 'bill' as const, subject_id: bill.id };
  const paid = await context.store.transitionBill(bill.id, ['UNPAID', 'CANCELLED', 'FAILED'], { ...patch, status: 'PAID', paid_at: now.toISOString() }, webhook);
  if (paid.changed) context.webhooks.kick();
  return { bill: paid.record, changed: paid.changed };
}

/** Marks an unpaid bill CANCELLED or FAILED; a paid bill stays paid. */
export async function abandonBill(context: GatewayContext, bill: Bill, status: 'CANCELLED' | 'FAILED'): Promise<Settled> {
  const result = await context.store.transitionBill(bill.id, ['UNPAID', 'CANCELLED', 'FAILED'], { status });
  return { bill: result.record, changed: result.changed };
}
