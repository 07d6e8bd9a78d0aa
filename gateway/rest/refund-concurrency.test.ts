import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openJournalStore } from '../stores/journal/journal-store';
import { describeRefundConcurrency } from './refund-concurrency-suite';

// The memory store, and the journal on disk; PostgreSQL passes { name, store } the same way.
describeRefundConcurrency();

const dir = mkdtempSync(join(tmpdir(), 'spay-refunds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describeRefundConcurrency({ name: 'journal', store: () => openJournalStore(dir, { log: () => undefined }) });
