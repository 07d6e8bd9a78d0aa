import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { DEMO_APP } from '../gateway/apps';
import { parseUnionpayConfig } from '../gateway/channels/unionpay/config';
import { type UnionpayEmulator, startUnionpayEmulator } from '../gateway/channels/unionpay/testing/emulator';
import { loadUnionpayTestCa } from '../gateway/channels/unionpay/testing/test-ca';
import { type WechatEmulator, startWechatEmulator } from '../gateway/channels/wechat/testing/emulator';
import { emulatorMerchant, newTestMerchant, testWechatConfig } from '../gateway/channels/wechat/testing/merchant';
import { listen } from '../gateway/http/listen';
import { type RunningGateway, startGateway } from '../gateway/server';
import { createMerchant } from '../demo/merchant';
import { IPHONE, WECHAT } from './support/devices';
import { decodeQr } from './support/qr';
import { dialog, signedOrder } from './support/stack';

const BRIDGE = readFileSync(new URL('./fixtures/weixin-bridge.js', import.meta.url), 'utf8');
const JSAPI_PAGE = readFileSync(new URL('./fixtures/wechat-jsapi.html', import.meta.url), 'utf8');
const MER_ID = '777290058110048';

interface LiveStack {
  merchantUrl: string;
  gateway: RunningGateway;
  wechat: WechatEmulator;
  unionpay: UnionpayEmulator;
  /** Where the WeixinJSBridge stand-in asks "WeChat's server" to pay: it pays through the emulator's payJsapi. */
  bridgePayUrl: string;
  /** A page of this spec's own: the JSAPI fixture with `order`. */
  jsapiPage(order: Record<string, unknown>): string;
}

