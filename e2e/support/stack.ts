import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { DEMO_APP } from '../../gateway/apps';
import { listen } from '../../gateway/http/listen';
import { newOutTradeNo } from '../../demo/orders';
import { type RunningDemo, startDemo } from '../../demo/server';
import { signOrder } from '../../server-sign';

const fixtureDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Serves a spec's own fixture page with the gateway's address and a signed order filled in. */
export interface FixturePages {
  url(name: string, vars?: Record<string, unknown>, csp?: (gatewayUrl: string) => string): Promise<string>;
}

/** An order signed with the demo app's secret, as a merchant server would make it. */
export function signedOrder(overrides: { title?: string; amount?: number | string; out_trade_no?: string } = {}) {
  const title = overrides.title ?? '测试商品';
  const amount = overrides.amount ?? 1;
  const outTradeNo = overrides.out_trade_no ?? newOutTradeNo();
  const sign = signOrder({ appId: DEMO_APP.appId, title, amount, outTradeNo, appSecret: DEMO_APP.appSecret });
  return { title, amount, out_trade_no: outTradeNo, sign };
}

/** The UI module the script-tag loader fetches as it runs. */
export const UI_MODULE = /\/1\/pay\/jsbutton\/assets\/spay-ui\.[0-9a-f]+\.js$/;

/**
 * Each test gets its own gateway and demo merchant on free ports, stopped afterwards. Its page's `goto` (waiting for
 * `load`, as by default) also waits for the UI module the loader fetched to have run, since the load event does not:
 * specs that click at once then find the dialog open in the same task, as a buyer clicking later does.
 * loader.spec.ts times clicks made before the module arrives.
 */
export const test = base.extend<{ demo: RunningDemo; fixtures: FixturePages }>({
  page: async ({ page }, use) => {
    let requested: string | null = null;
    page.on('request', (request) => {
      if (UI_MODULE.test(request.url())) requested = request.url();
    });
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      requested = null;
      const response = await goto(url, options);
      if ((options?.waitUntil ?? 'load') !== 'load') return response;
      // The loader starts the fetch in a task after its own; let that task run first.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
      const ui = requested as string | null;
      if (ui !== null) {
        // The same URL as the loader's import, so the same module: this resolves once it has run, and fetches nothing.
        await page.evaluate((moduleUrl) => import(moduleUrl).then(() => undefined, () => undefined), ui);
      }
      return response;
    };
    await use(page);
  },
  demo: async ({}, use) => {
    const demo = await startDemo({ webhookBackoffMs: 50, log: () => {} });
    await use(demo);
    await demo.close();
  },
  fixtures: async ({ demo }, use) => {
    const pages = new Map<string, { html: string; csp?: string }>();
    const server = await listen(
      async (request) => {
        const path = new URL(request.url).pathname;
        const script = /^\/static\/([a-z-]+\.js)$/.exec(path);
        if (script) {
          return new Response(await readFile(`${fixtureDir}${script[1]}`, 'utf8'), { headers: { 'Content-Type': 'text/javascript' } });
        }
        const page = pages.get(path);
        if (!page) return new Response('not found', { status: 404 });
        const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8' };
        if (page.csp) headers['Content-Security-Policy'] = page.csp;
        return new Response(page.html, { headers });
      },
      { port: 0, host: '127.0.0.1', log: () => {} },
    );
    let count = 0;
    await use({
      async url(name, vars = {}, csp) {
        const template = await readFile(`${fixtureDir}${name}.html`, 'utf8');
        const values: Record<string, unknown> = { gateway: demo.gatewayUrl, appId: DEMO_APP.appId, merchant: demo.merchantUrl, lang: 'zh-CN', head: '', ...vars };
        const html = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
          const value = values[key];
          return typeof value === 'string' ? value : JSON.stringify(value);
        });
        const path = `/${name}-${++count}.html`;
        pages.set(path, { html, csp: csp?.(demo.gatewayUrl) });
        return server.url + path;
      },
    });
    await server.close();
  },
});

export { expect };

/** The widget's dialog, found through its open shadow root. */
export const dialog = (page: Page) => page.locator('spay-modal').getByRole('dialog');

/** Counts bill POSTs the page sends, to prove invalid orders send none. */
export function countBillRequests(page: Page): { count(): number } {
  let count = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/1/pay/jsbutton/bill')) count++;
  });
  return { count: () => count };
}

/** Collects Content-Security-Policy violations the page reports, from the first script on. */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}
