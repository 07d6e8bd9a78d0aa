import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { App } from '../apps';
import type { Store } from '../stores/store';
import { WEBHOOK_MAX_RETRIES, retryDelay } from './backoff';
import type { DeliveryOutcome, WebhookDelivery } from './delivery';
import { postWebhook } from './post-webhook';
import { buildRefundWebhookBody, buildWebhookBody } from './webhook-body';

/** Sends the webhooks queued in the store, retrying on BeeCloud's schedule, sharing the queue with other gateways. */
export interface WebhookDeliverer {
  /** Looks at the queue now: this gateway just queued a webhook. Returns at once. */
  kick(): void;
  /** How many webhooks are still owed (pending in the store). */
  pending(): Promise<number>;
  /** Resolves when no webhook is pending in the store. */
  idle(): Promise<void>;
  /** Stops: cancels the timer and in-flight requests; what was claimed goes back to the queue when its lease ends. */
  close(): void;
}

/** What the deliverer needs: the store, the apps, the retry base and attempt timeout, a log; lease and poll for tests. */
export interface DelivererOptions {
  store: Store;
  apps: ReadonlyMap<string, App>;
  backoffMs: number;
  timeoutMs: number;
  log: (line: string) => void;
  /** How long a claim keeps other gateways off a delivery; default twice the attempt timeout + 5 s (25 s). */
  leaseMs?: number;
  /** How often the queue is looked at for webhooks other gateways queued or left; default 5 s. */
  pollMs?: number;
  /** Brings `apps` up to date (the console's settings, such as the webhook URL) before attempts are made. */
  freshApps?: () => Promise<void>;
}

const CLAIM_BATCH = 50;

/**
 * Creates a WebhookDeliverer. A gateway claims due deliveries for a lease, attempts each, and records the outcome,
 * which frees the lease; a gateway that dies holds nothing longer than its lease, so another delivers within a
 * minute. The schedule lives on each delivery (`attempts`, `next_attempt_at`) and so survives restarts.
 */
