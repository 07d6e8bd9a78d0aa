import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_APP } from '../gateway/apps';
import { buildExamples, type ExampleServer, FRAMEWORKS, serveExamples } from './fixtures/frameworks/examples';
import { test as base, dialog, expect, signedOrder } from './support/stack';

// The React and Vue examples, built by Vite against the package's real ES module entry, pay through
// the sandbox and clean up after themselves when the component unmounts with the modal open.

const test = base.extend<{ shop: ExampleServer }, { examplesDir: string }>({
  examplesDir: [
    async ({}, use) => {
      const dir = await mkdtemp(join(tmpdir(), 'spay-examples-'));
      await buildExamples(dir);
      await use(dir);
      await rm(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  shop: async ({ examplesDir, demo }, use) => {
    const server = await serveExamples(examplesDir, () => ({ appId: DEMO_APP.appId, gateway: demo.gatewayUrl, order: signedOrder() }));
    await use(server);
    await server.close();
  },
});

// The demo app's channels on a desktop browser, in its configured order (WeChat JSAPI is hidden here).
const DESKTOP_CHANNELS = ['支付宝', '微信扫码', '银联', '京东支付', '百度钱包', '易宝支付'];

function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function channelNames(page: Page): Promise<string[]> {
  const names = await dialog(page).locator('ul button').allInnerTexts();
  return names.map((name) => name.replace(/^\S\s*/, '').trim());
}

// The modal covers the page and traps focus, so a route change reaches the app from elsewhere
// (a router, a timer, the back button); the test fires the link's click the same way.
const leavePage = (page: Page) => page.getByRole('button', { name: '离开页面' }).dispatchEvent('click');

for (const framework of FRAMEWORKS) {
  test.describe(framework, () => {
    test('pays with Alipay: the picker lists the gateway config channels, the cashier returns to the page', async ({ page, demo, shop }) => {
      const errors = collectPageErrors(page);
      const config = page.waitForResponse((response) => response.url().startsWith(`${demo.gatewayUrl}/1/pay/jsbutton/config?appId=${DEMO_APP.appId}`));
      await page.goto(`${shop.url}/${framework}/`);
      await expect(page.getByRole('status')).toHaveText('未支付');
      await page.getByRole('button', { name: '立即支付' }).click();

      expect((await config).ok()).toBe(true);
      await expect(dialog(page)).toBeVisible();
      await expect(dialog(page).getByText('测试商品')).toBeVisible();
      expect(await channelNames(page)).toEqual(DESKTOP_CHANNELS);
      await dialog(page).getByRole('button', { name: '支付宝', exact: true }).click();

      await expect(page).toHaveURL(/\/sandbox\/cashier\//);
      await page.getByRole('button', { name: '确认支付' }).click();
      await expect(page).toHaveURL(new RegExp(`^${shop.url}/${framework}/\\?`));
      expect(new URL(page.url()).searchParams.get('trade_success')).toBe('true');
      await expect(page.getByText(/已从支付页面返回：支付成功/)).toBeVisible();
      expect((await demo.gateway.gateway.store.listBills({ limit: 1 }))[0]).toMatchObject({ channel: 'ALI_WEB', status: 'PAID' });
      expect(errors).toEqual([]);
    });

    test('leaving the page with the modal open unmounts the button and removes the modal', async ({ page, shop }) => {
      const errors = collectPageErrors(page);
      await page.goto(`${shop.url}/${framework}/`);
      await page.getByRole('button', { name: '立即支付' }).click();
      await expect(dialog(page)).toBeVisible();

      await leavePage(page);
      await expect(page.getByRole('heading', { name: '其他页面' })).toBeVisible();
      await expect(page.getByRole('button', { name: '立即支付' })).toHaveCount(0);
      await expect(page.locator('spay-modal')).toHaveCount(0);
      expect(errors).toEqual([]);
    });

    test('after coming back, pressing pay opens a fresh modal', async ({ page, shop }) => {
      const errors = collectPageErrors(page);
      await page.goto(`${shop.url}/${framework}/`);
      await page.getByRole('button', { name: '立即支付' }).click();
      await expect(dialog(page)).toBeVisible();
      await leavePage(page);
      await expect(page.locator('spay-modal')).toHaveCount(0);

      await page.getByRole('button', { name: '返回结算页' }).click();
      await expect(page.getByRole('status')).toHaveText('未支付');
      await page.getByRole('button', { name: '立即支付' }).click();
      await expect(dialog(page)).toBeVisible();
      await expect(page.locator('spay-modal')).toHaveCount(1);
      expect(await channelNames(page)).toEqual(DESKTOP_CHANNELS);

      await dialog(page).getByRole('button', { name: '关闭' }).click();
      await expect(page.locator('spay-modal')).toHaveCount(0);
      await expect(page.getByRole('status')).toHaveText('已取消支付');
      expect(errors).toEqual([]);
    });
  });
}
