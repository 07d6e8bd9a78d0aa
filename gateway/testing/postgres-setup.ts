import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The admin URL of the tests' own PostgreSQL, or '' when this machine has none. */
    postgresUrl: string;
  }
}

/** Vitest's global setup: one throwaway PostgreSQL for the whole run, stopped and removed at the end, pass or fail. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster?.url ?? '');
  return async () => {
    await cluster?.stop();
  };
}
