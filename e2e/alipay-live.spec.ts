import { test as base, expect } from '@playwright/test';
import { DEMO_APP } from '../gateway/apps';
import { parseAlipayCredentials } from '../gateway/channels/alipay/credentials';
import { type AlipayEmulator, generateRsaKeys, startAlipayEmulator } from '../gateway/channels/alipay/testing/alipay-emulator';
import { listen } from '../gateway/http/listen';
import { type RunningGateway, startGateway } from '../gateway/server';
import { createMerchant } from '../demo/merchant';
import { IPHONE } from './support/devices';
import { dialog } from './support/stack';

const ALIPAY_APP_ID = '2021000000000777';

interface LiveStack {
  merchantUrl: string;
  gateway: RunningGateway;
  emulator: AlipayEmulator;
  merchant: ReturnType<typeof createMerchant>;
}

// The demo shop and gateway as in the other specs, but the demo app has live.alipay pointing at the emulator.
const test = base.extend<{ live: LiveStack }>({
  live: async ({}, use) => {
    const keys = generateRsaKeys();
    const emulator = await startAlipayEmulator({ appId: ALIPAY_APP_ID, appPublicKey: keys.publicKey, notifyRetryMs: 100 });
    let gatewayUrl = '';
    const merchant = createMerchant({ app: DEMO_APP, gatewayUrl: () => gatewayUrl, log: () => {} });
    const emulatorOrigin = new URL(emulator.endpoint).origin;
    // A merchant going live adds Alipay's gateway to form-action, as README says.
    const site = await listen(
      async (request) => {
        const response = await merchant.handle(request);
        const policy = response.headers.get('Content-Security-Policy');
        if (policy === null) return response;
        const headers = new Headers(response.headers);
        headers.set('Content-Security-Policy', policy.replace('form-action ', `form-action ${emulatorOrigin} `));
        return new Response(response.body, { status: response.status, headers });
      },
      { port: 0, host: '127.0.0.1', log: () => {} },
    );
    const alipay = parseAlipayCredentials({ appId: ALIPAY_APP_ID, privateKey: keys.privateKey, alipayPublicKey: emulator.alipayPublicKey, endpoint: emulator.endpoint }, 'e2e');
    const gateway = await startGateway({
      apps: [{ ...DEMO_APP, channels: [...DEMO_APP.channels], webhookUrl: `${site.url}/webhook`, live: { alipay } }],
      port: 0,
      webhookBackoffMs: 50,
      log: () => {},
      live: { sweepMs: 0, queryIntervalMs: 500 },
    });
    gatewayUrl = gateway.url;
    await use({ merchantUrl: site.url, gateway, emulator, merchant });
    await gateway.close();
    await emulator.close();
    await site.close();
  },
});

async function expectOneVerifiedWebhook(live: LiveStack, channel: string): Promise<void> {
  await expect
    .poll(async () => ((await (await fetch(`${live.merchantUrl}/api/orders`)).json()) as Array<{ status: string; channel: string; webhooks: number }>)[0])
    .toMatchObject({ status: 'paid', channel, webhooks: 1 });
  expect(live.emulator.notifies.map((notify) => notify.answer)).toEqual(['success']);
}

test('pays with ALI_WEB at Alipay’s cashier and the shop gets one verified webhook', async ({ page, live }) => {
  await page.goto(live.merchantUrl);
  await page.getByRole('button', { name: '立即购买' }).click();
  await dialog(page).getByRole('button', { name: '支付宝', exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`^${live.emulator.endpoint.replace(/[.?]/g, '\\$&')}`));
  await expect(page.getByRole('heading', { name: '支付宝收银台（模拟）' })).toBeVisible();
  await expect(page.getByText('¥68.00')).toBeVisible();
  await expect(page.getByText('FAST_INSTANT_TRADE_PAY')).toBeVisible();
  await page.getByRole('button', { name: '确认付款' }).click();

  // Through the gateway's own return (verified, then a query) to the shop's return_url.
  await expect(page).toHaveURL(new RegExp(`^${live.merchantUrl}/return\\?`));
  expect(new URL(page.url()).searchParams.get('trade_success')).toBe('true');
  await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();
  await expectOneVerifiedWebhook(live, 'ALI_WEB');
});

test.describe('on an iPhone', () => {
  test.use(IPHONE);

  test('pays with ALI_WAP at Alipay’s WAP cashier and the shop gets one verified webhook', async ({ page, live }) => {
    await page.goto(live.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).tap();
    await dialog(page).getByRole('button', { name: '支付宝' }).tap();
    await expect(page.getByText('QUICK_WAP_WAY')).toBeVisible();
    await expect(page.getByText('¥68.00')).toBeVisible();
    await page.getByRole('button', { name: '确认付款' }).tap();
    await expect(page).toHaveURL(new RegExp(`^${live.merchantUrl}/return\\?`));
    await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();
    await expectOneVerifiedWebhook(live, 'ALI_WAP');
  });
});
