import type { BrowserContext, Page } from 'playwright-core';
import type { BenchSite } from './bench-site';
import { collectGarbage, readMetrics } from './cdp-metrics';
import { closeModal } from './click-to-paint';
import { type SignedOrder, signedOrder } from './orders';

/** What opening and closing the modal `cycles` times left behind, after forced GCs. */
export interface ModalHeap {
  cycles: number;
  heapDeltaBytes: number;
  nodesDelta: number;
  listenersDelta: number;
  /** JS heap growth per cycle over the second half of the cycles: a leak shows here, warm-up does not. */
  heapSlopeBytesPerCycle: number;
  /** Mean ms per open + close cycle (with frames as message tasks). */
  cycleMs: number;
  /** Opens where focus never moved into the dialog (its effects did not run): should be 0. */
  unfocused: number;
}

/** Cycles run before the first reading: without them the delta is mostly V8 warming up (code, feedback), not retained state. */
export const WARM_UP_CYCLES = 100;

/**
 * Loads the heap page in a fresh context, warms up with WARM_UP_CYCLES open/close cycles (the shared
 * stylesheet, Preact's first render and V8's compiled code are one-time costs), then runs the cycles in
 * two halves, each inside one page.evaluate, reading the metrics after forced GCs before, between and after.
 */
export async function measureModalHeap(context: BrowserContext, site: BenchSite, cycles: number): Promise<ModalHeap> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(site.heapUrl);
  await page.waitForFunction('window.__bench && window.__bench.ready !== null');
  await cdp.send('Performance.enable');
  const order = signedOrder();
  await openClose(page, order, WARM_UP_CYCLES);
  await closeModal(page);
  await collectGarbage(cdp);
  const before = await readMetrics(cdp);
  const firstHalf = Math.floor(cycles / 2);
  const first = await openClose(page, order, firstHalf);
  await collectGarbage(cdp);
  const middle = await readMetrics(cdp);
  const second = await openClose(page, order, cycles - firstHalf);
  await collectGarbage(cdp);
  const after = await readMetrics(cdp);
  await page.close();
  const delta = (name: string) => (after[name] ?? Number.NaN) - (before[name] ?? Number.NaN);
  return {
    cycles,
    heapDeltaBytes: delta('JSHeapUsedSize'),
    nodesDelta: delta('Nodes'),
    listenersDelta: delta('JSEventListeners'),
    heapSlopeBytesPerCycle: ((after.JSHeapUsedSize ?? Number.NaN) - (middle.JSHeapUsedSize ?? Number.NaN)) / (cycles - firstHalf),
    cycleMs: (first.ms + second.ms) / cycles,
    unfocused: first.unfocused + second.unfocused,
  };
}

async function openClose(page: Page, order: SignedOrder, cycles: number): Promise<{ ms: number; unfocused: number }> {
  return (await page.evaluate('window.__bench.openClose(' + JSON.stringify(order) + ', ' + cycles + ')')) as { ms: number; unfocused: number };
}
