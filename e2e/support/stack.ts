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

/** Each test gets its own gateway and demo merchant on free ports, stopped afterwards. */
export const test = base.extend<{ demo: RunningDemo; fixtures: FixturePages }>({
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
