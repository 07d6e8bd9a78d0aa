import type { Bill, BillMode } from '../../bills/bill';
import { billMode } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import { type WebhookDelivery, appendAttempt } from '../../webhooks/delivery';
import { billMatches, page, refundMatches } from '../query';
import type { AppSettings, Store } from '../store';
import {
  type StoreTx,
  createRefundIn,
  merged,
  newDelivery,
  openBillIn,
  transitionBillIn,
  transitionRefundIn,
  modifyBillIn,
  updateBillIn,
} from '../store-tx';

/** What one step wrote, in order, for a journal to keep before the step takes effect. */
export interface StepWrites {
  bills: Bill[];
  refunds: Refund[];
  deliveries: WebhookDelivery[];
  /** The console's app settings written by this step, if any. */
  settings?: AppSettings[];
  /** False when the step only kept a retry's bookkeeping, which need not reach the disk before the answer. */
  flush: boolean;
}

/** How a durable store built on this one keeps each step: `commit` runs before the step takes effect, and may throw to undo it. */
export interface MemoryStoreOptions {
  description?: string;
  durable?: boolean;
  commit?: (writes: StepWrites) => void;
  close?: () => void;
}

/** The records a journal replays into a new memory store. */
export interface StoreRecords {
  bills: Bill[];
  refunds: Refund[];
  deliveries: WebhookDelivery[];
  settings?: AppSettings[];
}

/** A Store in memory, with load() for a journal's replay. */
export interface MemoryStore extends Store {
  /** Adds replayed records as they are; throws when two claim one order, one refund_no or one webhook. */
  load(records: StoreRecords): void;
}

const orderKey = (appId: string, mode: BillMode, no: string): string => `${appId}\n${mode}\n${no}`;

