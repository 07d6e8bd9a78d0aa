import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { BenchSite } from './bench-site';
import { readMetrics } from './cdp-metrics';

/** One page load: main-thread ms from the script's responseEnd to beecloud:onready, and the ScriptDuration it added. */
export interface LoadToReady {
  readyAfterResponseEnd: number;
  scriptEval: number;
  page: Page;
  cdp: CDPSession;
}

/**
 * Loads the shop page in a fresh context. The renderer's ScriptDuration is read on an empty page of the
 * same site first (same renderer process), so the delta is the page's own script: the widget plus a few
 * lines of the bench page script.
 */
export async function measureLoadToReady(context: BrowserContext, site: BenchSite): Promise<LoadToReady> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(site.blankUrl);
  await cdp.send('Performance.enable');
  const before = await readMetrics(cdp);
  await page.goto(site.shopUrl);
  await page.waitForFunction('window.__bench && window.__bench.ready !== null && typeof BC === "object"');
  const after = await readMetrics(cdp);
  const timing = await page.evaluate(`(() => {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/returnscripts'));
    return { ready: window.__bench.ready, responseEnd: entry ? entry.responseEnd : null };
  })()`) as { ready: number; responseEnd: number | null };
  if (timing.responseEnd === null) throw new Error('no resource timing entry for returnscripts');
  const scriptSeconds = (after.ScriptDuration ?? Number.NaN) - (before.ScriptDuration ?? Number.NaN);
  return { readyAfterResponseEnd: timing.ready - timing.responseEnd, scriptEval: scriptSeconds * 1000, page, cdp };
}
