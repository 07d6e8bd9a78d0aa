import type { Refund } from '../bills/refund';
import { newBillId } from '../bills/random-id';
import type { GatewayContext } from '../context';

/**
 * Plays a PENDING refund as the sandbox channel does: it succeeds at once. SUCCESS and the refund webhook go to the
 * store in one step (which also adds the fee to the bill's refunded_fee); a refund already settled changes nothing.
 */
export async function playRefund(context: GatewayContext, refund: Refund, now: Date): Promise<Refund> {
  const webhook = { id: newBillId(), app_id: refund.app_id, subject: 'refund' as const, subject_id: refund.id };
  const patch = {
    status: 'SUCCESS' as const,
    finished_at: now.toISOString(),
    channel_refund_no: `sandbox-refund-${refund.id}`,
    message_detail: { sandbox: true, refund_status: 'SUCCESS' },
  };
  const settled = await context.store.transitionRefund(refund.id, ['PENDING'], patch, webhook);
  if (settled.changed) context.webhooks.kick();
  return settled.record ?? refund;
}
