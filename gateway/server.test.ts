import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from './stores/memory/memory-store';
import { listen } from './http/listen';
import type { RunningGateway } from './server';
import { FULL_APP, signedBill, testGateway, testServer } from './testing/fixtures';
import { rawRequest } from './testing/raw-request';

let server: RunningGateway & { lines: string[] };
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

/** POSTs `body` in chunks without a Content-Length, as a streaming client would. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('startGateway', () => {
  it('binds 127.0.0.1 on a free port', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('stops reading a streamed body past 16 KiB and answers 413', async () => {
    const chunk = 'x'.repeat(4096);
    const result = await postChunked(`${server.url}/1/pay/jsbutton/bill`, ['{"pad":"', ...Array(8).fill(chunk), '"}']);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ result_code: 22, field: 'body' });
    expect((await server.gateway.store.listBills({ limit: 1000 }))).toEqual([]);
  });

  it('answers 413 to a body declared past 16 KiB once it is drained, then closes the connection', async () => {
    const answer = await rawRequest(`${server.url}/1/pay/jsbutton/bill`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ pad: 'x'.repeat(20 * 1024) }),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.bytes.toString('utf8'))).toMatchObject({ result_code: 22, field: 'body' });
    expect(answer.headers.connection).toBe('close');
    await answer.socketClosed;
  });

  it('reads a streamed body under the limit', async () => {
    const body = JSON.stringify(signedBill());
    const result = await postChunked(`${server.url}/1/pay/jsbutton/bill`, [body.slice(0, 20), body.slice(20)]);
    expect(JSON.parse(result.body)).toMatchObject({ result_code: 0 });
  });

  it('logs one line per request with the path only', async () => {
    await fetch(`${server.url}/1/pay/jsbutton/returnscripts?appId=${FULL_APP.appId}&token=hush`);
    const line = server.lines.filter((item) => item.startsWith('GET /1/pay/jsbutton/returnscripts')).at(-1);
    expect(line).toMatch(/^GET \/1\/pay\/jsbutton\/returnscripts 200 \d+ms$/);
    expect(server.lines.join('\n')).not.toContain('hush');
  });
});

describe('createGateway', () => {
  it('answers RUNTIME_ERROR when the store fails, without leaking why', async () => {
    const store = { ...createMemoryStore(), openBill: async (): Promise<never> => {
      throw new Error('disk full at /var/secret/path');
    } };
    const gateway = testGateway({ store });
    const response = await gateway.handle(
      new Request('http://gateway.test/1/pay/jsbutton/bill', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(signedBill()) }),
    );
    expect(response.status).toBe(500);
    const answer = (await response.json()) as { result_code: number; err_detail: string };
    expect(answer.result_code).toBe(14);
    expect(answer.err_detail).not.toContain('/var/secret');
    expect(gateway.lines.some((line) => line.includes('disk full'))).toBe(true);
  });

  it('resumes webhooks a durable store still holds as pending', async () => {
    const store = createMemoryStore();
    const gateway = testGateway({ store });
    const id = ((await (await gateway.handle(new Request('http://gateway.test/1/pay/jsbutton/bill', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(signedBill()),
    }))).json()) as { id: string }).id;
    await store.transitionBill(id, ['UNPAID'], { status: 'PAID' });
    await store.enqueueDelivery({ id: 'd1', app_id: FULL_APP.appId, subject: 'bill', subject_id: id }, new Date(Date.now() + 60_000));
    const restarted = testGateway({ store, apps: [{ ...FULL_APP, webhookUrl: 'http://127.0.0.1:9/never' }] });
    expect(await restarted.webhooks.pending()).toBe(1);
    // Not due for a minute: nothing is attempted, and closing leaves it pending for a later run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.getDelivery('bill', id)).toMatchObject({ state: 'pending', attempts: 0 });
    await restarted.close();
    expect(await store.getDelivery('bill', id)).toMatchObject({ state: 'pending', attempts: 0 });
    await gateway.close();
  });
});

describe('listen', () => {
  it('serves any web handler and reports its URL', async () => {
    const listener = await listen(async (request) => new Response(`${request.method} ${new URL(request.url).pathname} ${await request.text()}`), {
      log: () => undefined,
    });
    try {
      const response = await fetch(`${listener.url}/echo?x=1`, { method: 'POST', body: 'hi' });
      expect(await response.text()).toBe('POST /echo hi');
    } finally {
      await listener.close();
    }
  });

  it('answers 500 when the handler throws, and logs it', async () => {
    const lines: string[] = [];
    const listener = await listen(() => {
      throw new Error('boom');
    }, { log: (line) => lines.push(line) });
    try {
      expect((await fetch(`${listener.url}/x?secret=1`)).status).toBe(500);
      expect(lines).toEqual(['error in GET /x: boom']);
    } finally {
      await listener.close();
    }
  });
});

describe('tsx gateway/server.ts', () => {
  it('prints its URL and the sandbox URL, serves, and stops on SIGTERM', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/server.ts'], {
      cwd: root,
      env: { ...process.env, GATEWAY_PORT: '0', SPAY_APPS: '', SPAY_PUBLIC_URL: '', SPAY_DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started = Date.now();
    while (!/sandbox: \S+\/sandbox/.test(output) && Date.now() - started < 15_000) await new Promise((resolve) => setTimeout(resolve, 50));
    const url = /listening on (\S+)/.exec(output)?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain(`sandbox: ${url}/sandbox`);
    expect((await fetch(`${url}/sandbox`)).status).toBe(200);
    // The default log: one line per request, on standard output.
    while (!/^GET \/sandbox 200 \d+ms$/m.test(output) && Date.now() - started < 15_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(output).toMatch(/^GET \/sandbox 200 \d+ms$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('unread request bodies', () => {
  it('keeps the connection usable after a large body the route never reads', async () => {
    const id = ((await (await fetch(`${server.url}/1/pay/jsbutton/bill`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(signedBill()),
    })).json()) as { id: string }).id;
    const form = `channel=ALI_WEB&pad=${'x'.repeat(300 * 1024)}`;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/sandbox/cashier/${id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      expect(response.status).toBe(200);
      await response.text();
    }
    expect((await fetch(`${server.url}/1/pay/jsbutton/bill/${id}`)).status).toBe(200);
  });
});
