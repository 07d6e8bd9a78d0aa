/**
 * The load generator's own process (forked by load-worker-client.ts), so that it never shares an event
 * loop with the server under test. Receives one task per message and answers with its result.
 */
import { runClosedLoop } from './http-load';
import { type MixedLoadOptions, runMixedLoad } from './load';
import { billBody, signedOrder } from './orders';
import { type Percentiles, latencyPercentiles } from './stats';

/** A task for the worker: valid bills at the gateway, the same bodies at the hello server, or the mixed load. */
export type WorkerTask =
  | { kind: 'bills' | 'hello'; url: string; total: number; concurrency: number }
  | { kind: 'mixed'; options: MixedLoadOptions };

/** A throughput run's outcome, as the worker reports it. */
export interface ThroughputResult {
  total: number;
  elapsedMs: number;
  throughput: number;
  latency: Percentiles;
  /** Answers by HTTP status and result_code, e.g. { "200 0": 5000 }. */
  outcomes: Record<string, number>;
}

async function runThroughput(task: Extract<WorkerTask, { kind: 'bills' | 'hello' }>): Promise<ThroughputResult> {
  // Sign before the clock starts: the merchant server signs, not the buyer's browser.
  const bodies = Array.from({ length: task.total }, () => JSON.stringify(billBody(signedOrder(), 'ALI_WEB')));
  const outcomes: Record<string, number> = {};
  const run = await runClosedLoop({
    url: task.url,
    total: task.total,
    concurrency: task.concurrency,
    next: (index) => ({ method: 'POST', path: task.kind === 'bills' ? '/1/pay/jsbutton/bill' : '/', body: bodies[index] as string }),
    onAnswer(_index, answer) {
      const code = /"result_code":(\d+)/.exec(answer.body)?.[1] ?? '-';
      const key = `${answer.status} ${code}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    },
  });
  return {
    total: task.total,
    elapsedMs: run.elapsedMs,
    throughput: task.total / (run.elapsedMs / 1000),
    latency: latencyPercentiles(run.latencies),
    outcomes,
  };
}

process.on('message', (message: { id: number; task: WorkerTask }) => {
  const { id, task } = message;
  const work = task.kind === 'mixed' ? runMixedLoad(task.options) : runThroughput(task);
  work.then(
    (value) => process.send?.({ id, ok: true, value }),
    (error: unknown) => process.send?.({ id, ok: false, error: (error as Error).stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
