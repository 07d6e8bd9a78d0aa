import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { openJournalStore } from '../stores/journal/journal-store';
import { openPostgresStore } from '../stores/postgres/postgres-store';
import { createDatabase } from '../testing/postgres-cluster';
import { describeRefundConcurrency } from './refund-concurrency-suite';

// The memory store, the journal on disk, and PostgreSQL (when this machine has it).
describeRefundConcurrency();

const dir = mkdtempSync(join(tmpdir(), 'spay-refunds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describeRefundConcurrency({ name: 'journal', store: () => openJournalStore(dir, { log: () => undefined }) });

const postgresUrl = inject('postgresUrl');
if (postgresUrl !== '') {
  let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
  afterAll(async () => database?.drop());
  describeRefundConcurrency({
    name: 'postgres',
    store: async () => {
      database = await createDatabase(postgresUrl);
      return openPostgresStore(database.url, { poolSize: 20 });
    },
  });
}
