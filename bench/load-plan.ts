import type { App } from '../gateway/apps';
import { DEMO_APP } from '../gateway/apps';
import { signOrder } from '../server-sign';
import { CHANNELS, JSAPI_CHANNELS, type RestChannel } from '../src/core/channels';
import type { MixedLoadOptions, MixedOrder, RequestKind } from './load';
import { newOutTradeNo } from './orders';

/** One request of the plan: its kind, its JSON body, and the order it belongs to (none for numbers that must stay bill-less). */
export interface PlannedRequest {
  kind: RequestKind;
  body: string;
  order?: MixedOrder;
}

/** The whole plan: requests in start order, the orders they create, and the numbers that must never get a bill. */
export interface RequestPlan {
  requests: PlannedRequest[];
  orders: MixedOrder[];
  refusedOrderNos: string[];
}

const TITLES = ['基准测试商品', 'Bench item', '测试 T-shirt XL', '月饼礼盒'];
const HEX = '0123456789abcdef';

/**
 * Plans the mixed load from its seed: each request is a duplicate, bad sign or tampered amount by the
 * shares, else a new order. Throws when the shares or the total make no sense.
 */
export function planRequests(options: MixedLoadOptions): RequestPlan {
  const app = options.app ?? DEMO_APP;
  const shares = [options.duplicateShare, options.badSignShare, options.tamperedShare];
  if (shares.some((share) => !(share >= 0)) || shares.reduce((a, b) => a + b, 0) > 1) {
    throw new Error(`the duplicate, bad sign and tampered shares must be fractions summing to at most 1 (got ${shares.join(', ')})`);
  }
  if (!Number.isInteger(options.total) || options.total < 1) throw new Error(`total must be a positive whole number (got ${options.total})`);
  const channels = usableChannels(app.channels);
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sign = (title: string, amount: number | string, outTradeNo: string) =>
    signOrder({ appId: app.appId, title, amount, outTradeNo, appSecret: app.appSecret });
  const body = (order: { title: string; amount: number | string; out_trade_no: string }, signature: string) =>
    JSON.stringify({ app_id: app.appId, channel: pick(channels), title: order.title, amount: order.amount, out_trade_no: order.out_trade_no, sign: signature });
  const newOrder = (): MixedOrder => {
    const fen = 1 + Math.floor(random() * 99_999);
    // A quarter of the pages send the amount as a digit string; it must sign and store alike.
    return { out_trade_no: newOutTradeNo('M'), title: pick(TITLES), amount: random() < 0.25 ? String(fen) : fen, billIds: [] };
  };

  const requests: PlannedRequest[] = [];
  const orders: MixedOrder[] = [];
  const signs = new Map<MixedOrder, string>();
  const refusedOrderNos: string[] = [];
  const [duplicate, badSign, tampered] = shares as [number, number, number];
  for (let index = 0; index < options.total; index += 1) {
    const roll = random();
    if (roll < duplicate && orders.length > 0) {
      const earlier = random() < 0.5 ? (orders[orders.length - 1] as MixedOrder) : pick(orders);
      requests.push({ kind: 'duplicate', body: body(earlier, signs.get(earlier) as string), order: earlier });
    } else if (roll < duplicate + badSign) {
      const fresh = newOrder();
      const good = sign(fresh.title, fresh.amount, fresh.out_trade_no);
      let bad = Array.from({ length: 32 }, () => HEX[Math.floor(random() * 16)]).join('');
      if (bad === good) bad = bad.replace(/^./, bad[0] === '0' ? '1' : '0');
      refusedOrderNos.push(fresh.out_trade_no);
      requests.push({ kind: 'badSign', body: body(fresh, bad) });
    } else if (roll < duplicate + badSign + tampered) {
      const onEarlier = orders.length > 0 && random() < 0.5;
      const target = onEarlier ? pick(orders) : newOrder();
      const signature = onEarlier ? (signs.get(target) as string) : sign(target.title, target.amount, target.out_trade_no);
      if (!onEarlier) refusedOrderNos.push(target.out_trade_no);
      const changed = Number(target.amount) + 1 + Math.floor(random() * 1000);
      requests.push({ kind: 'tampered', body: body({ ...target, amount: typeof target.amount === 'string' ? String(changed) : changed }, signature) });
    } else {
      const order = newOrder();
      signs.set(order, sign(order.title, order.amount, order.out_trade_no));
      orders.push(order);
      requests.push({ kind: 'new', body: body(order, signs.get(order) as string), order });
    }
  }
  return { requests, orders, refusedOrderNos };
}

/** The REST channels an app's keys give on a desktop or phone, except WeChat JSAPI (which needs an openid). */
function usableChannels(keys: readonly string[]): RestChannel[] {
  const found = new Set<RestChannel>();
  for (const key of keys) {
    const spec = CHANNELS[key as keyof typeof CHANNELS];
    for (const rest of [spec?.pc, spec?.mobile]) if (rest && !JSAPI_CHANNELS.includes(rest)) found.add(rest);
  }
  if (found.size === 0) throw new Error(`the app enables no channel usable without an openid (keys: ${keys.join(', ')})`);
  return [...found];
}

// mulberry32: a small, well-mixed 32-bit generator; Math.random cannot be seeded.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
