import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Bill } from '../bills/bill';
import type { Refund } from '../bills/refund';
import { createDatabase } from '../testing/postgres-cluster';
import { openJournalStore } from './journal/journal-store';
import { createMemoryStore } from './memory/memory-store';
import { openPostgresStore } from './postgres/postgres-store';
import type { Reopen, Store } from './store';

/** A kind of store under test: how to open one, and how to open it again on the same data (durable ones). */
interface StoreKind {
  name: string;
  open(): Promise<Store>;
  reopen?: () => Promise<Store>;
  cleanup(): Promise<void>;
}

const postgresUrl = inject('postgresUrl');

function memoryKind(): StoreKind {
  return { name: 'memory', open: async () => createMemoryStore(), cleanup: async () => undefined };
}

function journalKind(): StoreKind {
  const dir = mkdtempSync(join(tmpdir(), 'spay-contract-'));
  return {
    name: 'journal',
    open: async () => openJournalStore(join(dir, 'data')),
    reopen: async () => openJournalStore(join(dir, 'data')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresKind(): StoreKind {
  let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
  const open = async () => {
    database ??= await createDatabase(postgresUrl);
    return openPostgresStore(database.url, { poolSize: 20 });
  };
  return { name: 'postgres', open, reopen: open, cleanup: async () => database?.drop() };
}

const KINDS: Array<[string, () => StoreKind]> = [
  ['memory', memoryKind],
  ['journal', journalKind],
  ...(postgresUrl === '' ? [] : ([['postgres', postgresKind]] as Array<[string, () => StoreKind]>)),
];

let sequence = 0;
const bill = (extra: Partial<Bill> = {}): Bill => {
  sequence += 1;
  return {
    id: `bill-${sequence}-${Math.random().toString(36).slice(2)}`,
    app_id: 'app',
    out_trade_no: `ORDER${String(sequence).padStart(8, '0')}`,
    title: '测试',
    amount: '100',
    fee: 100,
    channel: 'ALI_WEB',
    use_app: true,
    status: 'UNPAID',
    created_at: new Date(Date.UTC(2026, 0, 1) + sequence * 1000).toISOString(),
    ...extra,
  };
};
const refund = (of: Bill, fee: number, extra: Partial<Refund> = {}): Refund => {
  sequence += 1;
  return {
    id: `refund-${sequence}-${Math.random().toString(36).slice(2)}`,
    app_id: of.app_id,
    mode: of.mode ?? 'live',
    refund_no: `20260101R${String(sequence).padStart(6, '0')}`,
    bill_id: of.id,
    out_trade_no: of.out_trade_no,
    refund_fee: fee,
    status: 'PENDING',
    created_at: new Date(Date.UTC(2026, 0, 2) + sequence * 1000).toISOString(),
    ...extra,
  };
};
const sameOrder = (patch: Partial<Bill> = {}) => (): Reopen => ({ patch: { status: 'UNPAID', ...patch } });
const webhookFor = (of: Bill) => ({ id: `delivery-${of.id}`, app_id: of.app_id, subject: 'bill' as const, subject_id: of.id });
const paid = async (store: Store, of: Bill): Promise<Bill> => {
  await store.openBill(of, sameOrder());
  const result = await store.transitionBill(of.id, ['UNPAID'], { status: 'PAID', paid_at: new Date().toISOString() });
  return result.record as Bill;
};

describe.each(KINDS)('the %s store', (_name, makeKind) => {
  let kind: StoreKind;
  let store: Store;
  const opened: Store[] = [];
  beforeEach(async () => {
    kind = makeKind();
    store = await kind.open();
    opened.push(store);
  });
  afterEach(async () => {
    for (const item of opened.splice(0)) await item.close();
    await kind.cleanup();
  });

  it('creates one bill per order, reopens it on request, and refuses as the caller decides', async () => {
    const first = bill({ return_url: 'https://shop.test/done' });
    expect(await store.openBill(first, sameOrder())).toEqual({ outcome: 'created', bill: first });
    const again = { ...bill(), out_trade_no: first.out_trade_no };
    const reopened = await store.openBill(again, sameOrder({ channel: 'WX_NATIVE', return_url: undefined }));
    expect(reopened.outcome).toBe('reopened');
    expect(reopened.bill).toMatchObject({ id: first.id, channel: 'WX_NATIVE' });
    expect(reopened.bill).not.toHaveProperty('return_url');
    expect(await store.openBill(again, () => ({ refuse: 'other amount' }))).toMatchObject({ outcome: 'refused', reason: 'other amount', bill: { id: first.id } });
    expect(await store.getBill(again.id)).toBeUndefined();
    expect((await store.findBill('app', 'live', first.out_trade_no))?.id).toBe(first.id);
    expect(await store.findBill('other-app', 'live', first.out_trade_no)).toBeUndefined();
  });

  it('makes one bill when 50 requests for one order arrive at once', async () => {
    const order = bill();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.openBill({ ...order, id: bill().id }, sameOrder())));
    expect(results.filter((result) => result.outcome === 'created')).toHaveLength(1);
    expect(new Set(results.map((result) => result.bill.id)).size).toBe(1);
    expect(await store.countBills({ appId: 'app', outTradeNo: order.out_trade_no })).toBe(1);
  });

  it('keeps live and test bills apart, also under one order number', async () => {
    const live = bill();
    const test = { ...bill(), out_trade_no: live.out_trade_no, mode: 'test' as const };
    await store.openBill(live, sameOrder());
    expect((await store.openBill(test, sameOrder())).outcome).toBe('created');
    expect((await store.findBill('app', 'test', live.out_trade_no))?.id).toBe(test.id);
    expect((await store.listBills({ appId: 'app', mode: 'live' })).map((item) => item.id)).toEqual([live.id]);
    expect((await store.listBills({ appId: 'app', mode: 'test' })).map((item) => item.id)).toEqual([test.id]);
  });

  it('pays a bill once: a second payment changes nothing and queues no second webhook', async () => {
    const order = bill();
    await store.openBill(order, sameOrder());
    const tries = await Promise.all(
      Array.from({ length: 10 }, () => store.transitionBill(order.id, ['UNPAID', 'CANCELLED'], { status: 'PAID', paid_at: new Date().toISOString() }, webhookFor(order))),
    );
    expect(tries.filter((result) => result.changed)).toHaveLength(1);
    expect(tries.every((result) => result.record?.status === 'PAID')).toBe(true);
    expect(await store.listDeliveries({ state: 'pending' })).toHaveLength(1);
    expect(await store.transitionBill('missing', ['UNPAID'], { status: 'PAID' })).toEqual({ changed: false, record: undefined });
  });

  it('finds a bill by the prepay id it was handed, and updates fields that carry no state', async () => {
    const order = bill({ channel: 'WX_JSAPI', openid: 'o1' });
    await store.openBill(order, sameOrder());
    await store.updateBill(order.id, { jsapi: { prepay_id: 'wx123', nonce_str: 'n', timestamp: '1', pay_sign: 'S' } });
    expect((await store.findBillByPrepayId('wx123'))?.id).toBe(order.id);
    expect(await store.updateBill('missing', { title: 'x' })).toBeUndefined();
  });

  it('modifies a bill from its own last value atomically, so that concurrent appends all land', async () => {
    const order = bill();
    await store.openBill(order, sameOrder());
    const appended = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        store.modifyBill(order.id, (current) => ({ title: `${current.title}|${index}` })),
      ),
    );
    expect(appended.every((result) => result.changed)).toBe(true);
    expect((await store.getBill(order.id))?.title.split('|')).toHaveLength(21);
    expect(await store.modifyBill(order.id, () => undefined)).toMatchObject({ changed: false, record: { id: order.id } });
    expect(await store.modifyBill('missing', () => ({ title: 'x' }))).toEqual({ changed: false, record: undefined });
  });

  it('lists and counts bills newest first by every filter, ANDed', async () => {
    const a = bill({ channel: 'ALI_WEB' });
    const b = bill({ channel: 'WX_NATIVE' });
    const c = bill({ channel: 'ALI_WAP' });
    const other = bill({ app_id: 'other' });
    for (const item of [a, b, c, other]) await store.openBill(item, sameOrder());
    await store.transitionBill(b.id, ['UNPAID'], { status: 'PAID' });
    await store.transitionBill(c.id, ['UNPAID'], { status: 'PAID' });
    await store.createRefund(refund({ ...c, status: 'PAID' }, 10));
    const ids = async (query: Parameters<Store['listBills']>[0]) => (await store.listBills(query)).map((item) => item.id);
    expect(await ids({ appId: 'app' })).toEqual([c.id, b.id, a.id]);
    expect(await ids({ appId: 'app', channels: ['ALI_WEB', 'ALI_WAP'] })).toEqual([c.id, a.id]);
    expect(await ids({ appId: 'app', status: 'PAID' })).toEqual([c.id, b.id]);
    expect(await ids({ appId: 'app', status: 'PAID', refunded: false })).toEqual([b.id]);
    expect(await ids({ appId: 'app', refunded: true })).toEqual([c.id]);
    expect(await ids({ appId: 'app', outTradeNo: a.out_trade_no })).toEqual([a.id]);
    expect(await ids({ appId: 'app', startTime: new Date(b.created_at), endTime: new Date(c.created_at) })).toEqual([c.id, b.id]);
    expect(await ids({ appId: 'app', skip: 1, limit: 1 })).toEqual([b.id]);
    expect(await store.countBills({ appId: 'app', status: 'PAID' })).toBe(2);
    expect(await store.countBills({})).toBe(4);
  });

  it('accepts refunds within the fee and refuses the rest, naming why', async () => {
    const order = await paid(store, bill({ fee: 100 }));
    const unpaid = bill();
    await store.openBill(unpaid, sameOrder());
    const first = refund(order, 60);
    expect(await store.createRefund(first)).toEqual({ outcome: 'created', refund: first });
    expect(await store.createRefund({ ...first, id: 'another-id' })).toEqual({ outcome: 'existing', refund: first });
    expect(await store.createRefund({ ...first, id: 'another-id', refund_fee: 10 })).toEqual({ outcome: 'refund_no_taken' });
    expect(await store.createRefund(refund(order, 41))).toEqual({ outcome: 'too_large', available: 40 });
    expect((await store.createRefund(refund(unpaid, 1))).outcome).toBe('not_paid');
    expect((await store.createRefund(refund({ ...order, id: 'no-such-bill' }, 1))).outcome).toBe('no_bill');
    // A failed refund gives its part of the fee back.
    await store.transitionRefund(first.id, ['PENDING'], { status: 'FAILED' });
    expect((await store.createRefund(refund(order, 100))).outcome).toBe('created');
  });

  it('never lets 20 concurrent partial refunds of one bill exceed its fee', async () => {
    const order = await paid(store, bill({ fee: 1000 }));
    const results = await Promise.all(Array.from({ length: 20 }, () => store.createRefund(refund(order, 150))));
    expect(results.filter((result) => result.outcome === 'created')).toHaveLength(6);
    expect(results.filter((result) => result.outcome === 'too_large')).toHaveLength(14);
    const held = (await store.listRefunds({ outTradeNo: order.out_trade_no })).reduce((sum, item) => sum + item.refund_fee, 0);
    expect(held).toBe(900);
  });

  it('makes one refund when one refund_no arrives 10 times at once', async () => {
    const order = await paid(store, bill({ fee: 1000 }));
    const once = refund(order, 100);
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => store.createRefund({ ...once, id: `${once.id}-${index}` })));
    expect(results.filter((result) => result.outcome === 'created')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'existing')).toHaveLength(9);
    expect(await store.countRefunds({ appId: 'app' })).toBe(1);
  });

  it('settles a refund once, adds it to the bill and queues its webhook in the same step', async () => {
    const order = await paid(store, bill({ fee: 500 }));
    const item = refund(order, 200);
    await store.createRefund(item);
    const webhook = { id: `delivery-${item.id}`, app_id: 'app', subject: 'refund' as const, subject_id: item.id };
    const done = await Promise.all(
      Array.from({ length: 5 }, () => store.transitionRefund(item.id, ['PENDING'], { status: 'SUCCESS', finished_at: new Date().toISOString() }, webhook)),
    );
    expect(done.filter((result) => result.changed)).toHaveLength(1);
    expect((await store.getBill(order.id))?.refunded_fee).toBe(200);
    expect(await store.getDelivery('refund', item.id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await store.findRefund('app', 'live', item.refund_no))?.status).toBe('SUCCESS');
    expect((await store.listRefunds({ appId: 'app', status: 'SUCCESS', channels: ['ALI_WEB'] })).map((r) => r.id)).toEqual([item.id]);
    expect(await store.listRefunds({ appId: 'app', channels: ['WX_NATIVE'] })).toEqual([]);
  });

  it('leases a due delivery to one gateway until it records the attempt or the lease ends', async () => {
    const order = bill();
    await store.openBill(order, sameOrder());
    const start = new Date();
    await store.transitionBill(order.id, ['UNPAID'], { status: 'PAID' }, webhookFor(order));
    await store.enqueueDelivery(webhookFor(order), start);
    const [claimed, ...more] = await store.claimDeliveries('gateway-a', new Date(start.getTime() + 1000), 30_000, 10);
    expect(more).toEqual([]);
    expect(claimed).toMatchObject({ subject: 'bill', subject_id: order.id, lease_owner: 'gateway-a' });
    expect(await store.claimDeliveries('gateway-b', new Date(start.getTime() + 2000), 30_000, 10)).toEqual([]);
    expect((await store.nextDeliveryDue())?.getTime()).toBe(start.getTime() + 31_000);
    // A gateway that died: its lease runs out and another claims the delivery.
    const taken = await store.claimDeliveries('gateway-b', new Date(start.getTime() + 31_001), 30_000, 10);
    expect(taken.map((item) => item.lease_owner)).toEqual(['gateway-b']);
    expect(await store.recordDelivery(claimed?.id as string, 'gateway-a', { state: 'delivered', attempts: 1 }, new Date())).toBe(false);
    const next = new Date(start.getTime() + 60_000).toISOString();
    expect(await store.recordDelivery(claimed?.id as string, 'gateway-b', { state: 'pending', attempts: 1, next_attempt_at: next, last_result: 'HTTP 500' }, new Date())).toBe(true);
    expect(await store.getDelivery('bill', order.id)).toMatchObject({ state: 'pending', attempts: 1, next_attempt_at: next, last_result: 'HTTP 500' });
    expect((await store.getDelivery('bill', order.id))?.lease_owner).toBeUndefined();
    expect((await store.nextDeliveryDue())?.toISOString()).toBe(next);
    expect(await store.claimDeliveries('gateway-a', new Date(start.getTime() + 59_000), 30_000, 10)).toEqual([]);
    // Recording freed the lease: the next attempt is claimed afresh, by whichever gateway comes first.
    expect(await store.recordDelivery(claimed?.id as string, 'gateway-b', { state: 'delivered', attempts: 2 }, new Date())).toBe(false);
    expect((await store.claimDeliveries('gateway-a', new Date(start.getTime() + 60_000), 30_000, 10)).length).toBe(1);
    expect(await store.recordDelivery(claimed?.id as string, 'gateway-a', { state: 'delivered', attempts: 2 }, new Date())).toBe(true);
    expect(await store.claimDeliveries('gateway-b', new Date(start.getTime() + 120_000), 30_000, 10)).toEqual([]);
    expect(await store.nextDeliveryDue()).toBeUndefined();
    expect(await store.listDeliveries({ state: 'delivered', appId: 'app' })).toHaveLength(1);
  });

  it('hands each due delivery to exactly one of several gateways claiming at once', async () => {
    const orders = Array.from({ length: 30 }, () => bill());
    for (const order of orders) {
      await store.openBill(order, sameOrder());
      await store.transitionBill(order.id, ['UNPAID'], { status: 'PAID' }, webhookFor(order));
    }
    const now = new Date(Date.now() + 1000);
    const claims = await Promise.all(['a', 'b', 'c'].map((owner) => store.claimDeliveries(owner, now, 30_000, 12)));
    const ids = claims.flat().map((item) => item.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('logs each recorded attempt of a webhook with its answer, keeping the latest 20', async () => {
    const order = bill();
    await store.openBill(order, sameOrder());
    await store.transitionBill(order.id, ['UNPAID'], { status: 'PAID' }, webhookFor(order));
    const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
    for (let attempt = 1; attempt <= 22; attempt++) {
      const [claimed] = await store.claimDeliveries('gateway-a', new Date(Date.now() + attempt * 1000), 30_000, 1);
      expect(claimed).toBeDefined();
      await store.recordDelivery(claimed?.id as string, 'gateway-a', { state: 'pending', attempts: attempt, next_attempt_at: new Date(Date.now()).toISOString(), last_result: `HTTP ${500 + attempt}` }, at(attempt));
    }
    const log = (await store.getDelivery('bill', order.id))?.attempts_log ?? [];
    expect(log).toHaveLength(20);
    expect(log[0]).toEqual({ at: at(3).toISOString(), result: 'HTTP 503' });
    expect(log[19]).toEqual({ at: at(22).toISOString(), result: 'HTTP 522' });
  });

  it('resends a failed or pending webhook now, and says undefined for none', async () => {
    const order = bill();
    await store.openBill(order, sameOrder());
    await store.transitionBill(order.id, ['UNPAID'], { status: 'PAID' }, webhookFor(order));
    const [claimed] = await store.claimDeliveries('gateway-a', new Date(Date.now() + 1000), 30_000, 1);
    await store.recordDelivery(claimed?.id as string, 'gateway-a', { state: 'failed', attempts: 18, last_result: 'HTTP 500' }, new Date());
    expect(await store.claimDeliveries('gateway-a', new Date(Date.now() + 2000), 30_000, 1)).toEqual([]);
    const now = new Date(Date.now() + 3000);
    expect(await store.resendDelivery('bill', order.id, now)).toMatchObject({ state: 'pending', attempts: 18, next_attempt_at: now.toISOString() });
    expect((await store.claimDeliveries('gateway-b', now, 30_000, 5)).map((item) => item.subject_id)).toEqual([order.id]);
    expect(await store.resendDelivery('bill', 'missing', now)).toBeUndefined();
  });

  it('keeps one settings record per app, replaced whole', async () => {
    expect(await store.getAppSettings('app')).toBeUndefined();
    await store.putAppSettings({ app_id: 'app', channels: ['wxmp', 'ali'], webhook_url: 'https://shop.test/hook', updated_at: '2026-01-01T00:00:00.000Z' });
    await store.putAppSettings({ app_id: 'other', channels: ['un'], updated_at: '2026-01-01T00:00:00.000Z' });
    await store.putAppSettings({ app_id: 'app', channels: ['ali'], updated_at: '2026-01-02T00:00:00.000Z' });
    expect(await store.getAppSettings('app')).toEqual({ app_id: 'app', channels: ['ali'], updated_at: '2026-01-02T00:00:00.000Z' });
    expect((await store.listAppSettings()).map((item) => item.app_id).sort()).toEqual(['app', 'other']);
  });

  it('keeps bills, refunds and the webhook queue across a reopen, if durable', async () => {
    if (kind.reopen === undefined) return;
    const order = await paid(store, bill({ fee: 300, optional: { shop: 'x', n: 2 } }));
    const item = refund(order, 100);
    await store.createRefund(item);
    await store.enqueueDelivery(webhookFor(order), new Date());
    const [claimed] = await store.claimDeliveries('gateway-a', new Date(Date.now() + 1000), 30_000, 1);
    await store.recordDelivery(claimed?.id as string, 'gateway-a', { state: 'pending', attempts: 1, last_result: 'HTTP 502' }, new Date(Date.UTC(2026, 0, 3)));
    const settings = { app_id: 'app', channels: ['un' as const], webhook_url: 'https://shop.test/h', updated_at: '2026-01-01T00:00:00.000Z' };
    await store.putAppSettings(settings);
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    const again = await kind.reopen();
    opened.push(again);
    expect(await again.getBill(order.id)).toEqual(order);
    expect(await again.getRefund(item.id)).toEqual(item);
    expect(await again.getDelivery('bill', order.id)).toMatchObject({ state: 'pending', attempts_log: [{ at: '2026-01-03T00:00:00.000Z', result: 'HTTP 502' }] });
    expect(await again.getAppSettings('app')).toEqual(settings);
    expect(await again.createRefund(refund(order, 201))).toEqual({ outcome: 'too_large', available: 200 });
  });
});
