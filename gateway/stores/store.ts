import type { ChannelKey, RestChannel } from '../../src/core/channels';
import type { Bill, BillKey, BillMode, BillStatus } from '../bills/bill';
import type { Refund, RefundStatus } from '../bills/refund';
import type { DeliveryOutcome, DeliverySubject, WebhookDelivery } from '../webhooks/delivery';

/** The fields of a bill a change may set; `undefined` removes an optional field. */
export type BillPatch = Partial<Omit<Bill, BillKey>>;

/** The fields of a refund a change may set. */
export type RefundPatch = Partial<Omit<Refund, 'id' | 'app_id' | 'mode' | 'refund_no' | 'bill_id' | 'out_trade_no' | 'refund_fee'>>;

/** What to do with an order's existing bill when the same order asks again: reopen it with `patch`, or refuse why. */
export type Reopen = { patch: BillPatch } | { refuse: string };

/** The bill an order now has: newly `created`, `reopened` by the decision, or `refused` as it stands. */
export type OpenedBill =
  | { outcome: 'created' | 'reopened'; bill: Bill }
  | { outcome: 'refused'; bill: Bill; reason: string };

/** The result of a compare-and-set: `changed` false means the record was not in an expected state (or is missing). */
export interface Transition<T> {
  changed: boolean;
  record: T | undefined;
}

/** A webhook to queue in the same atomic step as the change that owes it. */
export type NewDelivery = Pick<WebhookDelivery, 'id' | 'app_id' | 'subject' | 'subject_id'>;

/** Why a refund was not accepted, or the refund that now stands for its refund_no. */
export type RefundResult =
  | { outcome: 'created' | 'existing'; refund: Refund }
  | { outcome: 'no_bill' | 'not_paid' | 'too_large' | 'refund_no_taken'; available?: number };

/** Filters for listing bills; all given conditions hold (AND). Times are creation times, inclusive. */
export interface BillQuery {
  /** Every app's bills when omitted (the sandbox index). */
  appId?: string;
  /** Both modes when omitted. */
  mode?: BillMode;
  channels?: readonly RestChannel[];
  outTradeNo?: string;
  status?: BillStatus;
  /** true: bills with at least one refund that is not FAILED; false: bills with none. */
  refunded?: boolean;
  startTime?: Date;
  endTime?: Date;
  skip?: number;
  limit?: number;
}

/** Filters for listing refunds; all given conditions hold (AND). */
export interface RefundQuery {
  appId?: string;
  mode?: BillMode;
  channels?: readonly RestChannel[];
  outTradeNo?: string;
  refundNo?: string;
  status?: RefundStatus;
  startTime?: Date;
  endTime?: Date;
  skip?: number;
  limit?: number;
}

/**
 * What the merchant console keeps for an app. A field that is present wins over the apps file for that field;
 * an absent field means "as the apps file says".
 */
export interface AppSettings {
  app_id: string;
  /** The enabled channel keys in display order. */
  channels?: ChannelKey[];
  /** Where the app's webhooks go. */
  webhook_url?: string;
  updated_at: string;
}

/**
 * Where bills, refunds and the webhook queue live. Every money guarantee is one atomic operation here, never a
 * find-then-write in the caller, so that it holds across gateway processes sharing one store: one bill per
 * order, UNPAID → PAID once, refunds within the fee and one per refund_no, each webhook claimed by one gateway.
 */
export interface Store {
  /** A short name for logs: memory, journal <path>, postgres <host:port/db>. */
  readonly description: string;
  /** Whether bills survive a restart of the gateway. */
  readonly durable: boolean;

