import type { SpayError } from '../core/errors';
import { type BillStatus, getBillStatus } from '../gateway-client';

/** How a QR bill's wait ended. */
export type PollEnd = { kind: 'paid' } | { kind: 'closed' } | { kind: 'ended'; status: 'CANCELLED' | 'FAILED' } | { kind: 'expired' };

export interface PollOptions {
  apiBase: string;
  billId: string;
  signal: AbortSignal;
  /** First delay and cap of the backoff, in ms. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this long: a QR code a buyer has not scanned in that time is stale. */
  expireAfterMs?: number;
  fetchStatus?: (apiBase: string, id: string, signal: AbortSignal) => Promise<{ ok: true; value: BillStatus } | { ok: false; error: SpayError }>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener('abort', wake);
  });

/**
 * Polls the bill until it is paid, cancelled or failed, the signal aborts (modal closed) or it expires.
 * Delays grow by half each time up to the cap; transient errors (network, 5xx) are ridden out.
 */
export async function pollBill(options: PollOptions): Promise<PollEnd> {
  const { signal } = options;
  const fetchStatus = options.fetchStatus ?? getBillStatus;
  const maxDelay = options.maxDelayMs ?? 5000;
  const deadline = Date.now() + (options.expireAfterMs ?? 30 * 60 * 1000);
  let delay = options.firstDelayMs ?? 1000;
  while (!signal.aborted) {
    await sleep(delay, signal);
    if (signal.aborted) break;
    if (Date.now() > deadline) return { kind: 'expired' };
    const answer = await fetchStatus(options.apiBase, options.billId, signal);
    if (answer.ok) {
      if (answer.value.pay_result || answer.value.status === 'PAID') return { kind: 'paid' };
      if (answer.value.status === 'CANCELLED' || answer.value.status === 'FAILED') return { kind: 'ended', status: answer.value.status };
    }
    delay = Math.min(Math.round(delay * 1.5), maxDelay);
  }
  return { kind: 'closed' };
}
