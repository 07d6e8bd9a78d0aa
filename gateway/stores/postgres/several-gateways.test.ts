import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkMixedLoad, runMixedLoad } from '../../../bench/load';
import { verifyWebhook } from '../../../server-sign';
import { type App, DEMO_APP } from '../../apps';
import { signedBill } from '../../testing/fixtures';
import { type GatewayProcess, spawnGateway, startGatewayProcess, stopGatewayProcesses } from '../../testing/gateway-process';
import { createDatabase, freePort, startPostgresCluster, urlFor } from '../../testing/postgres-cluster';
import { startReceiver, waitFor } from '../../testing/receiver';
import { openPostgresStore } from './postgres-store';

const postgresUrl = inject('postgresUrl');
const APP: App = { ...DEMO_APP, channels: [...DEMO_APP.channels] };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  stopGatewayProcesses();
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** An apps file for APP with its webhook going to `webhookUrl`, in a temporary directory removed after the test. */
function appsFile(webhookUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'spay-apps-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'apps.json');
  writeFileSync(file, JSON.stringify([{ ...APP, webhookUrl }]));
  return file;
}

async function postBill(url: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

const pay = (url: string, id: unknown) => fetch(`${url}/sandbox/cashier/${String(id)}/pay`, { method: 'POST', redirect: 'manual' });

describe.skipIf(postgresUrl === '')('three gateway processes on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  beforeAll(async () => {
    database = await createDatabase(postgresUrl);
  });
  afterAll(async () => database?.drop());

  const startThree = async (env: Record<string, string>): Promise<GatewayProcess[]> =>
    // All three at the same instant on a new database: the migrations run once, under the advisory lock.
    Promise.all([1, 2, 3].map(() => startGatewayProcess({ SPAY_DATABASE_URL: database.url, ...env })));

  it('answers 10,000 mixed bill requests from 200 clients with one bill per order, whichever gateway answered', async () => {
    const receiver = await startReceiver((_n, res) => res.end('success'));
    cleanups.push(receiver.close);
    const gateways = await startThree({ SPAY_APPS: appsFile(receiver.url) });
    for (const gateway of gateways) expect(gateway.output()).toMatch(/bills: postgres 127\.0\.0\.1:\d+\/spay_/);
    expect(gateways.map((gateway) => gateway.output()).join('').match(/applied migration 1 /g)).toHaveLength(1);

    const result = await runMixedLoad({
      url: gateways.map((gateway) => gateway.url),
      total: 10_000,
      concurrency: 200,
      duplicateShare: 0.2,
      badSignShare: 0.1,
      tamperedShare: 0.1,
      seed: 12,
      app: APP,
    });
    const store = await openPostgresStore(database.url);
    cleanups.push(() => store.close());
    const check = await checkMixedLoad(result, { url: gateways[1]?.url as string, store, app: APP });
    const exits = gateways.filter((gateway) => gateway.child.exitCode !== null).map((gateway) => gateway.output().split('\n').filter((line) => !/^(POST|GET) /.test(line)).join('\n'));
    expect(exits).toEqual([]);
    expect(check.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.counts.duplicate.OK).toBeGreaterThan(1000);
    expect(result.counts.badSign.SIGN_INVALID).toBeGreaterThan(500);
  }, 300_000);

  it('pays a bill once when two gateways are told at the same instant, and sends one webhook', async () => {
    const receiver = await startReceiver((_n, res) => res.end('success'));
    cleanups.push(receiver.close);
    const [a, b] = await startThree({ SPAY_APPS: appsFile(receiver.url), SPAY_WEBHOOK_BACKOFF_MS: '100' });
    for (let round = 0; round < 5; round++) {
      const order = signedBill({ title: `并发 ${round}` }, APP);
      const bill = await postBill(a?.url as string, order);
      const answers = await Promise.all([pay(a?.url as string, bill.id), pay(b?.url as string, bill.id), pay(a?.url as string, bill.id), pay(b?.url as string, bill.id)]);
      expect(answers.map((answer) => answer.status)).toEqual([303, 303, 303, 303]);
      await waitFor(() => receiver.received.some((hit) => hit.body.includes(String(order.out_trade_no))), 10_000);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = receiver.received.map((hit) => (JSON.parse(hit.body) as { transaction_id: string }).transaction_id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  }, 60_000);

  it('delivers every pending webhook of a gateway that was SIGKILLed, once, and loses nothing on its restart', async () => {
    let merchantUp = false;
    const successes: string[] = [];
    const receiver = await startReceiver((n, res) => {
      if (!merchantUp) return void res.writeHead(500).end('down');
      successes.push(receiver.received[n - 1]?.body ?? '');
      res.end('success');
    });
    cleanups.push(receiver.close);
    const env = { SPAY_APPS: appsFile(receiver.url), SPAY_WEBHOOK_BACKOFF_MS: '300', SPAY_WEBHOOK_TIMEOUT_MS: '3000' };
    const [doomed, b, c] = await startThree(env);
    const orders = Array.from({ length: 10 }, (_, index) => signedBill({ title: `宕机 ${index}`, amount: 100 + index }, APP));
    for (const order of orders) {
      const bill = await postBill(doomed?.url as string, order);
      expect((await pay(doomed?.url as string, bill.id)).status).toBe(303);
    }
    // Every webhook has been tried and refused at least once, by whichever gateway claimed it.
    await waitFor(() => orders.every((order) => receiver.received.some((hit) => hit.body.includes(String(order.out_trade_no)))), 45_000);
    doomed?.child.kill('SIGKILL');
    await doomed?.exited;
    merchantUp = true;
    // The leases of the dead gateway run out (2 × 3 s + 5 s) and the others take its deliveries over. The attempt timeout
    // is generous: an attempt that timed out while the merchant did answer would be delivered twice, as designed.
    await waitFor(() => successes.length >= orders.length, 60_000);
    const restarted = await startGatewayProcess({ SPAY_DATABASE_URL: database.url, ...env });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const byOrder = new Map<string, number>();
    for (const body of successes) {
      expect(verifyWebhook(body, APP.masterSecret)).toMatchObject({ ok: true });
      const id = (JSON.parse(body) as { transaction_id: string }).transaction_id;
      byOrder.set(id, (byOrder.get(id) ?? 0) + 1);
    }
    const twice = [...byOrder].filter(([, count]) => count > 1).map(([id]) => id);
    const outputs = [doomed, b, c, restarted].map((gateway) => gateway?.output() ?? '');
    expect(twice.map((id) => outputs.map((text) => text.split('\n').filter((line) => line.includes(id)).join('\n')))).toEqual([]);
    expect([...byOrder.values()]).toEqual(Array(orders.length).fill(1));
    expect([...byOrder.keys()].sort()).toEqual(orders.map((order) => String(order.out_trade_no)).sort());
    const answeredBy = `${b?.output()}${c?.output()}${restarted.output()}`;
    expect(answeredBy.match(/HTTP 200 success; delivered/g)?.length).toBe(orders.length);
  }, 120_000);
});

