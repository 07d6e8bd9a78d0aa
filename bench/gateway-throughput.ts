import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_APP } from '../gateway/apps';
import { type RunningGateway, startGateway } from '../gateway/server';
import { openPostgresStore } from '../gateway/stores/postgres/postgres-store';
import { type PostgresCluster, createDatabase, startPostgresCluster } from '../gateway/testing/postgres-cluster';
import { startBridgeServer } from './bridge-server';
import { startHelloServer } from './hello-server';
import type { LoadWorker } from './load-worker-client';
import type { ThroughputResult } from './load-worker';
import { settledHeapUsed } from './node-heap';
import type { Row } from './table';

/** Options of the throughput figure: runs, requests per run, concurrent clients, and the forked load generator. */
export interface ThroughputOptions {
  runs: number;
  requests: number;
  concurrency: number;
  worker: LoadWorker;
  progress(line: string): void;
}

/**
 * Bill creation at a fresh gateway per run (in this process) against the same bodies at a plain
 * node:http server (the ceiling) and at the gateway's HTTP bridge with a trivial handler (to split the
 * gap), and at a gateway keeping its bills in a journal (dataDir), interleaved run by run so that all
 * see the same machine, and at a gateway on a throwaway PostgreSQL when this machine has one. Also reads the heap the gateway's memory store keeps per bill. Throws when a bill is refused, since then the figure would lie.
 */
export async function runThroughputBench(options: ThroughputOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const { worker, requests, concurrency } = options;
  const hello = await startHelloServer();
  const bridge = await startBridgeServer();
  const series: Record<string, number[]> = {};
  const notes: string[] = [];
  // A throwaway PostgreSQL on this machine, as the tests start one; without PostgreSQL its rows stay empty.
  const cluster: PostgresCluster | undefined = await startPostgresCluster();
  if (cluster === undefined) notes.push('PostgreSQL is not installed here: its rows are empty.');
  const push = (key: string, value: number) => (series[key] ??= []).push(value);
  try {
    // One warm-up each, so that the first measured run is not the one that JIT-compiles the paths.
    const warm = await newGateway();
    await worker.run({ kind: 'bills', url: warm.url, total: Math.min(1_000, requests), concurrency });
    await warm.close();
    await worker.run({ kind: 'hello', url: hello.url, total: Math.min(1_000, requests), concurrency });
    await worker.run({ kind: 'hello', url: bridge.url, total: Math.min(1_000, requests), concurrency });

    for (let run = 1; run <= options.runs; run += 1) {
      options.progress(`throughput run ${run}/${options.runs}`);
      const gateway = await newGateway();
      let bills: ThroughputResult;
      try {
        const heapBefore = settledHeapUsed();
        bills = await worker.run({ kind: 'bills', url: gateway.url, total: requests, concurrency });
        const stored = await gateway.gateway.store.countBills({});
        push('heapPerBill', (settledHeapUsed() - heapBefore) / stored);
      } finally {
        await gateway.close();
      }
      checkAllCreated(bills, 'memory store');
      const dataDir = mkdtempSync(join(tmpdir(), 'spay-bench-journal-'));
      let journaled: ThroughputResult;
      try {
        const durable = await newGateway(dataDir);
        try {
          journaled = await worker.run({ kind: 'bills', url: durable.url, total: requests, concurrency });
        } finally {
          await durable.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      checkAllCreated(journaled, 'journal store');
      if (cluster !== undefined) {
        const database = await createDatabase(cluster.url);
        const onDatabase = await startGateway({ apps: [{ ...DEMO_APP, channels: [...DEMO_APP.channels] }], port: 0, log: () => {}, store: await openPostgresStore(database.url) });
        try {
          const stored = await worker.run({ kind: 'bills', url: onDatabase.url, total: requests, concurrency });
          checkAllCreated(stored, 'PostgreSQL store');
          push('pgRate', stored.throughput);
          push('pgP99', stored.latency.p99);
        } finally {
          await onDatabase.close();
          await database.drop();
        }
      }
      const plain = await worker.run({ kind: 'hello', url: hello.url, total: requests, concurrency });
      const bridged = await worker.run({ kind: 'hello', url: bridge.url, total: requests, concurrency });
      push('gwRate', bills.throughput);
      push('gwP50', bills.latency.p50);
      push('gwP99', bills.latency.p99);
      push('helloRate', plain.throughput);
      push('helloP50', plain.latency.p50);
      push('helloP99', plain.latency.p99);
      push('ratio', bills.throughput / plain.throughput);
      push('journalRate', journaled.throughput);
      push('journalP99', journaled.latency.p99);
      push('bridgeRate', bridged.throughput);
      push('bridgeP99', bridged.latency.p99);
      push('bridgeRatio', bridged.throughput / plain.throughput);
    }
  } finally {
    await hello.close();
    await bridge.close();
    await cluster?.stop();
  }
  const load = `${requests.toLocaleString('en-US')} req, ${concurrency} clients`;
  const row = (figure: string, key: string, unit: Row['unit']): Row => ({ section: 'gateway', figure, unit, values: series[key] ?? [] });
  return {
    notes,
    rows: [
      row(`POST /bill throughput (${load})`, 'gwRate', 'req/s'),
      row('POST /bill latency p50', 'gwP50', 'ms'),
      row('POST /bill latency p99', 'gwP99', 'ms'),
      row(`node:http hello throughput (same bodies)`, 'helloRate', 'req/s'),
      row('node:http hello latency p50', 'helloP50', 'ms'),
      row('node:http hello latency p99', 'helloP99', 'ms'),
      row('gateway / hello throughput', 'ratio', 'ratio'),
      row('POST /bill throughput, journal store (dataDir, fdatasync per bill)', 'journalRate', 'req/s'),
      row('POST /bill latency p99, journal store', 'journalP99', 'ms'),
      row('POST /bill throughput, PostgreSQL store (one gateway, pool of 10)', 'pgRate', 'req/s'),
      row('POST /bill latency p99, PostgreSQL store', 'pgP99', 'ms'),
      row('gateway HTTP bridge alone (listenForAnswers(), trivial handler)', 'bridgeRate', 'req/s'),
      row('gateway HTTP bridge alone, latency p99', 'bridgeP99', 'ms'),
      row('gateway HTTP bridge alone / hello throughput', 'bridgeRatio', 'ratio'),
      row('memory store: retained heap per bill', 'heapPerBill', 'B/bill'),
    ],
  };
}

function newGateway(dataDir?: string): Promise<RunningGateway> {
  const apps = [{ ...DEMO_APP, channels: [...DEMO_APP.channels] }];
  return startGateway({ apps, port: 0, log: () => {}, ...(dataDir === undefined ? {} : { dataDir }) });
}

function checkAllCreated(result: ThroughputResult, store: string): void {
  const refused = Object.keys(result.outcomes).filter((key) => key !== '200 0');
  if (refused.length > 0) throw new Error(`the gateway (${store}) refused bills in a throughput run: ${JSON.stringify(result.outcomes)}`);
}
