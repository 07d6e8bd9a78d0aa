import { DEMO_APP } from '../gateway/apps';
import { startGateway } from '../gateway/server';
import { REQUEST_KINDS, checkMixedLoad } from './load';
import type { LoadWorker } from './load-worker-client';
import type { Row } from './table';

/** The shares of the mixed load `npm run bench` drives; the rest are new orders. */
export const MIXED_SHARES = { duplicateShare: 0.2, badSignShare: 0.1, tamperedShare: 0.1 } as const;

const KIND_LABELS = { new: 'new orders', duplicate: 'duplicates', badSign: 'bad signs', tampered: 'tampered amounts' } as const;

/**
 * The mixed load, once per run, against a fresh gateway in this process driven from the forked worker;
 * after each run checkMixedLoad verifies the answers, GET /bill/:id and the gateway's store.
 * Returns the rows and every failed check (an empty list when the gateway held).
 */
export async function runMixedLoadBench(options: {
  runs: number;
  requests: number;
  concurrency: number;
  worker: LoadWorker;
  progress(line: string): void;
}): Promise<{ rows: Row[]; failures: string[] }> {
  const series: Record<string, number[]> = {};
  const push = (key: string, value: number) => (series[key] ??= []).push(value);
  const failures: string[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    options.progress(`mixed load run ${run}/${options.runs}`);
    const gateway = await startGateway({ apps: [{ ...DEMO_APP, channels: [...DEMO_APP.channels] }], port: 0, log: () => {} });
    try {
      const result = await options.worker.run({
        kind: 'mixed',
        options: { url: gateway.url, total: options.requests, concurrency: options.concurrency, ...MIXED_SHARES, seed: run },
      });
      const check = await checkMixedLoad(result, { url: gateway.url, store: gateway.gateway.store });
      failures.push(...check.failures.map((failure) => `mixed load run ${run}: ${failure}`));
      push('rate', result.throughput);
      push('p50', result.latency.p50);
      push('p99', result.latency.p99);
      for (const kind of REQUEST_KINDS) {
        const outcomes = result.counts[kind];
        const sent = Object.values(outcomes).reduce((a, b) => a + b, 0);
        const expected = kind === 'new' || kind === 'duplicate' ? 'OK' : 'SIGN_INVALID';
        push(`${kind}Sent`, sent);
        push(`${kind}Expected`, outcomes[expected] ?? 0);
      }
      push('server5xx', result.serverErrors + result.transportErrors);
      push('failedChecks', check.failures.length);
    } finally {
      await gateway.close();
    }
  }
  const row = (figure: string, key: string, unit: Row['unit']): Row => ({ section: 'mixed load', figure, unit, values: series[key] ?? [] });
  const load = `${options.requests.toLocaleString('en-US')} req, ${options.concurrency} clients`;
  const shares = `${MIXED_SHARES.duplicateShare * 100}% dup, ${MIXED_SHARES.badSignShare * 100}% bad sign, ${MIXED_SHARES.tamperedShare * 100}% tampered`;
  return {
    failures,
    rows: [
      row(`throughput (${load}; ${shares})`, 'rate', 'req/s'),
      row('latency p50', 'p50', 'ms'),
      row('latency p99', 'p99', 'ms'),
      row(`${KIND_LABELS.new} sent`, 'newSent', 'count'),
      row(`${KIND_LABELS.new} accepted, result_code 0`, 'newExpected', 'count'),
      row(`${KIND_LABELS.duplicate} sent`, 'duplicateSent', 'count'),
      row(`${KIND_LABELS.duplicate} answered with the order's one bill`, 'duplicateExpected', 'count'),
      row(`${KIND_LABELS.badSign} sent`, 'badSignSent', 'count'),
      row(`${KIND_LABELS.badSign} refused, result_code 20 SIGN_INVALID`, 'badSignExpected', 'count'),
      row(`${KIND_LABELS.tampered} sent`, 'tamperedSent', 'count'),
      row(`${KIND_LABELS.tampered} refused, result_code 20 SIGN_INVALID`, 'tamperedExpected', 'count'),
      row('5xx answers and dropped connections', 'server5xx', 'count'),
      row('failed invariant checks (GET /bill/:id, store, alive)', 'failedChecks', 'count'),
    ],
  };
}