describe.skipIf(postgresUrl === '')('a gateway and its database', () => {
  it('refuses to start, naming host, port and SPAY_DATABASE_URL but never the password, when the database is unreachable', async () => {
    const port = await freePort();
    const started = Date.now();
    const gateway = spawnGateway({ SPAY_DATABASE_URL: `postgres://spay:s3cret-pass@127.0.0.1:${port}/shop`, SPAY_DATABASE_CONNECT_TIMEOUT_MS: '1500' });
    const exit = await gateway.exited;
    expect(exit.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(gateway.output()).toContain(`cannot use the database at 127.0.0.1:${port}/shop (SPAY_DATABASE_URL)`);
    expect(gateway.output()).not.toContain('s3cret-pass');
    expect(gateway.output()).not.toContain('listening');
  });

  it('refuses a wrong password at once, without repeating it', async () => {
    const url = new URL(postgresUrl);
    url.password = 'not-the-password';
    const gateway = spawnGateway({ SPAY_DATABASE_URL: url.href });
    expect((await gateway.exited).code).toBe(1);
    expect(gateway.output()).toMatch(/cannot use the database at 127\.0\.0\.1:\d+\/postgres \(SPAY_DATABASE_URL\): .*password/);
    expect(gateway.output()).not.toContain('not-the-password');
  });

  it('refuses SPAY_DATA_DIR and SPAY_DATABASE_URL together', async () => {
    const gateway = spawnGateway({ SPAY_DATABASE_URL: postgresUrl, SPAY_DATA_DIR: join(tmpdir(), 'spay-never') });
    expect((await gateway.exited).code).toBe(1);
    expect(gateway.output()).toContain('SPAY_DATA_DIR and SPAY_DATABASE_URL are both set');
  });

  it('answers RUNTIME_ERROR within seconds while the database is down, and recovers by itself when it returns', async () => {
    // A cluster of this test's own, since it is stopped midway.
    const cluster = await startPostgresCluster();
    if (cluster === undefined) throw new Error('PostgreSQL went missing');
    cleanups.push(() => cluster.stop());
    const gateway = await startGatewayProcess({ SPAY_DATABASE_URL: urlFor(cluster.port, 'postgres'), SPAY_DATABASE_STATEMENT_TIMEOUT_MS: '2000' });
    expect(await postBill(gateway.url, signedBill({}, APP))).toMatchObject({ result_code: 0 });

    await cluster.kill();
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = Date.now();
      const answer = await postBill(gateway.url, signedBill({}, APP));
      expect(answer).toMatchObject({ result_code: 14, result_msg: 'RUNTIME_ERROR' });
      expect(JSON.stringify(answer)).not.toContain('spay-test-password');
      expect(Date.now() - started).toBeLessThan(6000);
    }
    expect(gateway.child.exitCode).toBeNull();

    await cluster.start();
    await waitFor(async () => (await postBill(gateway.url, signedBill({}, APP))).result_code === 0, 20_000);
    expect(gateway.output()).not.toContain('spay-test-password');
  }, 60_000);
});
