import { test as base, expect, type Page } from '@playwright/test';
import type { App } from '../gateway/apps';
import { DEMO_APP } from '../gateway/apps';
import { type RunningGateway, startGateway } from '../gateway/server';
import { type PostgresCluster, createDatabase, startPostgresCluster } from '../gateway/testing/postgres-cluster';
import { startReceiver } from '../gateway/testing/receiver';
import { openPostgresStore } from '../gateway/stores/postgres/postgres-store';
import { signOrder } from '../server-sign';
import { seriousViolations } from './support/axe';
import { dialog } from './support/stack';

// The merchant console against a gateway of two apps; the first app's webhooks go to a merchant that can be down.
const OTHER_APP: App = { appId: 'console-other-app', appSecret: 'other-app-secret', masterSecret: 'other-master-secret', channels: ['ali'] };

interface Stack {
  gateway: RunningGateway;
  merchant: { down: boolean; received: () => number };
  lines: string[];
}

type StoreKind = 'memory' | 'postgres';

const test = base.extend<{ stack: Stack; storeKind: StoreKind }, { postgres: () => Promise<PostgresCluster | undefined> }>({
  storeKind: ['memory', { option: true }],
  // One throwaway PostgreSQL per worker, started only when a test on the postgres store asks for it.
  postgres: [
    async ({}, use) => {
      let cluster: Promise<PostgresCluster | undefined> | undefined;
      await use(() => (cluster ??= startPostgresCluster()));
      await (await cluster)?.stop();
    },
    { scope: 'worker' },
  ],
  stack: async ({ storeKind, postgres }, use) => {
    const merchant = { down: false, received: () => receiver.received.length };
    const receiver = await startReceiver((_attempt, res) => res.end(merchant.down ? 'down for maintenance' : 'success'));
    const lines: string[] = [];
    let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
    const options: Parameters<typeof startGateway>[0] = {
      apps: [{ ...DEMO_APP, webhookUrl: receiver.url }, OTHER_APP],
      // Retries far apart: a failing webhook stays failing until the merchant resends it.
      webhookBackoffMs: 600_000,
      log: (line) => lines.push(line),
    };
    if (storeKind === 'postgres') {
      const cluster = await postgres();
      test.skip(cluster === undefined, 'PostgreSQL is not installed on this machine');
      database = await createDatabase((cluster as PostgresCluster).url);
      options.store = await openPostgresStore(database.url);
    }
    const gateway = await startGateway(options);
    await use({ gateway, merchant, lines });
    await gateway.close();
    await receiver.close();
    await database?.drop();
  },
});

let orders = 0;
/** A bill of `app` for `fee` fen on ALI_WEB, paid at the sandbox cashier unless `pay` is false; its id and order number. */
async function paidBill(stack: Stack, fee: number, app: App = DEMO_APP, pay = true): Promise<{ id: string; outTradeNo: string }> {
  const outTradeNo = `CON${Date.now()}${++orders}`;
  const sign = signOrder({ appId: app.appId, title: '控制台测试', amount: fee, outTradeNo, appSecret: app.appSecret });
  const bill = await (
    await fetch(`${stack.gateway.url}/1/pay/jsbutton/bill`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ app_id: app.appId, channel: 'ALI_WEB', title: '控制台测试', amount: fee, out_trade_no: outTradeNo, sign }),
    })
  ).json();
  if (pay) await fetch(`${stack.gateway.url}/sandbox/cashier/${bill.id}/pay`, { method: 'POST', redirect: 'manual' });
  return { id: bill.id as string, outTradeNo };
}

async function signIn(page: Page, stack: Stack, app: App = DEMO_APP, secret = app.masterSecret): Promise<void> {
  await page.goto(`${stack.gateway.url}/console/`);
  await page.getByLabel('App ID').fill(app.appId);
  await page.getByLabel('Master Secret').fill(secret);
  await page.getByRole('button', { name: '登录' }).click();
}

/** The console's navigation link named `name`. */
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: '控制台' }).getByRole('link', { name, exact: true });

async function expectFitsPhone(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('signs in with the master secret, refuses a wrong one, and throttles after 5 failures', async ({ page, stack }) => {
  await signIn(page, stack, DEMO_APP, 'wrong-secret');
  await expect(page.getByRole('alert')).toHaveText(/app id or master secret is wrong/);
  for (let i = 0; i < 4; i++) {
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('alert')).toHaveText(/wrong/);
  }
  await page.getByLabel('Master Secret').fill(DEMO_APP.masterSecret);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText(/too many failed sign-ins/);
  // The other app, from the same address, is not throttled.
  await signIn(page, stack, OTHER_APP);
  await expect(page.getByRole('heading', { level: 1, name: '概览' })).toBeVisible();
  await expect(page.getByText(`应用 ${OTHER_APP.appId}`)).toBeVisible();
  expect(stack.lines.join('\n')).not.toContain(DEMO_APP.masterSecret);
  expect(await page.content()).not.toContain(OTHER_APP.masterSecret);
});

