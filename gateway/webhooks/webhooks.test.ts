import { afterEach, describe, expect, it } from 'vitest';
import { verifyLegacyWebhookSign, verifyWebhook } from '../../server-sign';
import type { App } from '../apps';
import { billRequest, FULL_APP, signedBill, testServer } from '../testing/fixtures';
import { startReceiver, waitFor } from '../testing/receiver';
import { retryDelay, WEBHOOK_MAX_RETRIES } from './backoff';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(answer: Parameters<typeof startReceiver>[0], options: { backoffMs?: number; timeoutMs?: number } = {}) {
  const receiver = await startReceiver(answer);
  const app: App = { ...FULL_APP, webhookUrl: receiver.url };
  const server = await testServer({ apps: [app], webhookBackoffMs: options.backoffMs ?? 20, webhookTimeoutMs: options.timeoutMs ?? 2000 });
  cleanups.push(receiver.close, server.close);
  const pay = async (overrides: Record<string, unknown> = {}) => {
    const answer = (await (await server.gateway.handle(billRequest(signedBill(overrides, app), server.url))).json()) as { id: string };
    const started = performance.now();
    const response = await fetch(`${server.url}/sandbox/cashier/${answer.id}/pay`, { method: 'POST', redirect: 'manual' });
    return { id: answer.id, response, ms: performance.now() - started };
  };
  return { receiver, server, app, pay };
}

describe('webhook retry schedule', () => {
  it.each<[number, number]>([
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [17, 2 ** 17 * 1000],
  ])('waits retry %i for %i ms with the default base', (retry, ms) => {
    expect(retryDelay(retry, 2000)).toBe(ms);
  });

  it('retries 17 times, as BeeCloud does', () => {
    expect(WEBHOOK_MAX_RETRIES).toBe(17);
  });
});

