import type { Bill } from '../bills/bill';
import type { GatewayContext } from '../context';

/**
 * Marks a bill PAID, once: a second call changes nothing and queues no second webhook. Returns the bill
 * as it now stands. The webhook is queued, never awaited.
 */
export function payBill(context: GatewayContext, bill: Bill, now: Date): Bill {
  if (bill.status === 'PAID') return bill;
  // PAID and its pending webhook go to the store in one write, so that a crash cannot keep one without the
  // other; the deliverer turns the webhook into `none` when the app has no webhook URL.
  const webhook = { state: 'pending', attempts: 0 } as const;
  const paid = context.store.update(bill.id, { status: 'PAID', paid_at: now.toISOString(), webhook }) ?? bill;
  context.webhooks.enqueue(bill.id);
  return paid;
}

/** Marks an unpaid bill CANCELLED or FAILED; a paid bill stays paid. Returns the bill as it now stands. */
export function abandonBill(context: GatewayContext, bill: Bill, status: 'CANCELLED' | 'FAILED'): Bill {
  if (bill.status === 'PAID') return bill;
  return context.store.update(bill.id, { status }) ?? bill;
}
