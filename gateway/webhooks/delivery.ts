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
}

/** What one attempt changed: the new state, the attempt count, when the next is due, what the merchant answered. */
export interface DeliveryOutcome {
  state: DeliveryState;
  attempts: number;
  next_attempt_at?: string;
  last_result?: string;
}
