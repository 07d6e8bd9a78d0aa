import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { billRequest, FULL_APP, signedBill, testGateway } from '../../testing/fixtures';
import type { Bill } from '../../bills/bill';
import type { Reopen } from '../store';
import { LOCK_FILE } from './directory-lock';
import { type JournalStore, JOURNAL_FILE, openJournalStore } from './journal-store';

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
const opened: JournalStore[] = [];
const open = (options: Parameters<typeof openJournalStore>[1] = {}): JournalStore => {
  const store = openJournalStore(dir, options);
  opened.push(store);
  return store;
};
const journal = (): string => readFileSync(join(dir, JOURNAL_FILE), 'utf8');
const journalLines = (): string[] => journal().split('\n').filter((line) => line !== '');
const reopen = (): Reopen => ({ patch: {} });
const insert = (store: JournalStore, record: Bill) => store.openBill(record, reopen);
const pay = (store: JournalStore, id: string) => store.transitionBill(id, ['UNPAID'], { status: 'PAID' });
const line = (record: Bill): string => JSON.stringify({ bill: record });

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'spay-store-')), 'data');
  disk.flushes = 0;
  disk.failNextWrite = false;
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('openJournalStore', () => {
  it('starts empty in a new directory and creates it 0700 with a 0600 journal and its lock', async () => {
    const store = open();
    expect(await store.listBills({})).toEqual([]);
    expect(store.path).toBe(join(dir, JOURNAL_FILE));
    expect(readdirSync(dir).sort()).toEqual([JOURNAL_FILE, LOCK_FILE]);
    if (process.platform === 'win32') return;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('tightens a journal written with wider permissions when it rewrites it', async () => {
    await open().close();
    chmodSync(join(dir, JOURNAL_FILE), 0o644);
    open();
    if (process.platform !== 'win32') expect(statSync(join(dir, JOURNAL_FILE)).mode & 0o777).toBe(0o600);
  });

  it('refuses a second store on a directory in use, and takes over a lock left by a process that died', async () => {
    const first = open();
    expect(() => open()).toThrow(/is in use by gateway process \d+ .*one gateway per data directory/);
    await first.close();
    // A SIGKILLed gateway leaves its lock behind, naming a process that no longer runs.
    writeFileSync(join(dir, LOCK_FILE), '999999999\n');
    const second = open();
    await insert(second, bill('a', '11111111'));
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
  });

  it.each([
    ['a line cut mid-way', '{"bill":{"id":"c","app_id":"app","out_trade'],
    ['a line of zero bytes', '\0\0\0\0\0\0'],
    ['a cut line followed by its newline', '{"bill":{"id":"c","app_id":\n'],
  ])('ignores a torn last line (%s) and reports it', async (_name, torn) => {
    const first = open();
    await insert(first, bill('a', '11111111'));
    await pay(first, 'a');
    await first.close();
    appendFileSync(join(dir, JOURNAL_FILE), torn);
    const lines: string[] = [];
    const second = open({ log: (text) => lines.push(text) });
    expect((await second.getBill('a'))?.status).toBe('PAID');
    expect(lines).toEqual([expect.stringMatching(/bills\.jsonl line 3: ignored a torn last line/)]);
    // The rewrite drops the torn text, so the next line starts on a line of its own.
    await insert(second, bill('b', '22222222'));
    await second.close();
    expect(journalLines().map((text) => JSON.parse(text).bill.id)).toEqual(['a', 'b']);
  });

  it.each([
    ['not JSON', '{"id":"x",,}', /line 2 is not a bill \(.*JSON/],
    ['an array', '[1,2]', /line 2 is not a bill \(expected a JSON object\)/],
    ['an object without an id', '{"app_id":"app"}', /line 2 is not a bill \(expected id to be a non-empty string, got nothing\)/],
    ['an unknown status', line(bill('x', '33333333', { status: 'LOST' as 'PAID' })), /line 2 is not a bill \(expected status to be one of/],
    ['a refund with a fractional fee', JSON.stringify({ refund: { id: 'r', app_id: 'app', refund_no: '20260101001', bill_id: 'a', out_trade_no: '1', created_at: 'x', status: 'PENDING', refund_fee: 1.5 } }), /line 2 is not a bill \(expected refund_fee to be a whole number of fen/],
  ])('refuses to open, naming the line, when a middle line is %s', (_name, corrupt, reason) => {
    const text = `${line(bill('a', '11111111'))}\n${corrupt}\n${line(bill('b', '22222222'))}\n`;
    const file = join(dir, JOURNAL_FILE);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
    expect(() => open()).toThrow(reason);
    expect(() => open()).toThrow(`${file} line 2 is not a bill`);
    // Nothing is dropped: the journal is left exactly as it was, for a person to repair, and the lock is released.
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual([JOURNAL_FILE]);
  });

  it('refuses a journal in which two bills claim one order, naming the line', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, JOURNAL_FILE), `${line(bill('a', '11111111'))}\n${line(bill('b', '11111111'))}\n`);
    expect(() => open()).toThrow(/bills\.jsonl line 2: out_trade_no 11111111 already has a bill/);
  });

  it("reads an earlier release's journal, a bare bill a line with its webhook's state on it", async () => {
    mkdirSync(dir, { recursive: true });
    const old = { ...bill('a', '11111111', { status: 'PAID' }), webhook: { state: 'pending', attempts: 2, next_attempt_at: new Date(5000).toISOString(), last_result: 'HTTP 500' } };
    writeFileSync(join(dir, JOURNAL_FILE), `${JSON.stringify(old)}\n${JSON.stringify(bill('b', '22222222'))}\n`);
    const store = open();
    expect(await store.getBill('a')).toEqual(bill('a', '11111111', { status: 'PAID' }));
    expect(await store.getDelivery('bill', 'a')).toMatchObject({ state: 'pending', attempts: 2, next_attempt_at: new Date(5000).toISOString(), last_result: 'HTTP 500' });
    expect(await store.getDelivery('bill', 'b')).toBeUndefined();
    expect(journalLines().map((text) => Object.keys(JSON.parse(text))[0])).toEqual(['bill', 'bill', 'delivery']);
  });

  it('rewrites the journal with exactly one line per record, in creation order, holding its last state', async () => {
    const first = open();
    for (const id of ['a', 'b', 'c']) await insert(first, bill(id, `${id}0000000`));
    await first.transitionBill('b', ['UNPAID'], { status: 'PAID' }, { id: 'd', app_id: 'app', subject: 'bill', subject_id: 'b' });
    for (let attempt = 1; attempt <= 5; attempt++) {
      const [claimed] = await first.claimDeliveries('me', new Date(Date.now() + 60_000 * attempt), 1000, 1);
      await first.recordDelivery(claimed?.id as string, 'me', { state: 'pending', attempts: attempt, next_attempt_at: new Date().toISOString() }, new Date());
    }
    await first.transitionBill('a', ['UNPAID'], { status: 'CANCELLED' });
    await first.close();
    expect(journalLines()).toHaveLength(11);

    await open().close();
    const records = journalLines().map((text) => JSON.parse(text) as { bill?: Bill; delivery?: { attempts: number } });
    expect(records.map((record) => record.bill?.id ?? 'delivery')).toEqual(['a', 'b', 'c', 'delivery']);
    expect(records[0]?.bill?.status).toBe('CANCELLED');
    expect(records[3]?.delivery?.attempts).toBe(5);
    expect(journal()).not.toContain('lease');
    await open().close();
    expect(journalLines()).toHaveLength(4);
  });

  it('flushes new bills, state changes and delivery outcomes, but not retry bookkeeping or leases', async () => {
    const store = open();
    const flushed = async (change: () => Promise<unknown>): Promise<number> => {
      const before = disk.flushes;
      await change();
      return disk.flushes - before;
    };
    expect(await flushed(() => insert(store, bill('a', '11111111')))).toBe(1);
    expect(await flushed(() => store.transitionBill('a', ['UNPAID'], { status: 'PAID' }, { id: 'd', app_id: 'app', subject: 'bill', subject_id: 'a' }))).toBe(1);
    const later = new Date(Date.now() + 1000);
    expect(await flushed(() => store.claimDeliveries('me', later, 1000, 1))).toBe(0);
    expect(await flushed(() => store.recordDelivery('d', 'me', { state: 'pending', attempts: 1, next_attempt_at: later.toISOString() }, later))).toBe(0);
    await store.claimDeliveries('me', later, 1000, 1);
    expect(await flushed(() => store.recordDelivery('d', 'me', { state: 'delivered', attempts: 2 }, later))).toBe(1);
    expect(await flushed(() => store.transitionBill('missing', ['UNPAID'], { status: 'PAID' }))).toBe(0);
  });

  it('writes nothing for a refused step, and cuts a half-written line back after a failed write', async () => {
    const store = open();
    await insert(store, bill('a', '11111111'));
    expect((await store.openBill(bill('b', '11111111'), () => ({ refuse: 'no' }))).outcome).toBe('refused');
    disk.failNextWrite = true;
    await expect(insert(store, bill('c', '33333333'))).rejects.toThrow(/ENOSPC/);
    expect(await store.getBill('c')).toBeUndefined();
    disk.failNextWrite = true;
    await expect(pay(store, 'a')).rejects.toThrow(/ENOSPC/);
    expect((await store.getBill('a'))?.status).toBe('UNPAID');
    await insert(store, bill('d', '44444444'));
    await store.close();
    expect(journalLines().map((text) => JSON.parse(text).bill.id)).toEqual(['a', 'd']);
    expect((await open().listBills({})).map((item) => [item.id, item.status])).toEqual([
      ['d', 'UNPAID'],
      ['a', 'UNPAID'],
    ]);
  });

  it('refuses writes once closed, and still answers reads', async () => {
    const store = open();
    await insert(store, bill('a', '11111111'));
    await store.close();
    await store.close();
    await expect(insert(store, bill('b', '22222222'))).rejects.toThrow(/is closed/);
    await expect(pay(store, 'a')).rejects.toThrow(/is closed/);
    expect((await store.getBill('a'))?.status).toBe('UNPAID');
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
