/** What a webhook tells the merchant about: a paid bill or a refund. */
export type DeliverySubject = 'bill' | 'refund';

/** A delivery is `pending` until the merchant answers `success` (delivered) or the retries run out (failed). */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'none';

/**
 * One webhook owed to a merchant, as a row of the store's queue: the gateway that claims it holds a lease
 * until `lease_until`, so that a gateway that dies mid-delivery leaves it to another one.
 */
export interface WebhookDelivery {
  id: string;
  app_id: string;
  subject: DeliverySubject;
  subject_id: string;
  state: DeliveryState;
  attempts: number;
  /** When the next attempt is due; the first one is due at once. */
  next_attempt_at: string;
  last_result?: string;
  lease_owner?: string;
  lease_until?: string;
  created_at: string;
  updated_at?: string;
  /** The latest attempts (at most DELIVERY_LOG_CAP), oldest first: when each was made and what the merchant answered. */
  attempts_log?: DeliveryAttempt[];
}

/** One recorded attempt of a webhook: when, and what came back (`success`, `HTTP 500`, `timeout`, …). */
export interface DeliveryAttempt {
  at: string;
  result: string;
}

/** How many attempts a delivery's log keeps; older ones are dropped first. */
export const DELIVERY_LOG_CAP = 20;

/** `log` with one more attempt, the oldest dropped past DELIVERY_LOG_CAP. */
export function appendAttempt(log: readonly DeliveryAttempt[] | undefined, attempt: DeliveryAttempt): DeliveryAttempt[] {
  return [...(log ?? []), attempt].slice(-DELIVERY_LOG_CAP);
}

/** What one attempt changed: the new state, the attempt count, when the next is due, what the merchant answered. */
export interface DeliveryOutcome {
  state: DeliveryState;
  attempts: number;
  next_attempt_at?: string;
  last_result?: string;
}
