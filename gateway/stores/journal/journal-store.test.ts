import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { billRequest, FULL_APP, signedBill, testGateway } from '../testing/fixtures';
import type { Bill } from './bill';
import { type FileBillStore, JOURNAL_FILE, openFileStore } from './file-store';

// Counts flushes and can cut the next write short, as a full disk would.
const disk = vi.hoisted(() => ({ flushes: 0, failNextWrite: false }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    fdatasyncSync: (fd: number) => {
      disk.flushes += 1;
      real.fdatasyncSync(fd);
    },
    writeSync: (fd: number, data: Buffer, offset: number, length: number) => {
      if (!disk.failNextWrite) return real.writeSync(fd, data, offset, length);
      disk.failNextWrite = false;
      real.writeSync(fd, data, offset, Math.floor(length / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
});

const bill = (id: string, outTradeNo: string, extra: Partial<Bill> = {}): Bill => ({
  id,
  app_id: 'app',
  out_trade_no: outTradeNo,
  title: '测试',
  amount: '100',
  fee: 100,
  channel: 'ALI_WEB',
  use_app: true,
  status: 'UNPAID',
  created_at: new Date(0).toISOString(),
  ...extra,
});

let dir: string;
const opened: FileBillStore[] = [];
const open = (options: Parameters<typeof openFileStore>[1] = {}): FileBillStore => {
  const store = openFileStore(dir, options);
  opened.push(store);
  return store;
};
const journal = (): string => readFileSync(join(dir, JOURNAL_FILE), 'utf8');
const journalLines = (): string[] => journal().split('\n').filter((line) => line !== '');

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'spay-store-')), 'data');
  disk.flushes = 0;
  disk.failNextWrite = false;
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('openFileStore', () => {
  it('keeps bills, updates, payments and their indexes across a reopen', () => {
    const first = open();
    first.insert(bill('a', '11111111', { return_url: 'https://shop.test/done' }));
    first.insert(bill('b', '22222222', { channel: 'WX_JSAPI', openid: 'o1', amount: 5, fee: 5 }));
    first.update('b', { jsapi: { prepay_id: 'wx123', nonce_str: 'n', timestamp: '1', pay_sign: 'S' } });
    // A reopened order may drop its return_url: the cleared field must stay cleared after a replay.
    first.update('a', { channel: 'WX_NATIVE', return_url: undefined, optional: { shop: 'x', n: 2 } });
    first.update('a', { status: 'PAID', paid_at: new Date(1000).toISOString(), webhook: { state: 'pending', attempts: 0 } });
    first.update('a', { webhook: { state: 'pending', attempts: 1, next_attempt_at: new Date(5000).toISOString(), last_result: 'HTTP 500' } });
    const before = first.list(10);
    first.close();

    const second = open();
    expect(second.list(10)).toEqual(before);
    expect(second.list(10).map((item) => item.id)).toEqual(['b', 'a']);
    expect(second.get('a')).toMatchObject({ status: 'PAID', channel: 'WX_NATIVE', optional: { shop: 'x', n: 2 }, webhook: { attempts: 1 } });
    expect(second.get('a')).not.toHaveProperty('return_url');
    expect(second.get('b')?.amount).toBe(5);
    expect(second.get('a')?.amount).toBe('100');
    expect(second.findByOrder('app', '22222222')?.id).toBe('b');
    expect(second.findByPrepayId('wx123')?.id).toBe('b');
    expect(second.pendingWebhooks().map((item) => item.id)).toEqual(['a']);
    expect(() => second.insert(bill('c', '11111111'))).toThrow(/already has a bill/);
  });

  it('starts empty in a new directory and creates it 0700 with a 0600 journal', () => {
    const store = open();
    expect(store.list(10)).toEqual([]);
    expect(store.path).toBe(join(dir, JOURNAL_FILE));
    if (process.platform === 'win32') return;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('tightens a journal written with wider permissions when it rewrites it', () => {
    open().close();
    chmodSync(join(dir, JOURNAL_FILE), 0o644);
    open();
    if (process.platform !== 'win32') expect(statSync(join(dir, JOURNAL_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([JOURNAL_FILE]);
  });

  it.each([
    ['a line cut mid-way', '{"id":"c","app_id":"app","out_trade'],
    ['a line of zero bytes', '\0\0\0\0\0\0'],
    ['a cut line followed by its newline', '{"id":"c","app_id":\n'],
  ])('ignores a torn last line (%s) and reports it', (_name, torn) => {
    const first = open();
    first.insert(bill('a', '11111111'));
    first.update('a', { status: 'PAID' });
    first.close();
    appendFileSync(join(dir, JOURNAL_FILE), torn);
    const lines: string[] = [];
    const second = open({ log: (line) => lines.push(line) });
    expect(second.get('a')?.status).toBe('PAID');
    expect(lines).toEqual([expect.stringMatching(/bills\.jsonl line 3: ignored a torn last line/)]);
    // The rewrite drops the torn text, so the next line starts on a line of its own.
    second.insert(bill('b', '22222222'));
    second.close();
    expect(journalLines().map((line) => JSON.parse(line).id)).toEqual(['a', 'b']);
  });

  it.each([
    ['not JSON', '{"id":"x",,}', /line 2 is not a bill \(.*JSON/],
    ['an array', '[1,2]', /line 2 is not a bill \(expected a JSON object\)/],
    ['an object without an id', '{"app_id":"app"}', /line 2 is not a bill \(expected id to be a non-empty string, got nothing\)/],
    ['an unknown status', JSON.stringify(bill('x', '33333333', { status: 'LOST' as 'PAID' })), /line 2 is not a bill \(expected status to be one of/],
  ])('refuses to open, naming the line, when a middle line is %s', (_name, corrupt, reason) => {
    const text = `${JSON.stringify(bill('a', '11111111'))}\n${corrupt}\n${JSON.stringify(bill('b', '22222222'))}\n`;
    const file = join(dir, JOURNAL_FILE);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
    expect(() => open()).toThrow(reason);
    expect(() => open()).toThrow(`${file} line 2 is not a bill`);
    // Nothing is dropped: the journal is left exactly as it was, for a person to repair.
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('refuses a journal in which two bills claim one order, naming the line', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, JOURNAL_FILE), `${JSON.stringify(bill('a', '11111111'))}\n${JSON.stringify(bill('b', '11111111'))}\n`);
    expect(() => open()).toThrow(/bills\.jsonl line 2: out_trade_no 11111111 already has a bill/);
  });

  it('rewrites the journal with exactly one line per bill, in creation order, holding its last state', () => {
    const first = open();
    for (const id of ['a', 'b', 'c']) first.insert(bill(id, `${id}0000000`));
    for (let attempt = 1; attempt <= 5; attempt++) first.update('b', { webhook: { state: 'pending', attempts: attempt } });
    first.update('a', { status: 'CANCELLED' });
    first.close();
    expect(journalLines()).toHaveLength(9);

    open().close();
    const lines = journalLines().map((line) => JSON.parse(line) as Bill);
    expect(lines.map((line) => line.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]?.status).toBe('CANCELLED');
    expect(lines[1]?.webhook?.attempts).toBe(5);
    open().close();
    expect(journalLines()).toHaveLength(3);
    expect(readdirSync(dir)).toEqual([JOURNAL_FILE]);
  });

  it('flushes inserts, status and webhook state changes, but not retry bookkeeping', () => {
    const store = open();
    const flushed = (change: () => void): number => {
      const before = disk.flushes;
      change();
      return disk.flushes - before;
    };
    expect(flushed(() => store.insert(bill('a', '11111111')))).toBe(1);
    expect(flushed(() => store.update('a', { channel: 'WX_NATIVE', status: 'UNPAID' }))).toBe(1);
    expect(flushed(() => store.update('a', { status: 'PAID', webhook: { state: 'pending', attempts: 0 } }))).toBe(1);
    expect(flushed(() => store.update('a', { webhook: { state: 'pending', attempts: 1, next_attempt_at: new Date().toISOString() } }))).toBe(0);
    expect(flushed(() => store.update('a', { webhook: { state: 'delivered', attempts: 2 } }))).toBe(1);
    expect(flushed(() => store.update('missing', { status: 'PAID' }))).toBe(0);
  });

  it('writes nothing for a refused insert, and cuts a half-written line back after a failed write', () => {
    const store = open();
    store.insert(bill('a', '11111111'));
    expect(() => store.insert(bill('b', '11111111'))).toThrow(/already has a bill/);
    expect(() => store.insert(bill('a', '22222222'))).toThrow(/already stored/);
    disk.failNextWrite = true;
    expect(() => store.insert(bill('c', '33333333'))).toThrow(/ENOSPC/);
    expect(store.get('c')).toBeUndefined();
    disk.failNextWrite = true;
    expect(() => store.update('a', { status: 'PAID' })).toThrow(/ENOSPC/);
    expect(store.get('a')?.status).toBe('UNPAID');
    store.insert(bill('d', '44444444'));
    store.close();
    expect(journalLines().map((line) => JSON.parse(line).id)).toEqual(['a', 'd']);
    expect(open().list(10).map((item) => [item.id, item.status])).toEqual([
      ['d', 'UNPAID'],
      ['a', 'UNPAID'],
    ]);
  });

  it('refuses writes once closed, and still answers reads', () => {
    const store = open();
    store.insert(bill('a', '11111111'));
    store.close();
    store.close();
    expect(() => store.insert(bill('b', '22222222'))).toThrow(/is closed/);
    expect(() => store.update('a', { status: 'PAID' })).toThrow(/is closed/);
    expect(store.get('a')?.status).toBe('UNPAID');
  });
});

describe('a gateway with a data directory', () => {
  it('keeps its bills in the journal, without any secret, and reopens them', async () => {
    const gateway = testGateway({ dataDir: dir });
    const body = signedBill({ channel: 'WX_JSAPI', openid: 'openid-1', optional: { shop: 'demo' } });
    const created = (await (await gateway.handle(billRequest(body))).json()) as { id: string };
    await gateway.handle(new Request(`http://gateway.test/sandbox/cashier/${created.id}/pay`, { method: 'POST' }));
    await gateway.close();
    const text = journal();
    expect(text).toContain(created.id);
    for (const secret of [FULL_APP.appSecret, FULL_APP.masterSecret, String(body.sign)]) expect(text).not.toContain(secret);

    const reopened = testGateway({ dataDir: dir });
    const status = (await (await reopened.handle(new Request(`http://gateway.test/1/pay/jsbutton/bill/${created.id}`))).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ result_code: 0, pay_result: true, status: 'PAID' });
    await reopened.close();
  });

  it('refuses a store and a data directory together', () => {
    expect(() => testGateway({ dataDir: dir, store: open() })).toThrow(/a store or a dataDir, not both/);
  });
});
