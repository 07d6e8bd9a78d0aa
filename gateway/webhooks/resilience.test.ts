import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { type Server, type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../apps';
import type { Bill } from '../bills/bill';
import { JOURNAL_FILE } from '../stores/journal/journal-store';
import { createMemoryStore } from '../stores/memory/memory-store';
import type { Store } from '../stores/store';
import type { GatewayOptions } from '../handler';
import { FULL_APP, newOrderNo, signedBill, testServer } from '../testing/fixtures';
import { startReceiver, waitFor } from '../testing/receiver';
import { retryDelay } from './backoff';

const BACKOFF_MS = 40;
// Long enough that a loaded machine answers a refused connection or a quick merchant within it.
const TIMEOUT_MS = 250;
// Node may run a timer up to a millisecond early (it rounds the loop's clock), never later than it must.
const TIMER_SLACK_MS = 2;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

type Endpoint = { url: string; close(): Promise<void> };

/** An HTTP endpoint that answers every request with `answer`. */
function httpEndpoint(answer: (res: ServerResponse) => void): Promise<Endpoint> {
  return startReceiver((_n, res) => answer(res));
}

/** A TCP endpoint that does not speak HTTP: it writes `reply` to every connection and closes it. */
async function rawEndpoint(reply: string): Promise<Endpoint> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.end(reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens: a port that was free a moment ago. */
async function downEndpoint(): Promise<Endpoint> {
  const receiver = await startReceiver(() => undefined);
  await receiver.close();
  return { url: receiver.url, close: async () => undefined };
}

/** A gateway whose app's webhook goes to `url`, with a log that keeps each line's time. */
async function gatewayFor(url: string, options: Partial<GatewayOptions> = {}) {
  const app: App = { ...FULL_APP, webhookUrl: url };
  const lines: Array<{ at: number; text: string }> = [];
  const server = await testServer({
    apps: [app],
    webhookBackoffMs: BACKOFF_MS,
    webhookTimeoutMs: TIMEOUT_MS,
    log: (text) => lines.push({ at: performance.now(), text }),
    ...options,
  });
  cleanups.push(server.close);
  const createBill = async (): Promise<{ result_code: number; id: string }> => {
    const response = await fetch(`${server.url}/1/pay/jsbutton/bill`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(signedBill({}, app)),
    });
    return (await response.json()) as { result_code: number; id: string };
  };
  return { app, server, lines, createBill };
}

describe('a merchant endpoint that is down, slow or answers garbage', () => {
  it.each<[string, () => Promise<Endpoint>, RegExp]>([
    ['refuses connections', downEndpoint, /request failed \(ECONNREFUSED\)/],
    [
      'answers only after the attempt timeout',
      () =>
        httpEndpoint((res) => {
          const late = setTimeout(() => res.end('success'), TIMEOUT_MS * 5);
          res.on('close', () => clearTimeout(late));
        }),
      new RegExp(`no answer within ${TIMEOUT_MS} ms`),
    ],
    ['answers "ok"', () => httpEndpoint((res) => res.end('ok')), /HTTP 200, body "ok" is not "success"/],
    [
      'answers an HTML page that mentions success',
      () => httpEndpoint((res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>success</body></html>')),
      /HTTP 200, body "<html><body>success<\/body><\/html>" is not "success"/,
    ],
    [
      'streams a body that never ends',
      () =>
        httpEndpoint((res) => {
          const chunk = 'x'.repeat(16 * 1024);
          const flood = setInterval(() => res.write(chunk), 1);
          res.on('close', () => clearInterval(flood));
        }),
      /HTTP 200, body longer than 1024 bytes is not "success"/,
    ],
    ['answers 200 with an empty body', () => httpEndpoint((res) => res.end()), /HTTP 200, body "" is not "success"/],
    ['answers success with HTTP 500', () => httpEndpoint((res) => res.writeHead(500).end('success')), /HTTP 500 is not a 2xx answer \(body "success"\)/],
    ['redirects', () => httpEndpoint((res) => res.writeHead(302, { Location: '/elsewhere' }).end()), /HTTP 302 is not a 2xx answer/],
    ['hangs up without answering', () => httpEndpoint((res) => res.socket?.destroy()), /request failed \((UND_ERR_SOCKET|ECONNRESET)\)/],
    // llhttp's code, or (undici on Node 20.20) its sentence without one.
    ['does not speak HTTP', () => rawEndpoint('garbage\r\n\r\n'), /request failed \((HPE_\w+|Response does not match the HTTP\/1\.1 protocol.*)\)/],
  ])('when it %s: retries on schedule and never holds up bill creation', async (_name, start, failure) => {
    const endpoint = await start();
    cleanups.push(endpoint.close);
    const { server, lines, createBill } = await gatewayFor(endpoint.url);
    const paid = await createBill();
    const pay = await fetch(`${server.url}/sandbox/cashier/${paid.id}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);

    const attemptLines = () => lines.filter((line) => line.text.startsWith(`webhook bill ${paid.id}`));
    await waitFor(() => attemptLines().length >= 3);
    const attempts = attemptLines().slice(0, 3);
    attempts.forEach((line, index) => {
      const retry = index + 1;
      expect(line.text).toMatch(failure);
      expect(line.text).toMatch(new RegExp(`attempt ${retry}: .*; retry ${retry} of 17 in ${retryDelay(retry, BACKOFF_MS)} ms$`));
    });
    // Each attempt ends at least its scheduled delay after the previous one ended (40 ms, then 80 ms).
    for (const retry of [1, 2]) {
      const gap = (attempts[retry]?.at as number) - (attempts[retry - 1]?.at as number);
      expect(gap).toBeGreaterThanOrEqual(retryDelay(retry, BACKOFF_MS) - TIMER_SLACK_MS);
    }

    // The merchant keeps failing, so delivery is pending throughout; bills are created all the same.
    const created = await Promise.all(Array.from({ length: 20 }, () => createBill()));
    expect(created.map((answer) => answer.result_code)).toEqual(Array(20).fill(0));
    expect(new Set(created.map((answer) => answer.id)).size).toBe(20);
    expect((await server.gateway.webhooks.pending())).toBe(1);
    expect((await server.gateway.store.getDelivery('bill', paid.id))).toMatchObject({ state: 'pending' });
    expect((await server.gateway.store.getDelivery('bill', paid.id))?.attempts).toBeGreaterThanOrEqual(3);
  });
});

describe('webhooks after a restart', () => {
  it('sends a retry that fell due while the gateway was down at once, and waits for one still due', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'spay-resume-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const arrivals = new Map<string, number>();
    const receiver = await startReceiver((_n, res) => res.end('success'));
    cleanups.push(receiver.close);

    // What a gateway of the previous release, stopped mid-retry, left in its journal (one bill a line, its webhook's
    // state on it): one retry overdue, one 400 ms ahead.
    const paidBill = (id: string, attempts: number, nextAttemptAt: number): Bill & { webhook: object } => ({
      id,
      app_id: FULL_APP.appId,
      out_trade_no: newOrderNo(),
      title: 't',
      amount: 1,
      fee: 1,
      channel: 'ALI_WEB',
      use_app: true,
      status: 'PAID',
      created_at: new Date().toISOString(),
      paid_at: new Date().toISOString(),
      webhook: { state: 'pending', attempts, next_attempt_at: new Date(nextAttemptAt).toISOString(), last_result: 'HTTP 500' },
    });
    const dueLater = Date.now() + 400;
    const lines = [paidBill('overdue', 3, Date.now() - 60_000), paidBill('later', 1, dueLater)].map((bill) => `${JSON.stringify(bill)}\n`);
    writeFileSync(join(dataDir, JOURNAL_FILE), lines.join(''));

    const { server, lines: log } = await gatewayFor(receiver.url, { dataDir });
    expect((await server.gateway.webhooks.pending())).toBe(2);
    const record = () => {
      for (const hit of receiver.received) {
        const id = (JSON.parse(hit.body) as { message_detail: { bill_id: string } }).message_detail.bill_id;
        if (!arrivals.has(id)) arrivals.set(id, Date.now());
      }
      return arrivals.size;
    };
    await waitFor(() => record() >= 1);
    expect([...arrivals.keys()]).toEqual(['overdue']);
    await server.gateway.webhooks.idle();
    record();
    expect(arrivals.get('later')).toBeGreaterThanOrEqual(dueLater - TIMER_SLACK_MS);
    // The attempt count carries on from the journal.
    expect(log.map((line) => line.text).filter((text) => text.includes('delivered'))).toEqual([
      expect.stringMatching(/^webhook bill overdue .*attempt 4: HTTP 200 success; delivered$/),
      expect.stringMatching(/^webhook bill later .*attempt 2: HTTP 200 success; delivered$/),
    ]);
    expect(receiver.received).toHaveLength(2);
  });
});

describe('a store that cannot record a delivery attempt', () => {
  it('logs it and tries again later instead of losing the webhook or the process', async () => {
    const receiver = await startReceiver((_n, res) => res.end('success'));
    cleanups.push(receiver.close);
    const memory = createMemoryStore();
    let failuresLeft = 1;
    const store: Store = {
      ...memory,
      async recordDelivery(id, owner, outcome, now) {
        // Paying still works; recording the first attempt's outcome fails, as on a disk that just filled up.
        if (failuresLeft > 0 && outcome.attempts > 0) {
          failuresLeft -= 1;
          throw new Error('ENOSPC: no space left on device, write');
        }
        return memory.recordDelivery(id, owner, outcome, now);
      },
    };
    const { server, lines, createBill } = await gatewayFor(receiver.url, { store });
    const { id } = await createBill();
    await fetch(`${server.url}/sandbox/cashier/${id}/pay`, { method: 'POST', redirect: 'manual' });
    await server.gateway.webhooks.idle();
    expect(lines.find((line) => line.text.startsWith(`webhook bill ${id}`))?.text).toMatch(/attempt 1: HTTP 200 success; delivered$/);
    expect(lines.find((line) => line.text.includes('could not record'))?.text).toBe(
      `webhook bill ${id}: the store could not record the attempt (ENOSPC: no space left on device, write); trying again in ${BACKOFF_MS} ms`,
    );
    // The merchant hears the payment twice rather than never: webhooks are delivered at least once.
    expect(receiver.received).toHaveLength(2);
    expect((await store.getDelivery('bill', id))).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});
