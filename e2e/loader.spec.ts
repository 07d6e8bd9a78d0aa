import type { Page, Route } from '@playwright/test';
import { countBillRequests, dialog, expect, signedOrder, test, UI_MODULE } from './support/stack';

/** Holds the UI module's request until `release` (or `refuse`) is called; `requested` resolves once it was asked for. */
async function holdUi(page: Page) {
  let requested!: () => void;
  const asked = new Promise<void>((resolve) => (requested = resolve));
  let answer!: (how: (route: Route) => Promise<void>) => void;
  const answered = new Promise<(route: Route) => Promise<void>>((resolve) => (answer = resolve));
  await page.route(UI_MODULE, async (route) => {
    requested();
    await (await answered)(route);
  });
  return {
    requested: asked,
    release: () => answer((route) => route.continue()),
    refuse: () => answer((route) => route.abort('connectionreset')),
  };
}

const log = (page: Page) => page.evaluate(() => (window as unknown as { __log: string[] }).__log);
const outcomes = (page: Page) =>
  page.evaluate(() => Promise.all((window as unknown as { __outcomes: Promise<{ status: string }>[] }).__outcomes).then((all) => all.map((o) => o.status)));

test('ten clicks made at load, before the UI has arrived, open one dialog the moment it arrives', async ({ page, fixtures, demo }) => {
  const ui = await holdUi(page);
  await page.goto(await fixtures.url('loader', { order: signedOrder(), clicks: 10 }), { waitUntil: 'domcontentloaded' });
  await ui.requested;
  // The page has rendered and BC works while the UI is still on its way.
  await expect(page.getByRole('heading', { name: '商品' })).toBeVisible();
  expect(await page.evaluate(() => typeof (window as unknown as { BC?: unknown }).BC)).toBe('object');
  await page.waitForTimeout(300);
  await expect(page.locator('spay-modal')).toHaveCount(0);
  ui.release();
  await expect(dialog(page)).toBeVisible();
  await expect(page.locator('spay-modal')).toHaveCount(1);
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  expect((await demo.gateway.gateway.store.listBills({ limit: 10 }))).toHaveLength(1);
});

test('an invalid click made before the UI has arrived is reported once, after its task, and sends nothing', async ({ page, fixtures }) => {
  const bills = countBillRequests(page);
  const ui = await holdUi(page);
  await page.goto(await fixtures.url('loader', { order: { ...signedOrder(), out_trade_no: 'abc' }, clicks: 1 }), { waitUntil: 'domcontentloaded' });
  await ui.requested;
  ui.release();
  await expect.poll(() => log(page)).toEqual(['dataError PARAM_INVALID', 'BC.err PARAM_INVALID']);
  expect(await outcomes(page)).toEqual(['failed']);
  await page.waitForTimeout(300);
  expect(await log(page)).toHaveLength(2);
  await expect(page.locator('spay-modal')).toHaveCount(0);
  expect(bills.count()).toBe(0);
});

test('a UI that cannot be fetched ends each waiting click in one NETWORK error; the next click fetches it and opens the dialog', async ({ page, fixtures }) => {
  const order = signedOrder();
  const ui = await holdUi(page);
  await page.goto(await fixtures.url('loader', { order, clicks: 2 }), { waitUntil: 'domcontentloaded' });
  await ui.requested;
  ui.refuse();
  await expect.poll(() => log(page)).toEqual(['dataError NETWORK', 'BC.err NETWORK', 'dataError NETWORK', 'BC.err NETWORK']);
  expect(await outcomes(page)).toEqual(['failed', 'failed']);
  await expect(page.locator('spay-modal')).toHaveCount(0);
  await page.unroute(UI_MODULE);
  await page.evaluate((data) => void (window as unknown as { BC: { click(d: unknown): unknown } }).BC.click(data), order);
  await expect(dialog(page)).toBeVisible();
  expect(await log(page)).toHaveLength(4);
});
