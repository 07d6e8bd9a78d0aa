import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MixedLoadResult } from './load';
import type { ThroughputResult, WorkerTask } from './load-worker';

/** A forked load generator: run() sends it a task and resolves with its result; close() ends it. */
export interface LoadWorker {
  run(task: Extract<WorkerTask, { kind: 'bills' | 'hello' }>): Promise<ThroughputResult>;
  run(task: Extract<WorkerTask, { kind: 'mixed' }>): Promise<MixedLoadResult>;
  close(): Promise<void>;
}

/** Forks bench/load-worker.ts under tsx, in its own process and event loop. */
export function startLoadWorker(): LoadWorker {
  const child: ChildProcess = fork(fileURLToPath(new URL('./load-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.ok) pending?.resolve(message.value);
    else pending?.reject(new Error(`load worker: ${message.error}`));
  });
  child.on('exit', (code) => {
    for (const pending of waiting.values()) pending.reject(new Error(`the load worker exited (code ${code})`));
    waiting.clear();
  });
  return {
    run(task: WorkerTask) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ id, task });
      });
    },
    close() {
      if (child.exitCode !== null || !child.connected) return Promise.resolve();
      return new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      });
    },
  } as LoadWorker;
}