// The demo shop and gateway, the demo app with live.wechat (H5 on) and live.unionpay pointing at the emulators.
const test = base.extend<{ live: LiveStack }>({
  live: async ({}, use) => {
    const merchantKeys = newTestMerchant();
    const wechat = await startWechatEmulator({ merchants: [emulatorMerchant(merchantKeys)], notifyRetryDelaysMs: [100, 100] });
    const ca = loadUnionpayTestCa();
    const dir = mkdtempSync(join(tmpdir(), 'spay-e2e-unionpay-'));
    writeFileSync(join(dir, 'sign.pfx'), ca.merchant.pfx);
    const unionpay = await startUnionpayEmulator({
      merchants: [{ merId: MER_ID, certPem: ca.merchant.certPem }],
      signer: { certPem: ca.unionpay.certPem, keyPem: ca.unionpay.keyPem },
      notifyRetryDelaysMs: [100, 100],
    });
    let gatewayUrl = '';
    const merchant = createMerchant({ app: DEMO_APP, gatewayUrl: () => gatewayUrl, log: () => {} });
    // A merchant going live with UnionPay adds its gateway to form-action, as README says.
    const site = await listen(
      async (request) => {
        const response = await merchant.handle(request);
        const policy = response.headers.get('Content-Security-Policy');
        if (policy === null) return response;
        const headers = new Headers(response.headers);
        headers.set('Content-Security-Policy', policy.replace('form-action ', `form-action ${unionpay.url} `));
        return new Response(response.body, { status: response.status, headers });
      },
      { port: 0, host: '127.0.0.1', log: () => {} },
    );
    const pages = new Map<string, string>();
    const helper = await listen(
      async (request) => {
        const url = new URL(request.url);
        const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type' };
        if (url.pathname === '/bridge-pay' && request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
        if (url.pathname === '/bridge-pay') {
          const { params, result } = (await request.json()) as { params: Parameters<WechatEmulator['payJsapi']>[0]; result: string };
          if (!wechat.checkJsapiPaySign(params)) return Response.json({ err_msg: 'get_brand_wcpay_request:fail' }, { headers: cors });
          if (result === 'ok') await wechat.payJsapi(params);
          return Response.json({ err_msg: `get_brand_wcpay_request:${result}` }, { headers: cors });
        }
        const html = pages.get(url.pathname);
        return html === undefined ? new Response('not found', { status: 404 }) : new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      },
      { port: 0, host: '127.0.0.1', log: () => {} },
    );
    const gateway = await startGateway({
      apps: [
        {
          ...DEMO_APP,
          channels: [...DEMO_APP.channels],
          webhookUrl: `${site.url}/webhook`,
          live: {
            wechat: testWechatConfig(merchantKeys, wechat, { h5: true }),
            unionpay: parseUnionpayConfig(
              { merId: MER_ID, signCert: 'sign.pfx', signCertPassword: ca.merchant.password, rootCert: ca.root.certPem, middleCert: ca.middle.certPem, endpoint: unionpay.url },
              'e2e.live.unionpay',
              { baseDir: dir },
            ),
          },
        },
      ],
      port: 0,
      webhookBackoffMs: 50,
      log: () => {},
      live: { sweepMs: 0, queryIntervalMs: 500 },
    });
    gatewayUrl = gateway.url;
    let count = 0;
    await use({
      merchantUrl: site.url,
      gateway,
      wechat,
      unionpay,
      bridgePayUrl: `${helper.url}/bridge-pay`,
      jsapiPage(order) {
        const values: Record<string, unknown> = { gateway: gateway.url, appId: DEMO_APP.appId, order };
        const path = `/jsapi-${++count}.html`;
        pages.set(path, JSAPI_PAGE.replace(/\{\{(\w+)\}\}/g, (_, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : JSON.stringify(values[key]))));
        return helper.url + path;
      },
    });
    await gateway.close();
    await wechat.close();
    await unionpay.close();
    await site.close();
    await helper.close();
    rmSync(dir, { recursive: true, force: true });
  },
});

async function latestBill(live: LiveStack) {
  return (await live.gateway.gateway.store.listBills({ limit: 1 }))[0];
}

async function expectOneVerifiedWebhook(live: LiveStack, channel: string): Promise<void> {
  await expect
    .poll(async () => ((await (await fetch(`${live.merchantUrl}/api/orders`)).json()) as Array<{ status: string; channel: string; webhooks: number }>)[0])
    .toMatchObject({ status: 'paid', channel, webhooks: 1 });
}

test('desktop WeChat QR: the code on screen is WeChat’s code_url; paying it shows success and returns to the shop', async ({ page, live }) => {
  await page.goto(live.merchantUrl);
  await page.getByRole('button', { name: '立即购买' }).click();
  await dialog(page).getByRole('button', { name: '微信扫码' }).click();
  const code = dialog(page).getByRole('img', { name: '支付二维码' });
  await expect(code).toBeVisible();
  const scanned = await decodeQr(code);
  expect(scanned).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  const bill = await latestBill(live);
  expect(live.wechat.trade(bill?.out_trade_no ?? '')?.code_url).toBe(scanned);
  await live.wechat.pay(bill?.out_trade_no ?? '');
  await expect(dialog(page).getByText('支付成功').first()).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`^${live.merchantUrl}/return\\?`), { timeout: 15_000 });
  await expectOneVerifiedWebhook(live, 'WX_NATIVE');
});

