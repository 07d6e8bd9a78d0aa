import { type App, DEMO_APP } from '../gateway/apps';
import type { Bill } from '../gateway/bills/bill';
import { MAX_LIST } from '../gateway/stores/query';
import type { Store } from '../gateway/stores/store';
import { signOrder } from '../server-sign';
import { runClosedLoop } from './http-load';
import type { MixedLoadResult, MixedOrder } from './load';
import { newOutTradeNo } from './orders';

/** What checkMixedLoad found: ok, or one sentence per broken invariant. */
export interface MixedLoadCheck {
  ok: boolean;
  failures: string[];
  /** Bills read back through GET /1/pay/jsbutton/bill/:id. */
  billsRead: number;
}

/**
 * Verifies the gateway after a mixed load: no answer broke its expectation and none was a 5xx; each
 * order has exactly one bill id, which GET /bill/:id answers with the order's number, title and amount;
 * with the gateway's store (in-process), no out_trade_no has two bills, refused numbers have none and no
 * bill is left over; and the gateway still creates and reads a new bill.
 */
export async function checkMixedLoad(
  result: MixedLoadResult,
  options: { url: string; store?: Store; app?: Pick<App, 'appId' | 'appSecret' | 'channels'>; concurrency?: number },
): Promise<MixedLoadCheck> {
  const app = options.app ?? DEMO_APP;
  const failures: string[] = [];
  const fail = (text: string) => failures.push(text);
  if (result.violationCount > 0) {
    fail(`${result.violationCount} answers broke their expectation, e.g. ${result.violations.slice(0, 3).join('; ')}`);
  }
  if (result.serverErrors > 0) fail(`${result.serverErrors} answers were HTTP 5xx`);
  if (result.transportErrors > 0) fail(`${result.transportErrors} requests got no HTTP answer`);

  const duplicated = result.orders.filter((order) => order.billIds.length > 1);
  if (duplicated.length > 0) {
    const first = duplicated[0] as MixedOrder;
    fail(`${duplicated.length} out_trade_nos were answered with more than one bill id (e.g. ${first.out_trade_no}: ${first.billIds.join(', ')})`);
  }
  const unanswered = result.orders.filter((order) => order.billIds.length === 0);
  if (unanswered.length > 0) fail(`${unanswered.length} orders never got a bill id (e.g. ${unanswered[0]?.out_trade_no})`);

  const readable = result.orders.filter((order) => order.billIds.length === 1);
  let mismatches = 0;
  let example = '';
  await runClosedLoop({
    url: options.url,
    total: readable.length,
    concurrency: options.concurrency ?? 50,
    next: (index) => ({ method: 'GET', path: `/1/pay/jsbutton/bill/${encodeURIComponent((readable[index] as MixedOrder).billIds[0] as string)}` }),
    onAnswer(index, answer) {
      const order = readable[index] as MixedOrder;
      const bill = parseJson(answer.body) as { result_code?: number; out_trade_no?: string; title?: string; total_fee?: number } | undefined;
      const same =
        bill?.result_code === 0 && bill.out_trade_no === order.out_trade_no && bill.title === order.title && bill.total_fee === Number(order.amount);
      if (!same) {
        mismatches += 1;
        example ||= `${order.out_trade_no}: HTTP ${answer.status} ${answer.body.slice(0, 160)}`;
      }
    },
  });
  if (mismatches > 0) fail(`${mismatches} bills read back through GET /bill/:id did not match their order (e.g. ${example})`);

  if (options.store !== undefined) await checkStore(result, options.store, app.appId, fail);

  const alive = await checkStillAnswering(options.url, app);
  if (alive !== undefined) fail(alive);
  return { ok: failures.length === 0, failures, billsRead: readable.length };
}

async function checkStore(result: MixedLoadResult, store: Store, appId: string, fail: (text: string) => void): Promise<void> {
  const planned = new Set([...result.orders.map((order) => order.out_trade_no), ...result.refusedOrderNos]);
  const perNumber = new Map<string, number>();
  for (const bill of await allBills(store, appId)) {
    if (bill.app_id !== appId || !planned.has(bill.out_trade_no)) continue;
    perNumber.set(bill.out_trade_no, (perNumber.get(bill.out_trade_no) ?? 0) + 1);
  }
  const twice = [...perNumber].filter(([, count]) => count > 1);
  if (twice.length > 0) fail(`the store holds more than one bill for ${twice.length} out_trade_nos (e.g. ${twice[0]?.[0]})`);
  const withBill = result.refusedOrderNos.filter((number) => perNumber.has(number));
  if (withBill.length > 0) fail(`${withBill.length} refused out_trade_nos (bad sign or tampered) have a bill in the store (e.g. ${withBill[0]})`);
  if (perNumber.size !== result.orders.length) fail(`the store holds bills for ${perNumber.size} of the load's out_trade_nos; the load created ${result.orders.length} orders`);
  let wrong = 0;
  for (const order of result.orders) {
    const bill = await store.findBill(appId, 'live', order.out_trade_no);
    if (bill === undefined || bill.id !== order.billIds[0] || String(bill.amount) !== String(order.amount) || bill.title !== order.title) wrong += 1;
  }
  if (wrong > 0) fail(`${wrong} orders' bills in the store differ from the answered id, title or amount`);
}

/** Every bill of the app, page by page (a store answers at most MAX_LIST at once). */
async function allBills(store: Store, appId: string): Promise<Bill[]> {
  const bills: Bill[] = [];
  for (let skip = 0; ; skip += MAX_LIST) {
    const page = await store.listBills({ appId, skip, limit: MAX_LIST });
    bills.push(...page);
    if (page.length < MAX_LIST) return bills;
  }
}

async function checkStillAnswering(url: string, app: Pick<App, 'appId' | 'appSecret'>): Promise<string | undefined> {
  const outTradeNo = newOutTradeNo('A');
  const sign = signOrder({ appId: app.appId, title: 'alive', amount: 1, outTradeNo, appSecret: app.appSecret });
  try {
    const created = await fetch(`${url}/1/pay/jsbutton/bill`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ app_id: app.appId, channel: 'ALI_WEB', title: 'alive', amount: 1, out_trade_no: outTradeNo, sign }),
    });
    const bill = (await created.json()) as { result_code?: number; id?: string };
    if (bill.result_code !== 0 || typeof bill.id !== 'string') return `after the load, a new bill was refused (HTTP ${created.status}, result_code ${bill.result_code})`;
    const status = (await (await fetch(`${url}/1/pay/jsbutton/bill/${encodeURIComponent(bill.id)}`)).json()) as { result_code?: number };
    if (status.result_code !== 0) return `after the load, GET /bill/:id of a new bill answered result_code ${status.result_code}`;
    return undefined;
  } catch (error) {
    return `after the load, the gateway did not answer (${(error as Error).message})`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
