import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COMPILE_HINT } from '../../src/compile-hint';
import { DEFAULT_WIDGET_DIR } from '../handler';
import { createDatabase } from '../testing/postgres-cluster';
import { openPostgresStore } from '../stores/postgres/postgres-store';
import { chinaDate } from '../rest/refund-no';
import { ALI_APP, FULL_APP, billRequest, signedBill, testGateway } from '../testing/fixtures';
import { startReceiver, waitFor } from '../testing/receiver';
import { CONSOLE_CSP } from './console-routes';

const BASE = 'http://gateway.test';
let merchantDown = false;
const receiver = await startReceiver((_attempt, res) => res.end(merchantDown ? 'fail' : 'success'));
afterAll(() => receiver.close());
const postgresUrl = inject('postgresUrl');
// The console on the memory store and, where the test cluster runs, on PostgreSQL.
const KINDS = ['memory', ...(postgresUrl === '' ? [] : ['postgres'])];
let gateway: ReturnType<typeof testGateway>;
let kind = 'memory';

interface Signed {
  cookie: string;
  csrf: string;
}
const send = (path: string, init: RequestInit = {}) => gateway.handle(new Request(`${BASE}${path}`, init));
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

async function signIn(app = FULL_APP, secret = app.masterSecret): Promise<Response> {
  return send('/console/api/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ app_id: app.appId, master_secret: secret }) });
}
async function session(app = FULL_APP): Promise<Signed> {
  const response = await signIn(app);
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return { cookie, csrf: (await json(response)).csrf as string };
}
const get = (who: Signed, path: string) => send(`/console/api/${path}`, { headers: { Cookie: who.cookie } });
const post = (who: Signed, path: string, body: unknown, csrf = who.csrf) =>
  send(`/console/api/${path}`, { method: 'POST', headers: { Cookie: who.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) });

async function paidBill(fee = 300, app = FULL_APP): Promise<string> {
  const made = await json(await gateway.handle(billRequest(signedBill({ amount: fee }, app))));
  await send(`/sandbox/cashier/${made.id}/pay`, { method: 'POST' });
  return made.id as string;
}

describe.each(KINDS)('the console on the %s store', (storeKind) => {
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    kind = storeKind;
    const options: Parameters<typeof testGateway>[0] = { apps: [{ ...FULL_APP, webhookUrl: receiver.url }, ALI_APP], webhookBackoffMs: 60_000 };
    if (storeKind === 'postgres') {
      const database = await createDatabase(postgresUrl);
      drop = () => database.drop();
      options.store = await openPostgresStore(database.url);
    }
    gateway = testGateway(options);
  });
  afterAll(async () => {
    await gateway.close();
    await drop?.();
  });

  describe('console sign-in and sessions', () => {
    it('sets an HttpOnly, SameSite=Strict cookie scoped to /console, and names no secret in the page or the log', async () => {
      const response = await signIn();
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^spay_console=[^;]+; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=1800$/);
      const body = await response.text();
      expect(body).not.toContain(FULL_APP.masterSecret);
      expect(gateway.lines.join('\n')).not.toContain(FULL_APP.masterSecret);
      expect(gateway.lines).toContain(`console: app ${FULL_APP.appId} signed in from unknown`);
    });

    it('marks the cookie Secure behind an https public URL', async () => {
      const secure = testGateway({ publicUrl: 'https://pay.example.com' });
      const response = await secure.handle(
        new Request(`${BASE}/console/api/sign-in`, { method: 'POST', body: JSON.stringify({ app_id: ALI_APP.appId, master_secret: ALI_APP.masterSecret }), headers: { 'Content-Type': 'application/json' } }),
      );
      expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
      await secure.close();
    });

    it('refuses a wrong secret, then throttles the app and address after 5 failures', async () => {
      const fresh = testGateway();
      const attempt = () =>
        fresh.handle(new Request(`${BASE}/console/api/sign-in`, { method: 'POST', body: JSON.stringify({ app_id: ALI_APP.appId, master_secret: 'wrong' }), headers: { 'Content-Type': 'application/json' } }));
      for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
      const throttled = await attempt();
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(800);
      // The right secret is refused too until the window has passed: the throttle does not say which was right.
      const right = await fresh.handle(
        new Request(`${BASE}/console/api/sign-in`, { method: 'POST', body: JSON.stringify({ app_id: ALI_APP.appId, master_secret: ALI_APP.masterSecret }), headers: { 'Content-Type': 'application/json' } }),
      );
      expect(right.status).toBe(429);
      await fresh.close();
    });

    it('answers 401 without a session and for a forged token', async () => {
      expect((await send('/console/api/bills')).status).toBe(401);
      const { cookie } = await session();
      const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      expect((await send('/console/api/bills', { headers: { Cookie: forged } })).status).toBe(401);
    });

    it('refuses a change without the CSRF token, or from another origin', async () => {
      const who = await session();
      const id = await paidBill();
      const refundNo = `${chinaDate(Date.now())}CSRF${Date.now() % 100000}`;
      expect((await post(who, `bills/${id}/refund`, { refund_no: refundNo, refund_fee: 1 }, '')).status).toBe(403);
      const foreign = await send(`/console/api/bills/${id}/refund`, {
        method: 'POST',
        headers: { Cookie: who.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': who.csrf, Origin: 'https://evil.example' },
        body: JSON.stringify({ refund_no: refundNo, refund_fee: 1 }),
      });
      expect(foreign.status).toBe(403);
      expect(await gateway.store.findRefund(FULL_APP.appId, 'live', refundNo)).toBeUndefined();
    });

    it("never shows one app's bills to another app's session", async () => {
      const id = await paidBill(200, ALI_APP);
      const full = await session(FULL_APP);
      const ali = await session(ALI_APP);
      expect((await get(full, `bills/${id}`)).status).toBe(404);
      expect((await get(ali, `bills/${id}`)).status).toBe(200);
      const listed = (await json(await get(full, 'bills'))).bills as Array<{ id: string }>;
      expect(listed.map((bill) => bill.id)).not.toContain(id);
      expect((await post(full, `bills/${id}/refund`, { refund_no: `${chinaDate(Date.now())}X${Date.now()}`, refund_fee: 1 })).status).toBe(404);
    });
  });

  describe('console bills, refunds and webhooks', () => {
    it('filters bills by order number, status, channel, dates and mode, and pages them', async () => {
      const who = await session();
      const id = await paidBill(120);
      const bill = await gateway.store.getBill(id);
      const found = await json(await get(who, `bills?out_trade_no=${bill?.out_trade_no}&status=PAID`));
      expect(found).toMatchObject({ total: 1, page: 1, bills: [{ id, fee: 120, status: 'PAID' }] });
      expect((await json(await get(who, `bills?out_trade_no=${bill?.out_trade_no}&status=UNPAID`))).total).toBe(0);
      expect((await get(who, 'bills?status=NOPE')).status).toBe(400);
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      const no = `out_trade_no=${bill?.out_trade_no}`;
      expect((await json(await get(who, `bills?${no}&from=${today}&to=${today}&channel=ALI_WEB`))).total).toBe(1);
      expect((await json(await get(who, `bills?${no}&to=2000-01-01`))).total).toBe(0);
      expect((await json(await get(who, `bills?${no}&channel=WX_NATIVE`))).total).toBe(0);
      expect((await json(await get(who, `bills?${no}&mode=test`))).total).toBe(0);
      expect((await get(who, 'bills?from=yesterday')).status).toBe(400);
      const page = await json(await get(who, 'bills?page=1'));
      expect(page).toMatchObject({ page: 1, page_size: 20 });
      expect((page.bills as unknown[]).length).toBeLessThanOrEqual(20);
    });

    it('refunds part of a bill by the REST rules, logs it, and shows it and its webhook in the timeline', async () => {
      const who = await session();
      const id = await paidBill(300);
      const refundNo = `${chinaDate(Date.now())}C${Date.now()}`;
      const done = await post(who, `bills/${id}/refund`, { refund_no: refundNo, refund_fee: 100 });
      expect(done.status).toBe(200);
      expect(await json(done)).toMatchObject({ refund: { refund_no: refundNo, refund_fee: 100, status: 'SUCCESS' } });
      // The same refund_no again answers the same refund; more than is left is refused as /2/rest/refund refuses it.
      expect((await post(who, `bills/${id}/refund`, { refund_no: refundNo, refund_fee: 100 })).status).toBe(200);
      const over = await post(who, `bills/${id}/refund`, { refund_no: `${refundNo}9`, refund_fee: 201 });
      expect(over.status).toBe(409);
      expect((await json(over)).error).toMatch(/at most what is left to refund.*200 of its total_fee 300/);
      expect(gateway.lines.some((line) => line.startsWith(`console: app ${FULL_APP.appId} (session `) && line.includes(`refunded 100 fen of bill ${id}`) && line.includes(refundNo))).toBe(true);
      await waitFor(async () => ((await gateway.store.getDelivery('refund', (await gateway.store.findRefund(FULL_APP.appId, 'live', refundNo))?.id ?? ''))?.attempts ?? 0) > 0);
      const detail = await json(await get(who, `bills/${id}`));
      const texts = (detail.timeline as Array<{ text: string }>).map((event) => event.text);
      expect(texts[0]).toMatch(/^created/);
      expect(texts).toContain('paid');
      expect(texts).toContain(`refund ${refundNo} of 100 fen requested`);
      expect(texts.some((text) => text.startsWith(`REFUND webhook ${refundNo}: `))).toBe(true);
      expect(detail).toMatchObject({ refundable: 200, message_detail: expect.any(Object) });
    });

    it('sums paid bills today and over 30 days, day by day, and names each channel sandbox or live', async () => {
      const who = await session();
      const before = (await json(await get(who, 'overview'))) as { today: { fee: number; count: number } };
      await paidBill(1234);
      const overview = (await json(await get(who, 'overview'))) as Record<string, never> & {
        today: { fee: number; count: number };
        days: unknown[];
        last_30_days: { fee: number };
        channels: Array<{ key: string; live: boolean }>;
      };
      expect(overview.today).toMatchObject({ fee: before.today.fee + 1234, count: before.today.count + 1 });
      expect(overview.days).toHaveLength(30);
      expect(overview.last_30_days.fee).toBeGreaterThanOrEqual(overview.today.fee);
      expect(overview.channels.map((channel) => channel.key)).toEqual(FULL_APP.channels);
      expect(overview.channels.every((channel) => !channel.live)).toBe(true);
      expect(overview).toHaveProperty('webhooks.pending');
    });

    it('lists failing webhooks with their last answer and resends one now', async () => {
      const who = await session();
      merchantDown = true;
      const id = await paidBill(50);
      await waitFor(async () => ((await gateway.store.getDelivery('bill', id))?.attempts ?? 0) >= 1);
      const failing = (await json(await get(who, 'webhooks'))).webhooks as Array<Record<string, unknown>>;
      const row = failing.find((item) => item.subject_id === id);
      expect(row).toMatchObject({ kind: 'PAY', state: 'pending', last_result: expect.stringMatching(/fail/) });
      merchantDown = false;
      const before = receiver.received.length;
      expect((await post(who, 'webhooks/resend', { subject: 'bill', subject_id: id })).status).toBe(200);
      await waitFor(async () => (await gateway.store.getDelivery('bill', id))?.state === 'delivered');
      expect(receiver.received.length).toBe(before + 1);
      expect(gateway.lines.some((line) => line.includes(`resent the PAY webhook of bill ${id}`))).toBe(true);
    });
  });

  describe('console button settings', () => {
    it('keeps channels and webhook URL in the store, winning over the apps file, for new bills and new scripts', async () => {
      const who = await session(ALI_APP);
      const view = await json(await get(who, 'settings'));
      expect(view).toMatchObject({ channels: ['ali'], channels_from: 'file', webhook_url_from: 'file', store: { kind, durable: kind !== 'memory' } });
      expect(String(view.script_tag)).toContain(`returnscripts?appId=${ALI_APP.appId}`);
      // A channel the file does not enable is refused until the console enables it.
      expect((await json(await gateway.handle(billRequest(signedBill({ channel: 'UN_WEB' }, ALI_APP))))).result_msg).toBe('PAY_FACTOR_NOT_SET');
      const saved = await post(who, 'settings', { channels: ['un', 'ali'], webhook_url: 'https://shop.example.com/hook?t=1' });
      expect(await json(saved)).toMatchObject({ channels: ['un', 'ali'], channels_from: 'console', webhook_url: 'https://shop.example.com/hook?t=1', webhook_url_from: 'console' });
      expect(await gateway.store.getAppSettings(ALI_APP.appId)).toMatchObject({ channels: ['un', 'ali'] });
      expect((await json(await gateway.handle(billRequest(signedBill({ channel: 'UN_WEB' }, ALI_APP))))).result_code).toBe(0);
      const config = await json(await send(`/1/pay/jsbutton/config?appId=${ALI_APP.appId}`));
      expect(config.channels).toEqual(['un', 'ali']);
      expect(gateway.lines.some((line) => /^console: app test-app-ali \(session \S+ from unknown\) set channels un,ali; webhook URL to host shop.example.com$/.test(line))).toBe(true);
      expect((await post(who, 'settings', { channels: ['nope'] })).status).toBe(400);
      expect(await json(await post(who, 'settings', { reset: ['channels', 'webhook_url'] }))).toMatchObject({ channels: ['ali'], channels_from: 'file', webhook_url: null });
    });

    it('sends webhooks to the URL set in the console, which the apps file does not have', async () => {
      const other = await startReceiver((_n, res) => res.end('success'));
      const who = await session(ALI_APP);
      expect((await post(who, 'settings', { webhook_url: other.url })).status).toBe(200);
      const id = await paidBill(77, ALI_APP);
      await waitFor(async () => (await gateway.store.getDelivery('bill', id))?.state === 'delivered');
      expect(other.received).toHaveLength(1);
      expect((await post(who, 'settings', { reset: ['webhook_url'] })).status).toBe(200);
      await other.close();
    });

    it('serves the pages under a strict CSP', async () => {
      const moved = await send('/console');
      expect([moved.status, new URL(moved.headers.get('location') ?? '', `${BASE}/console`).pathname]).toEqual([308, '/console/']);
      const page = await send('/console/');
      expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
    });
  });
});

describe.skipIf(!existsSync(`${DEFAULT_WIDGET_DIR}/console/index.html`))('the built console', () => {
  it('has no inline script or style, hashed assets, and the compile hint first in each script', () => {
    const html = readFileSync(`${DEFAULT_WIDGET_DIR}/console/index.html`, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
    const assets = readdirSync(`${DEFAULT_WIDGET_DIR}/console/assets`);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const name of assets) {
      expect(name).toMatch(/^[\w-]+-[\w-]{8}\.(js|css)$/);
      if (name.endsWith('.js')) expect(readFileSync(`${DEFAULT_WIDGET_DIR}/console/assets/${name}`, 'utf8').split('\n')[0]).toBe(COMPILE_HINT);
    }
  });
});
