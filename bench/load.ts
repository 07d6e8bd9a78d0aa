import type { App } from '../gateway/apps';
import { type LoadAnswer, type LoadRequest, runClosedLoop } from './http-load';
import { type PlannedRequest, planRequests } from './load-plan';
import { type Percentiles, latencyPercentiles } from './stats';

export { checkMixedLoad } from './load-check';
export type { MixedLoadCheck } from './load-check';

/** What one request of the mixed load is: a new order, a repeat of an earlier one, a bad sign, or an amount changed after signing. */
export type RequestKind = 'new' | 'duplicate' | 'badSign' | 'tampered';

/** The kinds, in the order reports list them. */
export const REQUEST_KINDS: readonly RequestKind[] = ['new', 'duplicate', 'badSign', 'tampered'];

/** How to drive the mixed load; the shares are fractions of `total` (the rest are new orders). */
export interface MixedLoadOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:40123, or several gateways' on one store (requests alternate). */
  url: string | readonly string[];
  total: number;
  concurrency: number;
  /** Same out_trade_no, title and amount as an earlier order (half of them the order just sent: a double click). */
  duplicateShare: number;
  /** A fresh order whose sign is 32 hex characters that do not match. */
  badSignShare: number;
  /** An amount changed after signing: half on an earlier order's number, half on a fresh one. */
  tamperedShare: number;
  /** The app to sign with; default the demo app. */
  app?: Pick<App, 'appId' | 'appSecret' | 'channels'>;
  /** Seed of the request plan, so that a run can be repeated; default 1. */
  seed?: number;
}

/** An order the load created (once), with every bill id the gateway answered for it. */
export interface MixedOrder {
  out_trade_no: string;
  title: string;
  amount: number | string;
  billIds: string[];
}

/** The outcome of a mixed load: counts per kind and outcome, speed, and what the checks need. */
export interface MixedLoadResult {
  total: number;
  concurrency: number;
  elapsedMs: number;
  /** Answered requests per second. */
  throughput: number;
  latency: Percentiles;
  /** Per kind: how many answers had each outcome ("OK", a result_msg such as "SIGN_INVALID", "HTTP 500", "network error"). */
  counts: Record<RequestKind, Record<string, number>>;
  /** Answers with an HTTP status of 500 or more. */
  serverErrors: number;
  /** Requests that got no HTTP answer at all. */
  transportErrors: number;
  /** Answers that broke an expectation, first 20 described. */
  violations: string[];
  violationCount: number;
  /** Every order with accepted requests, and the bill ids seen for it. */
  orders: MixedOrder[];
  /** out_trade_nos that only ever saw refused requests (bad signs, fresh tampered): none may have a bill. */
  refusedOrderNos: string[];
}

const MAX_VIOLATIONS_SHOWN = 20;

/**
 * Drives bill creations at the gateway: new orders, duplicates of earlier ones (same out_trade_no, title
 * and amount, often while the original is still in flight), bad signs and tampered amounts, through
 * `concurrency` keep-alive clients. Returns counts per outcome, throughput and latency percentiles, and
 * what checkMixedLoad needs to verify the gateway's state afterwards.
 */
export async function runMixedLoad(options: MixedLoadOptions): Promise<MixedLoadResult> {
  const plan = planRequests(options);
  const counts = Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, {}])) as MixedLoadResult['counts'];
  const violations: string[] = [];
  let violationCount = 0;
  let serverErrors = 0;
  let transportErrors = 0;
  const breach = (text: string) => {
    violationCount += 1;
    if (violations.length < MAX_VIOLATIONS_SHOWN) violations.push(text);
  };

  const run = await runClosedLoop({
    url: options.url,
    total: plan.requests.length,
    concurrency: options.concurrency,
    next: (index): LoadRequest => ({ method: 'POST', path: '/1/pay/jsbutton/bill', body: (plan.requests[index] as PlannedRequest).body }),
    onAnswer(index, answer) {
      const planned = plan.requests[index] as PlannedRequest;
      const outcome = readOutcome(answer);
      const kindCounts = counts[planned.kind];
      kindCounts[outcome.name] = (kindCounts[outcome.name] ?? 0) + 1;
      if (answer.status === 0) transportErrors += 1;
      if (answer.status >= 500) serverErrors += 1;
      const where = `request ${index} (${planned.kind})`;
      if (answer.status === 0 || answer.status >= 500) return breach(`${where}: ${outcome.name}${outcome.detail === "" ? "" : ` (${outcome.detail})`}`);
      switch (planned.kind) {
        case 'new':
        case 'duplicate':
          if (outcome.code !== 0 || outcome.id === undefined) return breach(`${where}: expected result_code 0 with an id, got ${outcome.name} (${outcome.detail})`);
          planned.order?.billIds.push(outcome.id);
          return;
        case 'badSign':
          if (outcome.code !== 20 || answer.status !== 403) return breach(`${where}: expected HTTP 403 result_code 20 (SIGN_INVALID), got HTTP ${answer.status} ${outcome.name}`);
          return;
        case 'tampered':
          if (outcome.code === 0) return breach(`${where}: a tampered amount was accepted (bill ${outcome.id})`);
          if (outcome.code !== 20) return breach(`${where}: expected result_code 20 (SIGN_INVALID) for a tampered amount, got ${outcome.name}`);
          return;
      }
    },
  });

  return {
    total: plan.requests.length,
    concurrency: options.concurrency,
    elapsedMs: run.elapsedMs,
    throughput: plan.requests.length / (run.elapsedMs / 1000),
    latency: latencyPercentiles(run.latencies),
    counts,
    serverErrors,
    transportErrors,
    violations,
    violationCount,
    orders: plan.orders.map((order) => ({ ...order, billIds: [...new Set(order.billIds)] })),
    refusedOrderNos: plan.refusedOrderNos,
  };
}

function readOutcome(answer: LoadAnswer): { name: string; code?: number; id?: string; detail: string } {
  if (answer.status === 0) return { name: 'network error', detail: answer.error ?? '' };
  const body = parseJson(answer.body) as { result_code?: unknown; result_msg?: unknown; err_detail?: unknown; id?: unknown } | undefined;
  if (answer.status >= 500 || body === undefined || typeof body.result_code !== 'number') {
    return { name: `HTTP ${answer.status}`, detail: answer.body.slice(0, 200) };
  }
  return {
    name: typeof body.result_msg === 'string' ? body.result_msg : `result_code ${body.result_code}`,
    code: body.result_code,
    id: typeof body.id === 'string' ? body.id : undefined,
    detail: typeof body.err_detail === 'string' ? body.err_detail : '',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

