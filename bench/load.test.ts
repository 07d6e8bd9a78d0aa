import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../gateway/apps';
import { type RunningGateway, startGateway } from '../gateway/server';
import { type MixedLoadResult, checkMixedLoad, runMixedLoad } from './load';

const APPS = () => [{ ...DEMO_APP, channels: [...DEMO_APP.channels] }];

// Invariants only: wall-clock figures belong to `npm run bench`, never to a test.
describe.each(['memory', 'journal'] as const)('mixed bill load against a gateway on a free port (%s store)', (storeKind) => {
  let gateway: RunningGateway;
  let dataDir: string | undefined;
  let result: MixedLoadResult;

  const start = () => startGateway({ apps: APPS(), port: 0, log: () => {}, ...(dataDir === undefined ? {} : { dataDir }) });

  beforeAll(async () => {
    if (storeKind === 'journal') dataDir = mkdtempSync(join(tmpdir(), 'spay-load-test-'));
    gateway = await start();
    result = await runMixedLoad({
      url: gateway.url,
      total: 1_000,
      concurrency: 50,
      duplicateShare: 0.2,
      badSignShare: 0.1,
      tamperedShare: 0.1,
      seed: 7,
    });
  });
  afterAll(async () => {
    await gateway?.close();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request, none with a 5xx', () => {
    expect(result.transportErrors).toBe(0);
    expect(result.serverErrors).toBe(0);
    const answered = Object.values(result.counts).flatMap((outcomes) => Object.values(outcomes));
    expect(answered.reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it('sends every kind of request', () => {
    for (const kind of ['new', 'duplicate', 'badSign', 'tampered'] as const) {
      expect(Object.values(result.counts[kind]).reduce((a, b) => a + b, 0), kind).toBeGreaterThan(0);
    }
  });

  it('accepts new orders and duplicates, answering a duplicate with the original bill', () => {
    expect(Object.keys(result.counts.new)).toEqual(['OK']);
    expect(Object.keys(result.counts.duplicate)).toEqual(['OK']);
    expect(result.orders.every((order) => order.billIds.length === 1)).toBe(true);
  });

  it('refuses every bad sign with result_code 20 (SIGN_INVALID)', () => {
    expect(Object.keys(result.counts.badSign)).toEqual(['SIGN_INVALID']);
  });

  it('refuses every tampered amount', () => {
    expect(result.counts.tampered.OK).toBeUndefined();
    expect(Object.keys(result.counts.tampered)).toEqual(['SIGN_INVALID']);
  });

  it('leaves one bill per out_trade_no, none for refused numbers, and a gateway that still answers', async () => {
    const check = await checkMixedLoad(result, { url: gateway.url, store: gateway.gateway.store });
    expect(check.failures).toEqual([]);
    expect(check.billsRead).toBe(result.orders.length);
    expect(result.violations).toEqual([]);
  });

  it.runIf(storeKind === 'journal')('keeps those bills, one per out_trade_no, across a restart', async () => {
    await gateway.close();
    gateway = await start();
    const check = await checkMixedLoad(result, { url: gateway.url, store: gateway.gateway.store });
    expect(check.failures).toEqual([]);
  });

  it('reports a gateway that answered a duplicate with a second bill', async () => {
    const [first, second] = result.orders;
    const forged: MixedLoadResult = {
      ...result,
      orders: [{ ...(first as MixedLoadResult['orders'][number]), billIds: [...(first?.billIds ?? []), ...(second?.billIds ?? [])] }],
    };
    const check = await checkMixedLoad(forged, { url: gateway.url });
    expect(check.ok).toBe(false);
    expect(check.failures.join('\n')).toMatch(/more than one bill id/);
  });
});
