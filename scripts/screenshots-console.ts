/**
 * README's screenshot of the merchant console: the demo gateway's console signed in as the demo app, with a few paid
 * bills and a partial refund, on the overview (docs/console-overview.png) and a bill's page (docs/console-bill.png).
 */
import type { Browser } from 'playwright-core';
import { DEMO_APP } from '../gateway/apps';
import type { RunningDemo } from '../demo/server';

/** Takes the console's screenshots into `docs` (ending with a slash). */
export async function screenshotConsole(browser: Browser, demo: RunningDemo, docs: string): Promise<void> {
  const ids: string[] = [];
  // Orders the demo shop made, so that its webhook receiver knows and accepts them.
  for (const channel of ['ALI_WEB', 'WX_NATIVE', 'ALI_WEB', 'UN_WEB']) {
    const order = await (await fetch(`${demo.merchantUrl}/api/new-order?channel=${channel}`)).json();
    const bill = (await (
      await fetch(`${demo.gatewayUrl}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order) })
    ).json()) as { id: string };
    await fetch(`${demo.gatewayUrl}/sandbox/cashier/${bill.id}/pay`, { method: 'POST', redirect: 'manual' });
    ids.push(bill.id);
  }
  await demo.gateway.gateway.webhooks.idle();
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${demo.gatewayUrl}/console/`);
  await page.getByLabel('App ID').fill(DEMO_APP.appId);
  await page.getByLabel('Master Secret').fill(DEMO_APP.masterSecret);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('img', { name: /近 30 天每日收款/ }).waitFor();
  await page.screenshot({ path: `${docs}console-overview.png` });
  console.log('wrote docs/console-overview.png');
  await page.goto(`${demo.gatewayUrl}/console/#/bills/${ids[1]}`);
  await page.getByLabel(/退款金额/).fill('18.00');
  await page.getByRole('button', { name: '退款…' }).click();
  await page.getByRole('button', { name: /确认退款 ¥18.00/ }).click();
  await page.getByText('已退款 ¥18.00', { exact: false }).first().waitFor();
  await page.waitForTimeout(500);
  await page.reload();
  await page.getByRole('heading', { level: 2, name: '时间线' }).waitFor();
  await page.screenshot({ path: `${docs}console-bill.png`, fullPage: true });
  console.log('wrote docs/console-bill.png');
  await context.close();
}
