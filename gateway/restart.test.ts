import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../server-sign';
import type { App } from './apps';
import { openJournalStore } from './stores/journal/journal-store';
import { FULL_APP, signedBill } from './testing/fixtures';
import { startGatewayProcess, stopGatewayProcesses } from './testing/gateway-process';
import { startReceiver, waitFor } from './testing/receiver';

const BACKOFF_MS = 200;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  stopGatewayProcesses();
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function postBill(url: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

describe('a gateway with SPAY_DATA_DIR, killed mid-delivery and restarted', () => {
  it('keeps its bills and delivers the pending webhook exactly once', async () => {
    const temporary = mkdtempSync(join(tmpdir(), 'spay-restart-'));
    cleanups.push(() => rmSync(temporary, { recursive: true, force: true }));
    const dataDir = join(temporary, 'data');

    // The merchant is down at first: a 500, then a request it never answers, during which the gateway dies.
    let merchantUp = false;
    const receiver = await startReceiver((attempt, res) => {
      if (merchantUp) res.end('success');
      else if (attempt === 1) res.writeHead(500).end('down for maintenance');
    });
    cleanups.push(receiver.close);
    const app: App = { ...FULL_APP, webhookUrl: receiver.url };
    const appsFile = join(temporary, 'apps.json');
    writeFileSync(appsFile, JSON.stringify([app]));
    const env = { SPAY_APPS: appsFile, SPAY_DATA_DIR: dataDir, SPAY_WEBHOOK_BACKOFF_MS: String(BACKOFF_MS) };

    const first = await startGatewayProcess(env);
    expect(first.output()).toContain(`bills: ${join(dataDir, 'bills.jsonl')}`);
    const paidOrder = signedBill({ title: '重启测试', amount: '1990' }, app);
    const openOrder = signedBill({ channel: 'WX_NATIVE' }, app);
    const paid = await postBill(first.url, paidOrder);
    const open = await postBill(first.url, openOrder);
    expect([paid.result_code, open.result_code]).toEqual([0, 0]);
    const pay = await fetch(`${first.url}/sandbox/cashier/${String(paid.id)}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    await waitFor(() => receiver.received.length === 2, 5000);
    expect(first.output()).toMatch(/attempt 1: HTTP 500 is not a 2xx answer .*; retry 1 of 17 in 200 ms/);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    merchantUp = true;
    const before = receiver.received.length;
    const second = await startGatewayProcess(env);
    const status = (await (await fetch(`${second.url}/1/pay/jsbutton/bill/${String(paid.id)}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ result_code: 0, pay_result: true, status: 'PAID', out_trade_no: paidOrder.out_trade_no, total_fee: 1990 });
    // The same order again: the open one answers its existing bill, the paid one is refused; neither makes a second bill.
    expect(await postBill(second.url, openOrder)).toMatchObject({ result_code: 0, id: open.id });
    expect(await postBill(second.url, paidOrder)).toMatchObject({ result_code: 5, err_detail: expect.stringContaining('already paid') });

    await waitFor(() => /webhook bill \S+ .*; delivered/.test(second.output()), 5000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    const after = receiver.received.slice(before);
    expect(after).toHaveLength(1);
    const delivered = after[0]?.body ?? '';
    expect(verifyWebhook(delivered, app.masterSecret)).toMatchObject({ ok: true });
    expect(JSON.parse(delivered)).toMatchObject({ transaction_id: paidOrder.out_trade_no, transaction_fee: 1990, message_detail: { bill_id: paid.id } });
    // The attempt cut short by the kill is not counted: the journal had one attempt, so this is the second.
    expect(second.output()).toMatch(new RegExp(`webhook bill ${String(paid.id)} .*attempt 2: HTTP 200 success; delivered`));

    const journal = openJournalStore(dataDir);
    try {
      expect((await journal.listBills({ limit: 10 })).map((bill) => bill.id)).toEqual([open.id, paid.id]);
      expect(await journal.getDelivery('bill', String(paid.id))).toMatchObject({ state: 'delivered', attempts: 2 });
      expect(await journal.listDeliveries({ state: 'pending' })).toEqual([]);
    } finally {
      await journal.close();
    }
  });
});
