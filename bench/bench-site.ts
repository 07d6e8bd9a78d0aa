import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { DEMO_APP } from '../gateway/apps';
import { type RunningGateway, startGateway } from '../gateway/server';
import { findChromium } from '../scripts/find-chromium.mjs';
import { signedOrder } from './orders';
import { AT_LOAD_SCRIPT, FAST_FRAMES, PAGE_SCRIPT } from './page-script';

/** The pages the browser figures use, on their own origin beside a real gateway. */
export interface BenchSite {
  gateway: RunningGateway;
  /** Origin of the page server. */
  origin: string;
  /** The shop page: the bench page script, then the returnscripts tag in <head>, as merchants paste it. */
  shopUrl: string;
  /** The same page with frames as message tasks, for the open/close heap loop. */
  heapUrl: string;
  /** The shop page that calls BC.click (with a freshly signed order) at DOMContentLoaded, and times its dialog. */
  clickAtLoadUrl: string;
  /** An empty page on the same site, to navigate from while the renderer's metrics are read. */
  blankUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the gateway (demo app, 127.0.0.1, free port, silent log) and a node:http page server on a free port. The
 * gateway serves the widget from `widgetDir` (default: dist/), e.g. the single-file build the bench compares with.
 */
export async function startBenchSite(options: { widgetDir?: string } = {}): Promise<BenchSite> {
  const gateway = await startGateway({ apps: [{ ...DEMO_APP, channels: [...DEMO_APP.channels] }], port: 0, log: () => {}, widgetDir: options.widgetDir });
  const tag = `<script src="${gateway.url}/1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(DEMO_APP.appId)}"></script>`;
  const page = (extra: string) =>
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    `<title>bench shop</title><script>${extra}${PAGE_SCRIPT}</script>${tag}</head>` +
    '<body><main><h1>商品</h1><button id="pay" type="button">购买</button></main></body></html>';
  const pages: Record<string, string | (() => string)> = {
    '/': page(''),
    '/heap': page(FAST_FRAMES),
    '/click-at-load': () => page(`window.__benchOrder = ${JSON.stringify(signedOrder())};${AT_LOAD_SCRIPT}`),
    '/blank': '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>',
  };
  const server = createServer((req, res) => {
    const found = pages[(req.url ?? '/').split('?')[0] as string];
    const html = typeof found === 'function' ? found() : found;
    res.writeHead(html === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    gateway,
    origin,
    shopUrl: `${origin}/`,
    heapUrl: `${origin}/heap`,
    clickAtLoadUrl: `${origin}/click-at-load`,
    blankUrl: `${origin}/blank`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gateway.close();
    },
  };
}

/** Launches headless Chromium (found by scripts/find-chromium.mjs) with the flags the tests use. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: set CHROMIUM_PATH or install chromium');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'],
  });
}
