import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRestClient, signOrder } from '../server-sign';
import { createOrderBook, type OrderBook, refundable } from './orders';
import { ordersPage, returnPage } from './pages/orders-page';
import { type SignedOrder, shopPage } from './pages/shop-page';
import { receiveWebhook } from './webhook-receiver';

/** The merchant's credentials; appSecret and masterSecret never leave this server. */
export interface MerchantApp {
  appId: string;
  appSecret: string;
  masterSecret: string;
}

export interface MerchantOptions {
  app: MerchantApp;
  /** The gateway's origin, read per request so it can be set after both servers have ports. */
  gatewayUrl(): string;
  log?: (line: string) => void;
}

/** The product on sale; a real shop would read it from its catalogue. */
export const PRODUCT = { title: '云南小粒咖啡豆 250g', amount: 6800 };

const STATIC_FILES: Record<string, string> = {
  '/static/shop.js': 'text/javascript; charset=utf-8',
  '/static/shop.css': 'text/css; charset=utf-8',
};
const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The demo merchant as a web handler: a shop page with a freshly signed order per view, the order
 * list, the return page, and the webhook receiver that is the only thing allowed to mark an order paid.
 */
export function createMerchant(options: MerchantOptions): { handle(request: Request): Promise<Response>; orders: OrderBook } {
  const orders = createOrderBook();
  const log = options.log ?? ((line: string) => console.log(line));

  /** A fresh order, signed here with the app secret, as the shop page hands it to BC.click. */
  function newSignedOrder(origin: string): SignedOrder {
    const order = orders.create(PRODUCT.title, PRODUCT.amount);
    const { appId, appSecret } = options.app;
    const sign = signOrder({ appId, title: order.title, amount: order.amount, outTradeNo: order.outTradeNo, appSecret });
    const returnUrl = new URL('/return', origin);
    returnUrl.searchParams.set('order', order.outTradeNo);
    return { title: order.title, amount: order.amount, out_trade_no: order.outTradeNo, sign, return_url: returnUrl.href, optional: { shop: 'demo' } };
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const gatewayUrl = options.gatewayUrl();
    const html = (body: string, status = 200) =>
      new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': pagePolicy(gatewayUrl) } });

    if (request.method === 'GET' && url.pathname === '/') {
      return html(shopPage(newSignedOrder(url.origin), { gatewayUrl, appId: options.app.appId }));
    }
    // A bill body ready to POST to the gateway, for trying the API by hand with curl.
    if (request.method === 'GET' && url.pathname === '/api/new-order') {
      const { optional: _optional, ...order } = newSignedOrder(url.origin);
      return Response.json({ app_id: options.app.appId, channel: url.searchParams.get('channel') || 'ALI_WEB', ...order });
    }
    if (request.method === 'GET' && url.pathname === '/orders') {
      return html(ordersPage(orders.list(), { gatewayUrl, notice: url.searchParams.get('refund_error') ?? undefined }));
    }
    const refundPath = /^\/orders\/([A-Za-z0-9]+)\/refund$/.exec(url.pathname);
    if (request.method === 'POST' && refundPath) return refundOrder(refundPath[1] as string, gatewayUrl);
    if (request.method === 'GET' && url.pathname === '/api/orders') return Response.json(orders.list());
    if (request.method === 'GET' && url.pathname === '/return') {
      return html(returnPage(orders.get(url.searchParams.get('order') ?? url.searchParams.get('out_trade_no') ?? ''), { gatewayUrl }));
    }
    if (request.method === 'POST' && url.pathname === '/webhook') {
      const verdict = receiveWebhook(await request.text(), options.app.appId, options.app.masterSecret, orders);
      log(verdict.accepted ? `webhook ${verdict.outTradeNo} accepted${verdict.duplicate ? ' (duplicate)' : ''}` : `webhook refused: ${verdict.reason}`);
      return new Response(verdict.accepted ? 'success' : 'fail', { status: verdict.accepted ? 200 : 400 });
    }
    const type = STATIC_FILES[url.pathname];
    if (request.method === 'GET' && type) {
      return new Response(await readFile(publicDir + url.pathname.slice('/static/'.length)), { headers: { 'Content-Type': type } });
    }
    return html('<!doctype html><title>404</title><p>Not found</p>', 404);
  }

  /**
   * The 退款 button: refunds what is left of a paid order through the gateway's REST API, signed with the master
   * secret on this server. The refund is recorded first, because its webhook may arrive before the API answers.
   */
  async function refundOrder(outTradeNo: string, gatewayUrl: string): Promise<Response> {
    const back = (error?: string) =>
      new Response(null, { status: 303, headers: { Location: error === undefined ? '/orders' : `/orders?refund_error=${encodeURIComponent(error)}` } });
    const order = orders.get(outTradeNo);
    const fee = order === undefined ? 0 : refundable(order);
    if (order === undefined || fee <= 0) return back(`订单 ${outTradeNo} 没有可退的金额`);
    const refund = { refundNo: newRefundNo(), fee, status: 'requested' as const, requestedAt: Date.now() };
    order.refunds.push(refund);
    const { appId, appSecret, masterSecret } = options.app;
    const api = createRestClient({ baseUrl: gatewayUrl, appId, appSecret, masterSecret });
    let error: string | undefined;
    try {
      const answer = await api.refund({ refund_no: refund.refundNo, bill_no: outTradeNo, refund_fee: fee, optional: { shop: 'demo' } });
      if (answer.result_code !== 0) error = `${answer.result_msg}: ${answer.err_detail}`;
    } catch (caught) {
      error = (caught as Error).message;
    }
    log(`refund ${refund.refundNo} of ${outTradeNo}: ${error ?? 'requested'}`);
    if (error === undefined) return back();
    order.refunds = order.refunds.filter((item) => item !== refund);
    return back(`退款失败：${error}`);
  }

  return { handle, orders };
}

let refundSerial = 0;

/** A refund_no as the gateway wants it: today's date in China Standard Time, then a serial of letters or digits. */
export function newRefundNo(now = Date.now()): string {
  refundSerial = (refundSerial + 1) % 1000;
  const day = new Date(now + 8 * 60 * 60 * 1000).toISOString().slice(0, 10).replace(/-/g, '');
  return `${day}${String(now).slice(-9)}${String(refundSerial).padStart(3, '0')}`;
}

/** The strict policy the demo runs under, the same one README recommends to merchants. */
export function pagePolicy(gatewayUrl: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${gatewayUrl}`,
    `connect-src 'self' ${gatewayUrl}`,
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self' ${gatewayUrl}`,
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}
