import type { CDPSession } from 'playwright-core';

/** Chromium's Performance.getMetrics as a name → value record (durations in seconds, sizes in bytes). */
export async function readMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((metric) => [metric.name, metric.value]));
}

/** Forces full garbage collections through CDP (twice, so that finalizers' garbage goes too). */
export async function collectGarbage(cdp: CDPSession): Promise<void> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
}