/**
 * A Store in memory: bills are lost when the process ends unless `options.commit` keeps them. Steps run one at a
 * time, so each rule of the contract holds as it does in a database transaction.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const bills = new Map<string, Bill>();
  const byOrder = new Map<string, string>();
  const byPrepayId = new Map<string, string>();
  const refunds = new Map<string, Refund>();
  const refundByNo = new Map<string, string>();
  const refundsOfBill = new Map<string, string[]>();
  const deliveries = new Map<string, WebhookDelivery>();
  const deliveryBySubject = new Map<string, string>();
  const settings = new Map<string, AppSettings>();
  const commit = options.commit ?? (() => undefined);
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  // One step at a time: the next waits for the last, whether it succeeded or threw.
  const serial = <T>(work: () => Promise<T> | T): Promise<T> => {
    const run = queue.then(() => {
      if (closed && options.commit !== undefined) throw new Error(`the store ${options.description ?? 'in memory'} is closed`);
      return work();
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const applyBill = (bill: Bill): void => {
    bills.set(bill.id, bill);
    byOrder.set(orderKey(bill.app_id, billMode(bill), bill.out_trade_no), bill.id);
    if (bill.jsapi !== undefined) byPrepayId.set(bill.jsapi.prepay_id, bill.id);
  };
  const applyRefund = (refund: Refund): void => {
    if (!refunds.has(refund.id)) refundsOfBill.set(refund.bill_id, [...(refundsOfBill.get(refund.bill_id) ?? []), refund.id]);
    refunds.set(refund.id, refund);
    refundByNo.set(orderKey(refund.app_id, refund.mode, refund.refund_no), refund.id);
  };
  const applyDelivery = (delivery: WebhookDelivery): void => {
    deliveries.set(delivery.id, delivery);
    deliveryBySubject.set(`${delivery.subject}\n${delivery.subject_id}`, delivery.id);
  };

  /** Runs `work` over a transaction whose writes stay aside until it returns, then go to `commit`, then take effect. */
  const step = <T>(work: (tx: StoreTx) => Promise<T>): Promise<T> =>
    serial(async () => {
      const writes: StepWrites = { bills: [], refunds: [], deliveries: [], flush: true };
      const billsAside = new Map<string, Bill>();
      const refundsAside = new Map<string, Refund>();
      const bill = (id: string) => billsAside.get(id) ?? bills.get(id);
      const refund = (id: string) => refundsAside.get(id) ?? refunds.get(id);
      const putBill = async (next: Bill) => {
        billsAside.set(next.id, next);
        writes.bills.push(next);
      };
      const putRefund = async (next: Refund) => {
        refundsAside.set(next.id, next);
        writes.refunds.push(next);
      };
      const tx: StoreTx = {
        bill: async (id) => bill(id),
        billByOrder: async (appId, mode, no) => {
          const key = orderKey(appId, mode, no);
          const aside = [...billsAside.values()].find((item) => orderKey(item.app_id, billMode(item), item.out_trade_no) === key);
          const id = byOrder.get(key);
          return aside ?? (id === undefined ? undefined : bill(id));
        },
        async insertBill(next) {
          if (bill(next.id) !== undefined) throw new Error(`bill id ${next.id} is already stored`);
          await putBill(next);
        },
        putBill,
        refund: async (id) => refund(id),
        refundByNo: async (appId, mode, no) => {
          const key = orderKey(appId, mode, no);
          const aside = [...refundsAside.values()].find((item) => orderKey(item.app_id, item.mode, item.refund_no) === key);
          const id = refundByNo.get(key);
          return aside ?? (id === undefined ? undefined : refund(id));
        },
        refundsOfBill: async (billId) => {
          const stored = (refundsOfBill.get(billId) ?? []).map((id) => refund(id) as Refund);
          const added = [...refundsAside.values()].filter((item) => item.bill_id === billId && !refunds.has(item.id));
          return [...stored, ...added];
        },
        async insertRefund(next) {
          if (refund(next.id) !== undefined) throw new Error(`refund id ${next.id} is already stored`);
          await putRefund(next);
        },
        putRefund,
        async insertDelivery(next) {
          if (deliveryBySubject.has(`${next.subject}\n${next.subject_id}`)) return;
          writes.deliveries.push(next);
        },
      };
      const result = await work(tx);
      if (writes.bills.length + writes.refunds.length + writes.deliveries.length > 0) commit(writes);
      for (const next of writes.bills) applyBill(next);
      for (const next of writes.refunds) applyRefund(next);
      for (const next of writes.deliveries) applyDelivery(next);
      return result;
    });

  /** Writes one delivery through `commit`, then keeps it; a lease is kept in memory only (see claimDeliveries). */
  const writeDelivery = (delivery: WebhookDelivery, flush: boolean): void => {
    const { lease_owner: _owner, lease_until: _until, ...kept } = delivery;
    commit({ bills: [], refunds: [], deliveries: [kept], flush });
    applyDelivery(delivery);
  };

  const hasLiveRefund = (billId: string): boolean => (refundsOfBill.get(billId) ?? []).some((id) => refunds.get(id)?.status !== 'FAILED');
  const newestFirst = <T extends { created_at: string }>(items: Iterable<T>): T[] => [...items].reverse();

  return {
    description: options.description ?? 'memory',
    durable: options.durable ?? false,
    load(records) {
      for (const bill of records.bills) {
        const key = orderKey(bill.app_id, billMode(bill), bill.out_trade_no);
        if (bills.has(bill.id)) throw new Error(`bill id ${bill.id} is already stored`);
        if (byOrder.has(key)) throw new Error(`out_trade_no ${bill.out_trade_no} already has a bill`);
        applyBill(bill);
      }
      for (const refund of records.refunds) {
        if (refundByNo.has(orderKey(refund.app_id, refund.mode, refund.refund_no))) throw new Error(`refund_no ${refund.refund_no} already has a refund`);
        applyRefund(refund);
      }
      for (const delivery of records.deliveries) {
        if (deliveryBySubject.has(`${delivery.subject}\n${delivery.subject_id}`)) throw new Error(`${delivery.subject} ${delivery.subject_id} already has a webhook`);
        applyDelivery(delivery);
      }
      for (const item of records.settings ?? []) settings.set(item.app_id, item);
    },
    getBill: async (id) => bills.get(id),
    findBill: async (appId, mode, no) => {
      const id = byOrder.get(orderKey(appId, mode, no));
      return id === undefined ? undefined : bills.get(id);
    },
    findBillByPrepayId: async (prepayId) => {
      const id = byPrepayId.get(prepayId);
      return id === undefined ? undefined : bills.get(id);
    },
    openBill: (candidate, reopen) => step((tx) => openBillIn(tx, candidate, reopen)),
    transitionBill: (id, from, patch, webhook) => step((tx) => transitionBillIn(tx, id, from, patch, webhook, new Date())),
    updateBill: (id, patch) => step((tx) => updateBillIn(tx, id, patch)),
    modifyBill: (id, change) => step((tx) => modifyBillIn(tx, id, change)),
    listBills: async (query) => page(newestFirst(bills.values()).filter((bill) => billMatches(bill, query, hasLiveRefund(bill.id))), query),
    countBills: async (query) => [...bills.values()].filter((bill) => billMatches(bill, query, hasLiveRefund(bill.id))).length,
    createRefund: (candidate) => step((tx) => createRefundIn(tx, candidate)),
    getRefund: async (id) => refunds.get(id),
    findRefund: async (appId, mode, no) => {
      const id = refundByNo.get(orderKey(appId, mode, no));
      return id === undefined ? undefined : refunds.get(id);
    },
    transitionRefund: (id, from, patch, webhook) => step((tx) => transitionRefundIn(tx, id, from, patch, webhook, new Date())),
    listRefunds: async (query) =>
      page(newestFirst(refunds.values()).filter((refund) => refundMatches(refund, bills.get(refund.bill_id)?.channel, query)), query),
    countRefunds: async (query) => [...refunds.values()].filter((refund) => refundMatches(refund, bills.get(refund.bill_id)?.channel, query)).length,

    enqueueDelivery: (delivery, now) =>
      serial(() => {
        if (!deliveryBySubject.has(`${delivery.subject}\n${delivery.subject_id}`)) writeDelivery(newDelivery(delivery, now), true);
      }),
    claimDeliveries: (owner, now, leaseMs, limit) =>
      serial(() => {
        const at = now.getTime();
        const due = [...deliveries.values()]
          .filter((item) => item.state === 'pending' && Date.parse(item.next_attempt_at) <= at)
          .filter((item) => item.lease_owner === undefined || item.lease_owner === owner || Date.parse(item.lease_until ?? '') <= at)
          .sort((a, b) => Date.parse(a.next_attempt_at) - Date.parse(b.next_attempt_at))
          .slice(0, limit);
        // A lease needs no journal line: one process owns a journal, and a restarted one starts with no leases.
        return due.map((item) => {
          const claimed = { ...item, lease_owner: owner, lease_until: new Date(at + leaseMs).toISOString() };
          deliveries.set(item.id, claimed);
          return claimed;
        });
      }),
    recordDelivery: (id, owner, outcome, now) =>
      serial(() => {
        const current = deliveries.get(id);
        if (current === undefined || current.lease_owner !== owner) return false;
        const next: WebhookDelivery = merged(current, {
          ...outcome,
          ...(outcome.last_result === undefined ? {} : { attempts_log: appendAttempt(current.attempts_log, { at: now.toISOString(), result: outcome.last_result }) }),
          next_attempt_at: outcome.next_attempt_at ?? current.next_attempt_at,
          lease_owner: undefined,
          lease_until: undefined,
          updated_at: now.toISOString(),
        });
        writeDelivery(next, outcome.state !== current.state);
        return true;
      }),
    nextDeliveryDue: async () => {
      let earliest: number | undefined;
      for (const item of deliveries.values()) {
        if (item.state !== 'pending') continue;
        const due = Math.max(Date.parse(item.next_attempt_at), item.lease_until === undefined ? 0 : Date.parse(item.lease_until));
        if (earliest === undefined || due < earliest) earliest = due;
      }
      return earliest === undefined ? undefined : new Date(earliest);
    },
    getDelivery: async (subject, subjectId) => {
      const id = deliveryBySubject.get(`${subject}\n${subjectId}`);
      return id === undefined ? undefined : deliveries.get(id);
    },
    listDeliveries: async ({ appId, state, limit }) =>
      newestFirst(deliveries.values())
        .filter((item) => (appId === undefined || item.app_id === appId) && (state === undefined || item.state === state))
        .slice(0, limit ?? Number.MAX_SAFE_INTEGER),
    resendDelivery: (subject, subjectId, now) =>
      serial(() => {
        const id = deliveryBySubject.get(`${subject}\n${subjectId}`);
        const current = id === undefined ? undefined : deliveries.get(id);
        if (current === undefined) return undefined;
        const next: WebhookDelivery = { ...current, state: 'pending', next_attempt_at: now.toISOString(), updated_at: now.toISOString() };
        writeDelivery(next, true);
        return next;
      }),
    getAppSettings: async (appId) => settings.get(appId),
    putAppSettings: (item) =>
      serial(() => {
        commit({ bills: [], refunds: [], deliveries: [], settings: [item], flush: true });
        settings.set(item.app_id, item);
      }),
    listAppSettings: async () => [...settings.values()],
    close: async () => {
      if (closed) return;
      closed = true;
      await queue;
      options.close?.();
    },
  };
}
