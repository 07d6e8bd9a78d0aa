import { closeSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bill } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import type { WebhookDelivery } from '../../webhooks/delivery';
import { type MemoryStore, type StepWrites, type StoreRecords, createMemoryStore } from '../memory/memory-store';
import { lockDirectory } from './directory-lock';
import { parseJournalLine } from './journal-line';
import type { AppSettings } from '../store';

/** The journal's file name inside the data directory. */
export const JOURNAL_FILE = 'bills.jsonl';

/** A Store kept in a journal file: the memory store's steps, each appended to the journal before it takes effect. */
export interface JournalStore extends MemoryStore {
  /** The journal's absolute path. */
  readonly path: string;
}

/** Where openJournalStore reports what it repaired on open (a torn last line); default nowhere. */
export interface JournalStoreOptions {
  log?: (line: string) => void;
}

type Kind = 'bill' | 'refund' | 'delivery' | 'settings';

/**
 * Opens (creating them, mode 0700 / 0600) `dir` and its journal `bills.jsonl`: one JSON line per change of a bill,
 * a refund or a webhook delivery, the whole record after it, appended synchronously. Locks the directory, so that a
 * second gateway on it refuses to start. Replays the journal into a memory store, ignoring a torn last line left
 * by a crash, and rewrites it with one line per record. Throws, naming the file and line, when any other line is
 * not a record: the gateway must not start and silently drop bills.
 */
export function openJournalStore(dir: string, options: JournalStoreOptions = {}): JournalStore {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const path = join(root, JOURNAL_FILE);
  const unlock = lockDirectory(root);
  let fd: number | undefined;
  let size = 0;

  // Every change that a buyer, a merchant or the webhook queue relies on is flushed to the disk before the
  // answer; only a retry's bookkeeping (attempt count, next time) is left to the page cache.
  const append = (writes: StepWrites): void => {
    if (fd === undefined) throw new Error(`the bill store at ${path} is closed`);
    const data = Buffer.from(journalText(writes), 'utf8');
    try {
      for (let written = 0; written < data.length; ) written += writeSync(fd, data, written, data.length - written);
      if (writes.flush) fdatasyncSync(fd);
      size += data.length;
    } catch (error) {
      // A half-written line would merge with the next one into a corrupt line; cut back to the last whole line.
      try {
        ftruncateSync(fd, size);
      } catch {
        // The write's own error says more than this one.
      }
      throw error;
    }
  };

  const memory = createMemoryStore({
    description: `journal ${path}`,
    durable: true,
    commit: append,
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      unlock();
    },
  });
  try {
    const records = replayJournal(path, memory, options.log ?? (() => undefined));
    rewriteJournal(root, path, records);
    fd = openSync(path, 'a', 0o600);
    size = fstatSync(fd).size;
  } catch (error) {
    unlock();
    throw error;
  }
  return Object.assign(memory, { path });
}

function journalText(records: StoreRecords): string {
  return [
    ...records.bills.map((bill) => journalLine('bill', bill)),
    ...records.refunds.map((refund) => journalLine('refund', refund)),
    ...records.deliveries.map((delivery) => journalLine('delivery', delivery)),
    ...(records.settings ?? []).map((item) => journalLine('settings', item)),
  ].join('');
}

function journalLine(kind: Kind, record: Bill | Refund | WebhookDelivery | AppSettings): string {
  return `${JSON.stringify({ [kind]: record })}\n`;
}

/**
 * The journal's records, each the last line written for it, in the order they were first written. A line holding a
 * bare bill is from an earlier release (bills only, with their webhook's state on the bill): it is read as today's
 * bill and its webhook delivery.
 */
function replayJournal(path: string, into: MemoryStore, log: (line: string) => void): StoreRecords {
  const found = {
    bill: new Map<string, [Bill, number]>(),
    refund: new Map<string, [Refund, number]>(),
    delivery: new Map<string, [WebhookDelivery, number]>(),
    settings: new Map<string, [AppSettings, number]>(),
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { bills: [], refunds: [], deliveries: [], settings: [] };
    throw error;
  }
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] as string).trim() === '') last -= 1;
  for (let index = 0; index <= last; index++) {
    const line = lines[index] as string;
    if (line.trim() === '') continue;
    const parsed = parseJournalLine(line);
    if (typeof parsed === 'string') {
      if (index === last) {
        log(`${path} line ${index + 1}: ignored a torn last line (${line.length} chars) left by a crash`);
        break;
      }
      throw new Error(`${path} line ${index + 1} is not a bill (${parsed}); the gateway will not start and drop bills: repair or remove that line`);
    }
    for (const [kind, record] of parsed) {
      const map = found[kind] as Map<string, [typeof record, number]>;
      // App settings are one record per app, keyed by its id.
      const key = 'id' in record ? record.id : record.app_id;
      const first = map.get(key);
      if (kind === 'bill' && first !== undefined) {
        const [was, now] = [first[0] as Bill, record as Bill];
        if (was.app_id !== now.app_id || was.out_trade_no !== now.out_trade_no) {
          throw new Error(`${path} line ${index + 1} gives bill ${now.id} another app_id or out_trade_no than line ${first[1]}; repair or remove that line`);
        }
      }
      // Map.set keeps a key's first position, so records stay in the order they were created.
      map.set(key, [record, first?.[1] ?? index + 1]);
    }
  }
  const records: StoreRecords = {
    bills: [...found.bill.values()].map(([bill]) => bill),
    refunds: [...found.refund.values()].map(([refund]) => refund),
    deliveries: [...found.delivery.values()].map(([delivery]) => delivery),
    settings: [...found.settings.values()].map(([item]) => item),
  };
  // Loaded one by one, so that a clash names its line.
  for (const [kind, map] of Object.entries(found) as Array<[Kind, Map<string, [never, number]>]>) {
    for (const [record, line] of map.values()) {
      try {
        into.load({
          bills: kind === 'bill' ? [record] : [],
          refunds: kind === 'refund' ? [record] : [],
          deliveries: kind === 'delivery' ? [record] : [],
          settings: kind === 'settings' ? [record] : [],
        });
      } catch (error) {
        throw new Error(`${path} line ${line}: ${(error as Error).message}; repair or remove that line`);
      }
    }
  }
  return records;
}

/** Replaces the journal with one line per record: written to a temporary file, flushed, then renamed over it. */
function rewriteJournal(dir: string, path: string, records: StoreRecords): void {
  const temporary = `${path}.tmp`;
  // A leftover from a crash during an earlier rewrite may carry other permissions; start afresh.
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    const text = journalText(records);
    const data = Buffer.from(text, 'utf8');
    for (let written = 0; written < data.length; ) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dir);
}

/** Flushes a directory entry (the rename) where the platform allows opening a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a directory to flush it; the rename has happened all the same.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