describe('webhook delivery', () => {
  it('POSTs a signed JSON webhook for a paid bill', async () => {
    const { receiver, server, app, pay } = await setup((_n, res) => res.end('success'));
    const { id } = await pay({ channel: 'WX_NATIVE', amount: '6800', optional: { shop: 'demo', n: 2 } });
    await waitFor(() => receiver.received.length === 1);
    await server.gateway.webhooks.idle();
    const [hit] = receiver.received;
    expect(hit?.contentType).toBe('application/json');
    const body = JSON.parse(hit?.body ?? '');
    const bill = (await server.gateway.store.getBill(id));
    expect(body).toMatchObject({
      app_id: app.appId,
      channel_type: 'WX',
      sub_channel_type: 'WX_NATIVE',
      transaction_type: 'PAY',
      transaction_id: bill?.out_trade_no,
      transaction_fee: 6800,
      trade_success: true,
      message_detail: { bill_id: id, channel: 'WX_NATIVE', paid_at: bill?.paid_at, sandbox: true },
      optional: { shop: 'demo', n: 2 },
    });
    expect(Math.abs(body.timestamp - Date.now())).toBeLessThan(5000);
    expect(verifyWebhook(hit?.body, app.masterSecret)).toMatchObject({ ok: true });
    expect(verifyLegacyWebhookSign(hit?.body, app.appId, app.appSecret)).toEqual({ ok: true });
    expect(await server.gateway.store.getDelivery('bill', id)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect((await server.gateway.webhooks.pending())).toBe(0);
    expect(server.lines.join('\n')).not.toContain(app.masterSecret);
  });

  it('sends an empty optional object when the order had none, and one webhook for two payments', async () => {
    const { receiver, server, pay } = await setup((_n, res) => res.end('  success\n'));
    const { id } = await pay();
    await fetch(`${server.url}/sandbox/cashier/${id}/pay`, { method: 'POST', redirect: 'manual' });
    await waitFor(() => receiver.received.length === 1);
    await server.gateway.webhooks.idle();
    expect(JSON.parse(receiver.received[0]?.body ?? '').optional).toEqual({});
    expect(receiver.received).toHaveLength(1);
  });

  it('retries with growing gaps until the body is exactly success', async () => {
    const { receiver, server, pay } = await setup((attempt, res) => {
      if (attempt === 1) res.writeHead(500).end('oops');
      else if (attempt === 2) res.end('fail');
      else res.end('success');
    });
    const { id } = await pay();
    await waitFor(() => receiver.received.length === 3);
    await server.gateway.webhooks.idle();
    const [first, second, third] = receiver.received.map((hit) => hit.at);
    const gap1 = (second as number) - (first as number);
    const gap2 = (third as number) - (second as number);
    // Each gap is at least its scheduled delay (20 ms, then 40 ms); a busy machine may only add to either.
    expect(gap1).toBeGreaterThanOrEqual(19);
    expect(gap2).toBeGreaterThanOrEqual(39);
    expect((await server.gateway.store.getDelivery('bill', id))).toMatchObject({ state: 'delivered', attempts: 3 });
    const attempts = server.lines.filter((line) => line.startsWith(`webhook bill ${id}`));
    expect(attempts).toHaveLength(3);
    expect(attempts[0]).toMatch(/attempt 1: HTTP 500.*retry 1 of 17 in 20 ms/);
    expect(attempts[1]).toMatch(/attempt 2: HTTP 200, body "fail" is not "success"; retry 2 of 17 in 40 ms/);
    expect(attempts[2]).toMatch(/attempt 3: HTTP 200 success; delivered/);
  });

  it('retries when the merchant cannot be reached', async () => {
    const { receiver, server, pay } = await setup((_n, res) => res.end('success'));
    await receiver.close();
    const { id } = await pay();
    await waitFor(async () => ((await server.gateway.store.getDelivery('bill', id))?.attempts ?? 0) >= 2);
    expect((await server.gateway.store.getDelivery('bill', id))).toMatchObject({ state: 'pending' });
    expect(server.lines.find((line) => line.includes(`bill ${id}`) && line.includes('attempt 1'))).toMatch(/request failed \(ECONNREFUSED\)/);
    expect((await server.gateway.webhooks.pending())).toBe(1);
  });

  it('never holds up the cashier redirect or new bills when the merchant does not answer', async () => {
    const { receiver, server, pay } = await setup(() => undefined, { timeoutMs: 10_000 });
    const { id, response, ms } = await pay();
    expect(response.status).toBe(303);
    expect(ms).toBeLessThan(1000);
    await waitFor(() => receiver.received.length === 1);
    const started = performance.now();
    const next = await server.gateway.handle(billRequest(signedBill({}, { ...FULL_APP, webhookUrl: receiver.url }), server.url));
    expect(((await next.json()) as { result_code: number }).result_code).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await server.gateway.webhooks.pending())).toBe(1);
    expect((await server.gateway.store.getDelivery('bill', id))?.state).toBe('pending');
  });

  it('gives up an attempt after the timeout and schedules the next', async () => {
    const { server, pay } = await setup(() => undefined, { timeoutMs: 50, backoffMs: 10_000 });
    const { id } = await pay();
    await waitFor(() => server.lines.some((line) => line.includes(`bill ${id}`) && line.includes('attempt 1')));
    expect(server.lines.find((line) => line.includes(`bill ${id}`))).toMatch(/no answer within 50 ms; retry 1 of 17 in 10000 ms/);
  });

  it('logs once, and sends nothing, for an app without a webhook URL', async () => {
    const server = await testServer();
    cleanups.push(server.close);
    const answer = (await (await server.gateway.handle(billRequest(signedBill(), server.url))).json()) as { id: string };
    await fetch(`${server.url}/sandbox/cashier/${answer.id}/pay`, { method: 'POST', redirect: 'manual' });
    await server.gateway.webhooks.idle();
    expect(server.lines.filter((line) => line.includes('no webhook URL'))).toHaveLength(1);
    expect(await server.gateway.store.getDelivery('bill', answer.id)).toMatchObject({ state: 'none', attempts: 0 });
  });

  it('cancels scheduled retries on close, leaving the webhook pending in the store for a later run', async () => {
    const { receiver, server, pay } = await setup((_n, res) => res.end('fail'), { backoffMs: 100 });
    const { id } = await pay();
    await waitFor(async () => receiver.received.length === 1 && (await server.gateway.webhooks.pending()) === 1 && server.lines.some((line) => line.includes('retry 1')));
    await server.gateway.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received).toHaveLength(1);
    expect(await server.gateway.store.getDelivery('bill', id)).toMatchObject({ state: 'pending', attempts: 1 });
  });
});
