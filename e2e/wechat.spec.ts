import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ANDROID, WECHAT } from './support/devices';
import { countBillRequests, dialog, expect, signedOrder, test } from './support/stack';

const BRIDGE = readFileSync(new URL('./fixtures/weixin-bridge.js', import.meta.url), 'utf8');

test.use(WECHAT);

async function withBridge(page: Page, gatewayUrl: string, config: Record<string, unknown>) {
  await page.addInitScript(`window.__bridgeConfig = ${JSON.stringify({ payUrl: `${gatewayUrl}/sandbox/jsapi/pay`, ...config })};`);
  await page.addInitScript(BRIDGE);
}

const events = (page: Page) => page.locator('#events li');

test('JSAPI ok: getBrandWCPayRequest gets the mapped parameters, finish and success fire once, the bill is paid', async ({ page, fixtures, demo }) => {
  await withBridge(page, demo.gatewayUrl, { answer: 'ok' });
  const order = { ...signedOrder(), openid: 'o-sandbox-buyer-1' };
  await page.goto(await fixtures.url('wechat-jsapi', { order }));
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(events(page)).toHaveCount(3);
  await expect(events(page).nth(0)).toContainText('finish {"err_msg":"get_brand_wcpay_request:ok"}');
  await expect(events(page).nth(1)).toContainText('success');
  await expect(events(page).nth(2)).toContainText('"status":"paid"');
  const calls = await page.evaluate(() => (window as unknown as { __bridge: { calls: { name: string; params: Record<string, string> }[] } }).__bridge.calls);
  expect(calls).toHaveLength(1);
  expect(calls[0]?.name).toBe('getBrandWCPayRequest');
  expect(Object.keys(calls[0]?.params ?? {}).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
  const bill = (await demo.gateway.gateway.store.listBills({ limit: 1 }))[0];
  expect(bill).toMatchObject({ channel: 'WX_JSAPI', status: 'PAID', openid: 'o-sandbox-buyer-1' });
});

for (const answer of ['cancel', 'fail'] as const) {
  test(`JSAPI ${answer}: finish and fail fire once each, the bill stays unpaid`, async ({ page, fixtures, demo }) => {
    await withBridge(page, demo.gatewayUrl, { answer });
    await page.goto(await fixtures.url('wechat-jsapi', { order: { ...signedOrder(), openid: 'o-buyer' } }));
    await page.getByRole('button', { name: 'pay' }).tap();
    await expect(events(page)).toHaveCount(3);
    await expect(events(page).nth(0)).toContainText(`finish {"err_msg":"get_brand_wcpay_request:${answer}"}`);
    await expect(events(page).nth(1)).toContainText('fail');
    await expect(events(page).nth(2)).toContainText(answer === 'cancel' ? '"status":"cancelled"' : '"status":"failed"');
    expect((await demo.gateway.gateway.store.listBills({ limit: 1 }))[0]?.status).not.toBe('PAID');
  });
}

test('JSAPI waits for a bridge that appears late (WeixinJSBridgeReady)', async ({ page, fixtures, demo }) => {
  await withBridge(page, demo.gatewayUrl, { answer: 'ok', delayMs: 1500 });
  await page.goto(await fixtures.url('wechat-jsapi', { order: { ...signedOrder(), openid: 'o-buyer' } }));
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(events(page).nth(1)).toContainText('success', { timeout: 10_000 });
});

test('JSAPI with no bridge at all ends in a BRIDGE error', async ({ page, fixtures, demo }) => {
  test.setTimeout(40_000);
  await withBridge(page, demo.gatewayUrl, { absent: true });
  await page.goto(await fixtures.url('wechat-jsapi', { order: { ...signedOrder(), openid: 'o-buyer' } }));
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(events(page).first()).toContainText('"code":"BRIDGE"', { timeout: 20_000 });
});

test('JSAPI without an openid is a MISS_PARAM error naming openid, and no bill is made', async ({ page, fixtures, demo }) => {
  await withBridge(page, demo.gatewayUrl, { answer: 'ok' });
  await page.goto(await fixtures.url('wechat-jsapi', { order: { ...signedOrder(), instant_channel: 'wx' } }));
  const bills = countBillRequests(page);
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(events(page).first()).toContainText('"code":"MISS_PARAM"');
  await expect(events(page).first()).toContainText('"field":"openid"');
  expect(bills.count()).toBe(0);
});

test('Alipay inside WeChat shows the open-in-browser guide, and the same link carries on to Alipay in a browser', async ({ page, browser, fixtures, demo }) => {
  await page.goto(await fixtures.url('wechat-jsapi', { order: { ...signedOrder(), instant_channel: 'ali' } }));
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(page).toHaveURL(/\/alipay-guide\//);
  await expect(page.getByText('在浏览器打开')).toBeVisible();
  await expect(page.getByRole('img', { name: /右上角/ })).toBeVisible();
  const browserContext = await browser.newContext(ANDROID);
  const phoneBrowser = await browserContext.newPage();
  await phoneBrowser.goto(page.url());
  await expect(phoneBrowser).toHaveURL(/\/sandbox\/cashier\//);
  await expect(phoneBrowser.getByText('ALI_WAP')).toBeVisible();
  await browserContext.close();
});

test('with need_ali_guide false, Alipay inside WeChat goes straight to the channel', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('wechat-jsapi', { order: { ...signedOrder(), instant_channel: 'ali', need_ali_guide: false } }));
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
});

test('inside WeChat with an openid the picker is skipped for JSAPI; without one, WeChat QR is offered', async ({ page, fixtures, demo }) => {
  await withBridge(page, demo.gatewayUrl, { answer: 'cancel' });
  await page.goto(await fixtures.url('wechat-jsapi', { order: signedOrder() }));
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(dialog(page).getByRole('button', { name: '微信扫码' })).toBeVisible();
  await expect(dialog(page).getByRole('button', { name: '微信支付' })).toHaveCount(0);
  await dialog(page).getByRole('button', { name: '关闭' }).tap();

  await page.goto(await fixtures.url('wechat-jsapi', { order: { ...signedOrder(), openid: 'o-buyer' } }));
  await page.getByRole('button', { name: 'pay' }).tap();
  await expect(events(page).first()).toContainText('finish');
  await expect(page.locator('spay-modal')).toHaveCount(0);
});
