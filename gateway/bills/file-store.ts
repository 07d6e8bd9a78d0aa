import { closeSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bill } from './bill';
import { createMemoryStore } from './memory-store';
import type { BillStore } from './store';

/** The journal's file name inside the data directory. */
export const JOURNAL_FILE = 'bills.jsonl';

/** A BillStore kept in a journal file: the memory store's lookups, plus where the journal is and close(). */
export interface FileBillStore extends BillStore {
  /** The journal's absolute path. */
  readonly path: string;
  /** Closes the journal; later inserts and updates throw, reads still answer. Safe to call twice. */
  close(): void;
}

/** Where openFileStore reports what it repaired on open (a torn last line); default nowhere. */
export interface FileStoreOptions {
  log?: (line: string) => void;
}

const STATUSES = new Set(['UNPAID', 'PAID', 'CANCELLED', 'FAILED']);

/**
 * Opens (creating them, mode 0700 / 0600) `dir` and its journal `bills.jsonl`: one JSON line per bill change,
 * the whole bill after it, appended synchronously. Replays the journal into a memory store, ignoring a torn
 * last line left by a crash, and rewrites it with one line per bill. Throws, naming the file and line, when
 * any other line is not a bill: the gateway must not start and silently drop bills.
 */
export function openFileStore(dir: string, options: FileStoreOptions = {}): FileBillStore {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const path = join(root, JOURNAL_FILE);
  const bills = replayJournal(path, options.log ?? (() => undefined));
  const memory = createMemoryStore();
  for (const [bill, line] of bills.values()) {
    try {
      memory.insert(bill);
    } catch (error) {
      throw new Error(`${path} line ${line}: ${(error as Error).message}; repair or remove that line`);
    }
  }
  rewriteJournal(root, path, [...bills.values()].map(([bill]) => bill));

  let fd: number | undefined = openSync(path, 'a', 0o600);
  let size = fstatSync(fd).size;

  // Every change that a buyer, a merchant or the webhook queue relies on is flushed to the disk before the
  // answer; only a retry's bookkeeping (attempt count, next time) is left to the page cache.
  const append = (bill: Bill, flush: boolean): void => {
    if (fd === undefined) throw new Error(`the bill store at ${path} is closed`);
    const data = Buffer.from(`${JSON.stringify(bill)}\n`, 'utf8');
    try {
      for (let written = 0; written < data.length; ) written += writeSync(fd, data, written, data.length - written);
      if (flush) fdatasyncSync(fd);
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

  return {
    path,
    get: (id) => memory.get(id),
    findByOrder: (appId, outTradeNo) => memory.findByOrder(appId, outTradeNo),
    findByPrepayId: (prepayId) => memory.findByPrepayId(prepayId),
    list: (limit) => memory.list(limit),
    pendingWebhooks: () => memory.pendingWebhooks(),
    insert(bill) {
      // Refused before the journal sees it, so that a refused bill is never replayed.
      if (memory.get(bill.id) !== undefined) throw new Error(`bill id ${bill.id} is already stored`);
      if (memory.findByOrder(bill.app_id, bill.out_trade_no) !== undefined) throw new Error(`out_trade_no ${bill.out_trade_no} already has a bill`);
      append(bill, true);
      memory.insert(bill);
    },
    update(id, patch) {
      const current = memory.get(id);
      if (current === undefined) return undefined;
      const next: Bill = { ...current, ...patch };
      const bookkeeping = Object.keys(patch).every((key) => key === 'webhook') && current.webhook?.state === next.webhook?.state;
      append(next, !bookkeeping);
      return memory.update(id, patch);
    },
    close() {
      if (fd === undefined) return;
      const open = fd;
      fd = undefined;
      closeSync(open);
    },
  };
}

/** The journal's bills by id, each the last line written for it, in the order they were first written, with that line's number. */
function replayJournal(path: string, log: (line: string) => void): Map<string, [Bill, number]> {
  const bills = new Map<string, [Bill, number]>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return bills;
    throw error;
  }
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] as string).trim() === '') last -= 1;
  for (let index = 0; index <= last; index++) {
    const line = lines[index] as string;
    if (line.trim() === '') continue;
    const parsed = parseBill(line);
    if (typeof parsed === 'string') {
      if (index === last) {
        log(`${path} line ${index + 1}: ignored a torn last line (${line.length} chars) left by a crash`);
        break;
      }
      throw new Error(`${path} line ${index + 1} is not a bill (${parsed}); the gateway will not start and drop bills: repair or remove that line`);
    }
    const first = bills.get(parsed.id);
    if (first !== undefined && (first[0].app_id !== parsed.app_id || first[0].out_trade_no !== parsed.out_trade_no)) {
      throw new Error(`${path} line ${index + 1} gives bill ${parsed.id} another app_id or out_trade_no than line ${first[1]}; repair or remove that line`);
    }
    // Map.set keeps a key's first position, so bills stay in the order they were created.
    bills.set(parsed.id, [parsed, first?.[1] ?? index + 1]);
  }
  return bills;
}

/** The bill on a journal line, or why the line is not one. */
function parseBill(line: string): Bill | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return (error as Error).message;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const fields = value as Record<string, unknown>;
  for (const key of ['id', 'app_id', 'out_trade_no', 'title', 'created_at']) {
    if (typeof fields[key] !== 'string' || fields[key] === '') return `expected ${key} to be a non-empty string, got ${JSON.stringify(fields[key]) ?? 'nothing'}`;
  }
  if (!STATUSES.has(fields.status as string)) return `expected status to be one of ${[...STATUSES].join(', ')}, got ${JSON.stringify(fields.status) ?? 'nothing'}`;
  return value as Bill;
}

/** Replaces the journal with one line per bill: written to a temporary file, flushed, then renamed over it. */
function rewriteJournal(dir: string, path: string, bills: Bill[]): void {
  const temporary = `${path}.tmp`;
  // A leftover from a crash during an earlier rewrite may carry other permissions; start afresh.
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    const data = Buffer.from(bills.map((bill) => `${JSON.stringify(bill)}\n`).join(''), 'utf8');
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
