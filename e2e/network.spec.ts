import type { Page } from '@playwright/test';
import { startDemo } from '../demo/server';
import { dialog, expect, signedOrder, test } from './support/stack';

const PAY_STEPS = /\/1\/pay\/jsbutton\/assets\/spay-pay\.[0-9a-f]+\.js$/;

/** Every request the page sends to the gateway, in order, as "METHOD path". */
function gatewayRequests(page: Page, gatewayUrl: string): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(gatewayUrl)) seen.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return seen;
}

test('the page loads only the script and its UI module; the modal fetches the payment steps; choosing costs one request, the bill', async ({ page, fixtures, demo }) => {
  const seen = gatewayRequests(page, demo.gatewayUrl);
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  expect(seen.map((line) => line.replace(/\.[0-9a-f]{10}\.js$/, '.<hash>.js'))).toEqual([
    'GET /1/pay/jsbutton/returnscripts',
    'GET /1/pay/jsbutton/assets/spay-ui.<hash>.js',
  ]);

  const steps = page.waitForResponse((response) => PAY_STEPS.test(response.url()));
  await page.locator('#pay').click();
  await expect(dialog(page)).toBeVisible();
  expect((await steps).status()).toBe(200);
  expect(seen.filter((line) => /spay-pay\./.test(line))).toHaveLength(1);
  // The connection to the gateway is warmed up while the buyer picks.
  await expect(page.locator('head link[rel=preconnect]')).toHaveAttribute('href', new URL(demo.gatewayUrl).origin);

  const before = seen.length;
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  // Up to the cashier's own page: the bill and nothing else.
  const untilCashier = seen.slice(before, seen.findIndex((line, index) => index >= before && line.includes('/sandbox/cashier/')));
  expect(untilCashier).toEqual(['POST /1/pay/jsbutton/bill']);
});

test('closing the modal removes its preconnect hint and leaves nothing in the page', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.locator('#pay').click();
  await expect(page.locator('head link[rel=preconnect]')).toHaveCount(1);
  await dialog(page).getByRole('button', { name: '关闭' }).click();
  await expect(page.locator('spay-modal')).toHaveCount(0);
  await expect(page.locator('head link[rel=preconnect]')).toHaveCount(0);
});

test('payment steps that cannot be loaded end in an error with retry; the retry loads them and pays the one bill', async ({ page, fixtures, demo }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  let reachable = false;
  let refused = 0;
  await page.route(PAY_STEPS, async (route) => {
    if (reachable) return route.continue();
    refused++;
    await route.abort('connectionreset');
  });
  await page.locator('#pay').click();
  await dialog(page).getByRole('button', { name: '银联' }).click();
  await expect(dialog(page).getByRole('alert')).toContainText('payment steps could not be loaded');
  await expect(page.locator('#errors li')).toContainText('NETWORK');
  expect(refused).toBeGreaterThan(0);
  reachable = true;
  await dialog(page).getByRole('button', { name: '重试' }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  expect((await demo.gateway.gateway.store.listBills({ limit: 10 }))).toHaveLength(1);
});

/** The same stack, with the gateway's request log kept: what reached the gateway, not what the page asked its cache for. */
const loggedTest = test.extend<{ gatewayLog: string[] }>({
  gatewayLog: async ({}, use) => use([]),
  demo: async ({ gatewayLog }, use) => {
    const demo = await startDemo({ webhookBackoffMs: 50, log: (line) => gatewayLog.push(line) });
    await use(demo);
    await demo.close();
  },
});

loggedTest("a buyer's next page runs the script from the browser's cache, with no request to the gateway", async ({ page, fixtures, gatewayLog }) => {
  const scriptRequests = () => gatewayLog.filter((line) => line.includes('/returnscripts')).map((line) => line.replace(/ \d+ms$/, ''));
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await expect.poll(scriptRequests).toEqual(['GET /1/pay/jsbutton/returnscripts 200']);
  // Another page of the same shop, a moment later.
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.locator('#pay').click();
  await expect(dialog(page)).toBeVisible();
  expect(scriptRequests()).toEqual(['GET /1/pay/jsbutton/returnscripts 200']);
});