export function createWebhookDeliverer(options: DelivererOptions): WebhookDeliverer {
  const { store, apps, backoffMs, timeoutMs, log } = options;
  const leaseMs = options.leaseMs ?? timeoutMs * 2 + 5_000;
  const pollMs = options.pollMs ?? 5_000;
  const owner = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const inFlight = new Map<string, AbortController>();
  // When this gateway last finished an attempt of each delivery: a claim asked before then may answer the delivery as
  // it stood before that attempt was recorded (under this gateway's own lease), and must not start it again.
  const finishedAt = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pumping = false;
  let again = false;
  let closed = false;

  const wakeIn = (delay: number): void => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void pump(), Math.max(0, delay));
    // A pending webhook must not keep a process alive that is otherwise done.
    timer.unref();
  };

  const pump = async (): Promise<void> => {
    if (closed) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    let next = pollMs;
    try {
      do {
        again = false;
        const askedAt = performance.now();
        const claimed = await store.claimDeliveries(owner, new Date(), leaseMs, CLAIM_BATCH);
        if (claimed.length > 0) await options.freshApps?.();
        for (const delivery of claimed) {
          if (!inFlight.has(delivery.id) && (finishedAt.get(delivery.id) ?? -1) < askedAt) start(delivery);
        }
        for (const [id, at] of finishedAt) if (performance.now() - at > leaseMs) finishedAt.delete(id);
      } while (again && !closed);
      const due = await store.nextDeliveryDue();
      if (due !== undefined) next = Math.min(pollMs, Math.max(due.getTime() - Date.now(), 1));
    } catch (error) {
      log(`webhooks: the store could not be read (${(error as Error).message}); trying again in ${pollMs} ms`);
    } finally {
      pumping = false;
    }
    wakeIn(next);
  };

  const start = (delivery: WebhookDelivery): void => {
    const controller = new AbortController();
    inFlight.set(delivery.id, controller);
    void attempt(delivery, controller.signal)
      .catch((error: unknown) => {
        // The attempt's outcome is unrecorded, so it is tried again later, as if it had failed: a merchant may see
        // a webhook twice, never lose one. This gateway keeps the lease meanwhile.
        if (closed) return;
        const delay = retryDelay(Math.min(delivery.attempts + 1, WEBHOOK_MAX_RETRIES), backoffMs);
        log(`webhook ${delivery.subject} ${delivery.subject_id}: the store could not record the attempt (${(error as Error).message}); trying again in ${delay} ms`);
        setTimeout(() => void pump(), delay).unref();
      })
      .finally(() => {
        finishedAt.set(delivery.id, performance.now());
        inFlight.delete(delivery.id);
        if (!closed) void pump();
      });
  };

  const record = (delivery: WebhookDelivery, outcome: DeliveryOutcome): Promise<boolean> => store.recordDelivery(delivery.id, owner, outcome, new Date());

  const attempt = async (delivery: WebhookDelivery, signal: AbortSignal): Promise<void> => {
    const target = await loadTarget(delivery);
    if (typeof target === 'string') {
      await record(delivery, { state: 'failed', attempts: delivery.attempts, last_result: target });
      return;
    }
    const { app, label, url } = target;
    if (url === undefined) {
      log(`webhook ${delivery.subject} ${delivery.subject_id} (app ${app.appId}): the app has no webhook URL, so none is sent`);
      await record(delivery, { state: 'none', attempts: 0 });
      return;
    }
    const attempts = delivery.attempts + 1;
    const outcome = await postWebhook(url, target.body(Date.now()), timeoutMs, signal);
    if (closed) return;
    const prefix = `webhook ${label} attempt ${attempts}: ${outcome.result}`;
    if (outcome.delivered) {
      log(`${prefix}; delivered`);
      await record(delivery, { state: 'delivered', attempts, last_result: outcome.result });
      return;
    }
    if (attempts > WEBHOOK_MAX_RETRIES) {
      log(`${prefix}; giving up after ${attempts} attempts`);
      await record(delivery, { state: 'failed', attempts, last_result: outcome.result });
      return;
    }
    const delay = retryDelay(attempts, backoffMs);
    log(`${prefix}; retry ${attempts} of ${WEBHOOK_MAX_RETRIES} in ${delay} ms`);
    const nextAttemptAt = new Date(Date.now() + delay).toISOString();
    await record(delivery, { state: 'pending', attempts, next_attempt_at: nextAttemptAt, last_result: outcome.result });
  };

  /** What a delivery is about, its app, its URL and body, or why it cannot be sent. */
  const loadTarget = async (delivery: WebhookDelivery) => {
    const bill = delivery.subject === 'bill' ? await store.getBill(delivery.subject_id) : undefined;
    const refund = delivery.subject === 'refund' ? await store.getRefund(delivery.subject_id) : undefined;
    const billOf = bill ?? (refund === undefined ? undefined : await store.getBill(refund.bill_id));
    const app = billOf === undefined ? undefined : apps.get(billOf.app_id);
    if (billOf === undefined || app === undefined || (delivery.subject === 'refund' && refund === undefined)) return 'bill or app is gone';
    const url = refund?.notify_url ?? billOf.notify_url ?? app.webhookUrl;
    if (refund !== undefined) {
      return {
        app,
        url,
        label: `refund ${refund.refund_no} (app ${app.appId}, out_trade_no ${billOf.out_trade_no})`,
        body: (now: number) => buildRefundWebhookBody(refund, billOf, app, now),
      };
    }
    return {
      app,
      url,
      label: `bill ${billOf.id} (app ${app.appId}, out_trade_no ${billOf.out_trade_no})`,
      body: (now: number) => buildWebhookBody(billOf, app, now),
    };
  };

  const pending = async (): Promise<number> => (await store.listDeliveries({ state: 'pending' })).length;
  wakeIn(0);

  return {
    kick: () => void pump(),
    pending,
    async idle() {
      while (!closed && (await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
    },
  };
}