test('refuses a change without the CSRF token', async ({ page, stack }) => {
  const { id } = await paidBill(stack, 100);
  await signIn(page, stack);
  await expect(page.getByRole('heading', { name: '概览' })).toBeVisible();
  const answer = await page.request.post(`${stack.gateway.url}/console/api/bills/${id}/refund`, { data: { refund_no: '20260101C1234', refund_fee: 1 } });
  expect(answer.status()).toBe(403);
  expect((await answer.json()).error).toMatch(/CSRF token/);
  const settings = await page.request.post(`${stack.gateway.url}/console/api/settings`, { data: { channels: ['ali'] } });
  expect(settings.status()).toBe(403);
});

// What the console keeps or reads in the store, on the memory store and on PostgreSQL.
for (const storeKind of ['memory', 'postgres'] as const) {
  test.describe(`on the ${storeKind} store`, () => {
    test.use({ storeKind });

    test('finds a paid bill, refunds part of it with the amount confirmed in yuan, and sees the refund webhook in the timeline', async ({ page, stack }) => {
      const { outTradeNo } = await paidBill(stack, 300);
      await signIn(page, stack);
      await nav(page, '账单').click();
      await page.getByLabel('订单号').fill(outTradeNo);
      await page.getByLabel('状态').selectOption('PAID');
      await page.getByRole('button', { name: '查询' }).click();
      await expect(page.getByText('共 1 笔')).toBeVisible();
      await page.getByRole('link', { name: outTradeNo }).click();
      await expect(page.getByRole('heading', { level: 1, name: `账单 ${outTradeNo}` })).toBeVisible();
      await expect(page.getByRole('region', { name: '渠道返回（message_detail）' })).toContainText('"sandbox": true');

      await page.getByLabel(/退款金额/).fill('1.2');
      await page.getByRole('button', { name: '退款…' }).click();
      const confirm = page.getByRole('dialog', { name: '确认退款' });
      await expect(confirm).toContainText('¥1.20');
      await confirm.getByRole('button', { name: '确认退款 ¥1.20' }).click();
      await expect(page.getByRole('status').filter({ hasText: '已退款 ¥1.20' })).toBeVisible();
      await expect(page.getByText('可退 ¥1.80')).toBeVisible();
      const timeline = page.getByRole('list').filter({ hasText: 'created on ALI_WEB' });
      await expect(timeline).toContainText(/refund \d{8}C\w+ of 120 fen requested/);
      await expect(async () => {
        await page.reload();
        await expect(page.getByRole('list').filter({ hasText: 'created on ALI_WEB' })).toContainText(/REFUND webhook \d{8}C\w+: HTTP 200 success/, { timeout: 500 });
      }).toPass({ timeout: 10_000 });
      expect(stack.lines.some((line) => /^console: app spay-demo-app \(session \S+ from 127\.0\.0\.1\) refunded 120 fen of bill \S+ \(out_trade_no CON/.test(line))).toBe(true);
    });

    test('lists a failing webhook with its last answer and resends it once the merchant is back', async ({ page, stack }) => {
      stack.merchant.down = true;
      const { outTradeNo } = await paidBill(stack, 100);
      await signIn(page, stack);
      await nav(page, 'Webhook').click();
      const row = page.getByRole('row').filter({ hasText: outTradeNo });
      await expect(async () => {
        await page.reload();
        await expect(row).toContainText('down for maintenance', { timeout: 500 });
      }).toPass({ timeout: 10_000 });
      stack.merchant.down = false;
      const before = stack.merchant.received();
      await row.getByRole('button', { name: /立即重发/ }).click();
      await expect(page.getByRole('status').filter({ hasText: '已安排立即重发' })).toBeVisible();
      await expect(row).toHaveCount(0, { timeout: 10_000 });
      expect(stack.merchant.received()).toBe(before + 1);
      await nav(page, '概览').click();
      await expect(page.getByText('待发送 0，失败 0')).toBeVisible();
    });

    test('reorders channels by drag and by keyboard, saves, and a fresh page shows the new order in its picker', async ({ page, context, stack }) => {
      await signIn(page, stack);
      await nav(page, '按钮设置').click();
      if (storeKind === 'memory') await expect(page.getByRole('note')).toContainText('重启后会丢失');
      else await expect(page.getByRole('note')).toHaveCount(0);
      await expect(page.getByText('来自应用配置文件（SPAY_APPS）').first()).toBeVisible();
      const enabled = page.getByRole('list', { name: /已启用/ });
      // Drag 银联 onto 支付宝: it goes first.
      await enabled.locator('li[data-channel="un"]').dragTo(enabled.locator('li[data-channel="ali"]'));
      await expect(enabled.getByRole('listitem').first()).toContainText('银联（un）');
      // Keyboard: 京东支付 up once, with focus kept on its button.
      await page.getByRole('button', { name: '上移 京东支付（jd）' }).focus();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('button', { name: '上移 京东支付（jd）' })).toBeFocused();
      // Disable 百度钱包.
      await page.getByRole('button', { name: '停用 百度钱包（bd）' }).click();
      await page.getByRole('button', { name: '保存渠道' }).click();
      await expect(page.getByRole('status').filter({ hasText: '已保存渠道' })).toContainText('5 分钟');
      await expect(page.getByText('来自控制台设置（保存在存储中，优先于配置文件）').first()).toBeVisible();
      expect(stack.lines.filter((line) => line.includes(' set channels')).map((line) => line.replace(/ \(session .*?\)/, ''))).toEqual(['console: app spay-demo-app set channels un,ali,wxmp,jd,wx,yee']);

      const fresh = await context.newPage();
      await fresh.goto(`${stack.gateway.url}/console/#/settings`);
      await fresh.getByRole('button', { name: /试一试/ }).click();
      await expect(dialog(fresh).locator('ul button').first()).toBeVisible();
      const names = await dialog(fresh).locator('ul button').allInnerTexts();
      expect(names.map((name) => name.replace(/^\S\s*/, '').trim())).toEqual(['银联', '支付宝', '微信扫码', '京东支付', '易宝支付']);
    });

    test("sessions of two apps never see each other's bills", async ({ browser, stack }) => {
      const mine = await paidBill(stack, 100, DEMO_APP);
      const theirs = await paidBill(stack, 100, OTHER_APP);
      const a = await (await browser.newContext()).newPage();
      const b = await (await browser.newContext()).newPage();
      await signIn(a, stack, DEMO_APP);
      await signIn(b, stack, OTHER_APP);
      await nav(a, '账单').click();
      await nav(b, '账单').click();
      await expect(a.getByRole('link', { name: mine.outTradeNo })).toBeVisible();
      await expect(a.getByRole('link', { name: theirs.outTradeNo })).toHaveCount(0);
      await expect(b.getByRole('link', { name: theirs.outTradeNo })).toBeVisible();
      await expect(b.getByRole('link', { name: mine.outTradeNo })).toHaveCount(0);
      await b.goto(`${stack.gateway.url}/console/#/bills/${mine.id}`);
      await expect(b.getByRole('alert')).toHaveText(/no such bill of this app/);
      await a.context().close();
      await b.context().close();
    });
  });
}

