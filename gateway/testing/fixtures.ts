import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signOrder } from '../../server-sign';
import { CHANNEL_KEYS } from '../../src/core/channels';
import type { App } from '../apps';
import { type Gateway, type GatewayOptions, createGateway } from '../handler';
import { type RunningGateway, startGateway } from '../server';

/** An app with every channel key enabled. */
export const FULL_APP: App = {
  appId: 'test-app-full',
  appSecret: 'test-app-secret-full',
  masterSecret: 'test-master-secret-full',
  channels: [...CHANNEL_KEYS],
};

/** An app with Alipay only. */
export const ALI_APP: App = {
  appId: 'test-app-ali',
  appSecret: 'test-app-secret-ali',
  masterSecret: 'test-master-secret-ali',
  channels: ['ali'],
};

/** A log that keeps its lines for assertions instead of printing them. */
export function collectingLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

let orderCounter = 0;

/** A fresh valid out_trade_no per call. */
export function newOrderNo(): string {
  orderCounter += 1;
  return `T${Date.now()}${String(orderCounter).padStart(5, '0')}`;
}

/** A correctly signed bill body for `app` (default FULL_APP, ALI_WEB), with `overrides` merged in after signing. */
export function signedBill(overrides: Record<string, unknown> = {}, app: App = FULL_APP): Record<string, unknown> {
  const order = {
    app_id: app.appId,
    channel: 'ALI_WEB',
    title: '测试商品',
    amount: 1,
    out_trade_no: newOrderNo(),
    ...overrides,
  };
  const sign = signOrder({
    appId: app.appId,
    title: String(order.title),
    amount: order.amount as number | string,
    outTradeNo: String(order.out_trade_no),
    appSecret: app.appSecret,
  });
  return { ...order, sign, ...('sign' in overrides ? { sign: overrides.sign } : {}) };
}

/** A gateway over the test apps, logging into `lines`. */
export function testGateway(options: Partial<GatewayOptions> = {}): Gateway & { lines: string[] } {
  const { lines, log } = collectingLog();
  const gateway = createGateway({ apps: [FULL_APP, ALI_APP], log, ...options });
  return Object.assign(gateway, { lines });
}

/** A real server over the test apps on 127.0.0.1 and a free port; close it in afterAll/afterEach. */
export async function testServer(options: Partial<GatewayOptions> = {}): Promise<RunningGateway & { lines: string[] }> {
  const { lines, log } = collectingLog();
  const running = await startGateway({ apps: [FULL_APP, ALI_APP], log, port: 0, ...options });
  return Object.assign(running, { lines });
}

/** A Request to the gateway's API at a fake origin, for calling `handle` directly. */
export function apiRequest(path: string, init: RequestInit = {}): Request {
  return new Request(`http://gateway.test${path}`, init);
}

/** POST /1/pay/jsbutton/bill with `body` as JSON text/plain, as the widget sends it. */
export function billRequest(body: unknown, base = 'http://gateway.test'): Request {
  return new Request(`${base}/1/pay/jsbutton/bill`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A temporary widget directory holding a fake bundle and assets; remove() deletes it. */
export function fakeWidgetDir(bundle = 'window.__fakeWidget = true;'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'spay-widget-'));
  writeFileSync(join(dir, 'spay-button.js'), bundle);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'qr-abc123.js'), 'export const encodeQr = () => null;');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
