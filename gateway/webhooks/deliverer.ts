import type { App } from '../apps';
import type { WebhookState } from '../bills/bill';
import type { BillStore } from '../bills/store';
import { WEBHOOK_MAX_RETRIES, retryDelay } from './backoff';
import { postWebhook } from './post-webhook';
import { buildWebhookBody } from './webhook-body';

/** Sends paid bills' webhooks in the background, retrying on BeeCloud's schedule. */
export interface WebhookDeliverer {
  /** Starts delivery for a paid bill; returns at once. A bill already being delivered is left alone. */
  enqueue(billId: string): void;
  /** How many bills have a delivery in flight or scheduled. */
  pending(): number;
  /** Resolves when no delivery is in flight or scheduled. */
  idle(): Promise<void>;
  /** Cancels every scheduled retry and in-flight request; the store keeps them pending for a later run. */
  close(): void;
}

/** What the deliverer needs: where bills and apps are, the retry base and request timeout, and a log. */
export interface DelivererOptions {
  store: BillStore;
  apps: ReadonlyMap<string, App>;
  backoffMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

interface Job {
  timer?: ReturnType<typeof setTimeout>;
  controller?: AbortController;
}

/** Creates a WebhookDeliverer whose state per bill lives on the bill (`webhook`), so that a durable store can resume it. */
export function createWebhookDeliverer(options: DelivererOptions): WebhookDeliverer {
  const { store, apps, backoffMs, timeoutMs, log } = options;
  const jobs = new Map<string, Job>();
  let waiters: Array<() => void> = [];
  let closed = false;

  const settle = (billId: string, state: WebhookState): void => {
    store.update(billId, { webhook: state });
    if (state.state === 'pending') return;
    jobs.delete(billId);
    if (jobs.size > 0) return;
    const resolved = waiters;
    waiters = [];
    for (const resolve of resolved) resolve();
  };

  const schedule = (billId: string, job: Job, delay: number): void => {
    job.timer = setTimeout(() => void attempt(billId, job).catch((error: unknown) => recordFailed(billId, job, error)), delay);
    // A pending webhook must not keep a process alive that is otherwise done.
    job.timer.unref();
  };

  // A durable store can fail to write (a full disk). The attempt's outcome is then unrecorded, so it is
  // tried again later, as if it had failed: a merchant may see a webhook twice, never lose one.
  const recordFailed = (billId: string, job: Job, error: unknown): void => {
    job.controller = undefined;
    if (closed || jobs.get(billId) !== job) return;
    const delay = retryDelay(Math.min((store.get(billId)?.webhook?.attempts ?? 0) + 1, WEBHOOK_MAX_RETRIES), backoffMs);
    log(`webhook bill ${billId}: the store could not record the attempt (${(error as Error).message}); trying again in ${delay} ms`);
    schedule(billId, job, delay);
  };

  const attempt = async (billId: string, job: Job): Promise<void> => {
    job.timer = undefined;
    const bill = store.get(billId);
    const app = bill === undefined ? undefined : apps.get(bill.app_id);
    if (bill === undefined || app?.webhookUrl === undefined) {
      settle(billId, { state: 'failed', attempts: bill?.webhook?.attempts ?? 0, last_result: 'bill or app is gone' });
      return;
    }
    const attempts = (bill.webhook?.attempts ?? 0) + 1;
    job.controller = new AbortController();
    const outcome = await postWebhook(app.webhookUrl, buildWebhookBody(bill, app, Date.now()), timeoutMs, job.controller.signal);
    job.controller = undefined;
    if (closed) return;
    const prefix = `webhook bill ${billId} (app ${app.appId}, out_trade_no ${bill.out_trade_no}) attempt ${attempts}: ${outcome.result}`;
    if (outcome.delivered) {
      log(`${prefix}; delivered`);
      settle(billId, { state: 'delivered', attempts, last_result: outcome.result });
      return;
    }
    const retry = attempts;
    if (retry > WEBHOOK_MAX_RETRIES) {
      log(`${prefix}; giving up after ${attempts} attempts`);
      settle(billId, { state: 'failed', attempts, last_result: outcome.result });
      return;
    }
    const delay = retryDelay(retry, backoffMs);
    log(`${prefix}; retry ${retry} of ${WEBHOOK_MAX_RETRIES} in ${delay} ms`);
    const next_attempt_at = new Date(Date.now() + delay).toISOString();
    settle(billId, { state: 'pending', attempts, next_attempt_at, last_result: outcome.result });
    schedule(billId, job, delay);
  };

  return {
    enqueue(billId) {
      if (closed || jobs.has(billId)) return;
      const bill = store.get(billId);
      if (bill === undefined) return;
      const app = apps.get(bill.app_id);
      if (app?.webhookUrl === undefined) {
        log(`webhook bill ${billId} (app ${bill.app_id}): the app has no webhook URL, so none is sent`);
        store.update(billId, { webhook: { state: 'none', attempts: 0 } });
        return;
      }
      const job: Job = {};
      jobs.set(billId, job);
      if (bill.webhook?.state !== 'pending') store.update(billId, { webhook: { state: 'pending', attempts: 0 } });
      const due = bill.webhook?.next_attempt_at === undefined ? 0 : Date.parse(bill.webhook.next_attempt_at) - Date.now();
      schedule(billId, job, Math.max(0, Number.isNaN(due) ? 0 : due));
    },
    pending: () => jobs.size,
    idle: () => (jobs.size === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    close() {
      closed = true;
      for (const job of jobs.values()) {
        if (job.timer !== undefined) clearTimeout(job.timer);
        job.controller?.abort();
      }
      jobs.clear();
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    },
  };
}