test.describe('inside WeChat', () => {
  test.use(WECHAT);

  async function withBridge(page: Page, live: LiveStack, answer: string) {
    await page.addInitScript(`window.__bridgeConfig = ${JSON.stringify({ payUrl: live.bridgePayUrl, answer })};`);
    await page.addInitScript(BRIDGE);
  }
  const events = (page: Page) => page.locator('#events li');

  test('JSAPI ok: the bridge gets WeChat’s RSA-signed parameters unchanged, the emulator pays, finish and success fire', async ({ page, live }) => {
    await withBridge(page, live, 'ok');
    await page.goto(live.jsapiPage({ ...signedOrder(), openid: 'o-live-buyer-1' }));
    await page.getByRole('button', { name: 'pay' }).tap();
    await expect(events(page)).toHaveCount(3);
    await expect(events(page).nth(0)).toContainText('finish {"err_msg":"get_brand_wcpay_request:ok"}');
    await expect(events(page).nth(1)).toContainText('success');
    const calls = await page.evaluate(() => (window as unknown as { __bridge: { calls: { params: Record<string, string> }[] } }).__bridge.calls);
    expect(calls[0]?.params).toMatchObject({ signType: 'RSA', timeStamp: expect.stringMatching(/^\d{10}$/) });
    expect(live.wechat.checkJsapiPaySign(calls[0]?.params as Parameters<WechatEmulator['checkJsapiPaySign']>[0])).toBe(true);
    await expect.poll(async () => (await latestBill(live))?.status).toBe('PAID');
  });

  for (const answer of ['cancel', 'fail'] as const) {
    test(`JSAPI ${answer}: finish and fail fire once each, nothing is paid at WeChat`, async ({ page, live }) => {
      await withBridge(page, live, answer);
      await page.goto(live.jsapiPage({ ...signedOrder(), openid: 'o-live-buyer-2' }));
      await page.getByRole('button', { name: 'pay' }).tap();
      await expect(events(page).nth(0)).toContainText(`finish {"err_msg":"get_brand_wcpay_request:${answer}"}`);
      await expect(events(page).nth(1)).toContainText('fail');
      const bill = await latestBill(live);
      expect(live.wechat.trade(bill?.out_trade_no ?? '')?.trade_state).toBe('NOTPAY');
    });
  }
});

test.describe('on an iPhone', () => {
  test.use(IPHONE);

  test('wxmp becomes WeChat H5: the phone goes to WeChat’s h5_url, and back through the gateway to the shop', async ({ page, live }) => {
    // WeChat's H5 middle page is on the internet; here a stand-in shows where the buyer would be.
    await page.route('https://wx.tenpay.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>微信支付</title><h1>正在跳转微信</h1>' }));
    await page.goto(live.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).tap();
    await dialog(page).getByRole('button', { name: '微信扫码' }).tap();
    await expect(page).toHaveURL(/^https:\/\/wx\.tenpay\.com\/cgi-bin\/mmpayweb-bin\/checkmweb\?/);
    const back = new URL(page.url()).searchParams.get('redirect_url') ?? '';
    expect(back).toMatch(new RegExp(`^${live.gateway.url}/return/wechat/`));
    const bill = await latestBill(live);
    expect(bill?.channel).toBe('WX_WAP');
    await live.wechat.pay(bill?.out_trade_no ?? '');
    await page.goto(back);
    await expect(page).toHaveURL(new RegExp(`^${live.merchantUrl}/return\\?`));
    expect(new URL(page.url()).searchParams.get('trade_success')).toBe('true');
    await expectOneVerifiedWebhook(live, 'WX_WAP');
  });
});

test('UnionPay PC: the form goes to UnionPay’s cashier, 确认付款 returns the buyer by POST through the gateway to the shop', async ({ page, live }) => {
  await page.goto(live.merchantUrl);
  await page.getByRole('button', { name: '立即购买' }).click();
  await dialog(page).getByRole('button', { name: '银联', exact: true }).click();
  await expect(page.getByRole('heading', { name: '银联在线支付（模拟收银台）' })).toBeVisible();
  await expect(page.getByText('¥68.00')).toBeVisible();
  await expect(page.getByText('电脑网页支付')).toBeVisible();
  await page.getByRole('button', { name: '确认付款' }).click();
  await expect(page).toHaveURL(new RegExp(`^${live.merchantUrl}/return\\?`));
  expect(new URL(page.url()).searchParams.get('trade_success')).toBe('true');
  await expectOneVerifiedWebhook(live, 'UN_WEB');
});
