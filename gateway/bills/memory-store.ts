import type { Bill } from './bill';
import type { BillStore } from './store';

/** A BillStore in memory, as the sandbox uses; bills are lost when the process ends. */
export function createMemoryStore(): BillStore {
  const byId = new Map<string, Bill>();
  const byOrder = new Map<string, string>();
  const byPrepayId = new Map<string, string>();
  const orderKey = (appId: string, outTradeNo: string): string => `${appId}\n${outTradeNo}`;
  const lookup = (id: string | undefined): Bill | undefined => (id === undefined ? undefined : byId.get(id));
  const indexPrepayId = (bill: Bill): void => {
    if (bill.jsapi !== undefined) byPrepayId.set(bill.jsapi.prepay_id, bill.id);
  };

  return {
    get: (id) => byId.get(id),
    findByOrder: (appId, outTradeNo) => lookup(byOrder.get(orderKey(appId, outTradeNo))),
    findByPrepayId: (prepayId) => lookup(byPrepayId.get(prepayId)),
    insert(bill) {
      const key = orderKey(bill.app_id, bill.out_trade_no);
      if (byId.has(bill.id)) throw new Error(`bill id ${bill.id} is already stored`);
      if (byOrder.has(key)) throw new Error(`out_trade_no ${bill.out_trade_no} already has a bill`);
      byId.set(bill.id, { ...bill });
      byOrder.set(key, bill.id);
      indexPrepayId(bill);
    },
    update(id, patch) {
      const current = byId.get(id);
      if (current === undefined) return undefined;
      const next: Bill = { ...current, ...patch };
      byId.set(id, next);
      indexPrepayId(next);
      return next;
    },
    // Map iteration follows insertion order, so the newest bills are at the end.
    list: (limit) => [...byId.values()].reverse().slice(0, Math.max(0, limit)),
    pendingWebhooks: () => [...byId.values()].filter((bill) => bill.webhook?.state === 'pending'),
  };
}