  getBill(id: string): Promise<Bill | undefined>;
  findBill(appId: string, mode: BillMode, outTradeNo: string): Promise<Bill | undefined>;
  findBillByPrepayId(prepayId: string): Promise<Bill | undefined>;
  /**
   * Creates `candidate` unless its order (app, mode, out_trade_no) has a bill; then asks `reopen` what to do
   * with that bill and applies it, all in one atomic step, also when several gateways ask at the same instant.
   */
  openBill(candidate: Bill, reopen: (existing: Bill) => Reopen): Promise<OpenedBill>;
  /**
   * Compare-and-set: applies `patch` only when the bill's status is one of `from`, and queues `webhook` with it.
   * Answers changed false, with the bill as it stands, otherwise.
   */
  transitionBill(id: string, from: readonly BillStatus[], patch: BillPatch, webhook?: NewDelivery): Promise<Transition<Bill>>;
  /** Sets fields that carry no state (a JSAPI grant, what the channel said); the bill, or undefined when missing. */
  updateBill(id: string, patch: BillPatch): Promise<Bill | undefined>;
  /**
   * Read-modify-write of one bill in one atomic step: `change` sees the bill as it stands (locked) and answers the
   * patch to apply, or undefined to leave it. For fields built from their own last value (a bill's trades).
   */
  modifyBill(id: string, change: (current: Bill) => BillPatch | undefined): Promise<Transition<Bill>>;
  /** Bills matching `query`, newest first, after `skip`, at most `limit`. */
  listBills(query: BillQuery): Promise<Bill[]>;
  countBills(query: BillQuery): Promise<number>;

  /**
   * Accepts `candidate` (PENDING) when its bill is PAID and the bill's refunds that did not fail, with it, stay
   * within the fee; the same refund_no for the same bill and fee answers the refund already made (`existing`).
   */
  createRefund(candidate: Refund): Promise<RefundResult>;
  getRefund(id: string): Promise<Refund | undefined>;
  findRefund(appId: string, mode: BillMode, refundNo: string): Promise<Refund | undefined>;
  /**
   * Compare-and-set on a refund's status; a refund becoming SUCCESS adds its fee to the bill's refunded_fee in
   * the same step, and `webhook` is queued with it.
   */
  transitionRefund(id: string, from: readonly RefundStatus[], patch: RefundPatch, webhook?: NewDelivery): Promise<Transition<Refund>>;
  listRefunds(query: RefundQuery): Promise<Refund[]>;
  countRefunds(query: RefundQuery): Promise<number>;

  /** Queues a webhook on its own (a delivery for a subject that has one already is left as it is). */
  enqueueDelivery(delivery: NewDelivery, now: Date): Promise<void>;
  /**
   * Claims up to `limit` pending deliveries due at `now` whose lease is free, expired or already `owner`'s, for
   * `leaseMs`: no other gateway claims them until then.
   */
  claimDeliveries(owner: string, now: Date, leaseMs: number, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Records an attempt's outcome and frees the lease, if `owner` still holds it; false when it does not. An outcome
   * with `last_result` is appended to the delivery's attempts_log (capped at DELIVERY_LOG_CAP).
   */
  recordDelivery(id: string, owner: string, outcome: DeliveryOutcome, now: Date): Promise<boolean>;
  /** The earliest time a pending delivery becomes claimable (its due time, or its lease's end), or undefined. */
  nextDeliveryDue(): Promise<Date | undefined>;
  getDelivery(subject: DeliverySubject, subjectId: string): Promise<WebhookDelivery | undefined>;
  /** Deliveries in `state` (all when omitted), newest first, for an app when given. */
  listDeliveries(filter: { appId?: string; state?: WebhookDelivery['state']; limit?: number }): Promise<WebhookDelivery[]>;

  /**
   * Makes a delivery due at `now` and pending again, whatever its state (a failed one gets one more attempt, then
   * fails again unless delivered); its lease, if any, is left alone. The delivery after, or undefined when missing.
   */
  resendDelivery(subject: DeliverySubject, subjectId: string, now: Date): Promise<WebhookDelivery | undefined>;

  /** The console's settings of an app, or undefined when it has none. */
  getAppSettings(appId: string): Promise<AppSettings | undefined>;
  /** Replaces an app's console settings as a whole. */
  putAppSettings(settings: AppSettings): Promise<void>;
  /** Every app's console settings. */
  listAppSettings(): Promise<AppSettings[]>;

  /** Releases files, connections and locks; later writes fail. Safe to call twice. */
  close(): Promise<void>;
}
