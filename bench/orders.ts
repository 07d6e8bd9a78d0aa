import { randomBytes } from 'node:crypto';
import { DEMO_APP } from '../gateway/apps';
import { signOrder } from '../server-sign';

/** The app identity a bench signs with: the demo app unless told otherwise. */
export interface SigningApp {
  appId: string;
  appSecret: string;
}

/** An order as a merchant page passes it to BC.click: signed on the server. */
export interface SignedOrder {
  out_trade_no: string;
  title: string;
  amount: number | string;
  sign: string;
  instant_channel?: string;
}

const RUN_TAG = randomBytes(3).toString('hex');
let counter = 0;

/** A fresh out_trade_no: letters and digits, 8-32 long, unique within this process and unlikely to repeat across processes. */
export function newOutTradeNo(prefix = 'B'): string {
  counter += 1;
  return `${prefix}${RUN_TAG}${process.pid.toString(36)}${counter.toString(36).padStart(6, '0')}`.slice(0, 32);
}

/** An order signed with the app's secret, as the merchant server's server-sign call makes it. */
export function signedOrder(
  fields: { title?: string; amount?: number | string; out_trade_no?: string; instant_channel?: string } = {},
  app: SigningApp = DEMO_APP,
): SignedOrder {
  const title = fields.title ?? '基准测试商品';
  const amount = fields.amount ?? 1;
  const outTradeNo = fields.out_trade_no ?? newOutTradeNo();
  const sign = signOrder({ appId: app.appId, title, amount, outTradeNo, appSecret: app.appSecret });
  const order: SignedOrder = { out_trade_no: outTradeNo, title, amount, sign };
  if (fields.instant_channel !== undefined) order.instant_channel = fields.instant_channel;
  return order;
}

/** The POST /1/pay/jsbutton/bill body for a signed order on a REST channel. */
export function billBody(order: SignedOrder, channel: string, app: SigningApp = DEMO_APP): Record<string, unknown> {
  return { app_id: app.appId, channel, title: order.title, amount: order.amount, out_trade_no: order.out_trade_no, sign: order.sign };
}