test('every console page has no serious axe finding and fits a 390 px phone', async ({ page, stack }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const { outTradeNo, id } = await paidBill(stack, 250);
  await page.goto(`${stack.gateway.url}/console/`);
  expect(await seriousViolations(page, null)).toEqual([]);
  await signIn(page, stack);
  for (const [hash, heading] of [
    ['#/', '概览'],
    ['#/bills', '账单'],
    [`#/bills/${id}`, `账单 ${outTradeNo}`],
    ['#/webhooks', '失败的 Webhook'],
    ['#/settings', '按钮设置'],
  ] as const) {
    await page.goto(`${stack.gateway.url}/console/${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page, null), hash).toEqual([]);
    await expectFitsPhone(page);
  }
  await expect(page.locator('svg.chart')).toHaveCount(0);
  await page.goto(`${stack.gateway.url}/console/#/`);
  await expect(page.getByRole('img', { name: /近 30 天每日收款柱状图/ })).toBeVisible();
});

test('signs in and refunds with the keyboard alone', async ({ page, stack }) => {
  const { outTradeNo, id } = await paidBill(stack, 200);
  await page.goto(`${stack.gateway.url}/console/`);
  await expect(page.getByRole('heading', { level: 1, name: '商户控制台登录' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('App ID')).toBeFocused();
  await page.keyboard.type(DEMO_APP.appId);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_APP.masterSecret);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: '概览' })).toBeFocused();
  await page.goto(`${stack.gateway.url}/console/#/bills/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `账单 ${outTradeNo}` })).toBeVisible();
  await page.getByLabel(/退款金额/).focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: '确认退款' });
  await expect(confirm.getByRole('button', { name: '确认退款 ¥2.00' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(confirm.getByRole('button', { name: '确认退款 ¥2.00' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: '已退款 ¥2.00' })).toBeVisible();
  await expect(page.getByText('此账单已全部退款。')).toBeVisible();
});
