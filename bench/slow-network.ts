import type { Browser, Page } from 'playwright-core';
import type { BenchSite } from './bench-site';

/** The throttled connection: Chromium's network emulation (CDP), per request, for every request of the page. */
export const SLOW_NETWORK = { kbitPerSecond: 400, rttMs: 400 } as const;

/** One cold load of the bench pages over the slow connection. */
export interface SlowLoad {
  /** The plain shop page's first contentful paint (ms after navigation start), the script tag in <head>. */
  fcp: number;
  /** Click-at-load page: ms from BC.click at DOMContentLoaded to the dialog in the DOM, and to the frame that paints it. */
  clickToDialog: number;
  clickToPainted: number;
  /** Click-at-load page: ms from navigation start to the dialog painted. */
  navigationToPainted: number;
}

/** Opens a page in a fresh context (cold HTTP cache) with the slow connection emulated before the first request. */
async function slowPage(browser: Browser): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const bytesPerSecond = (SLOW_NETWORK.kbitPerSecond * 1000) / 8;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: SLOW_NETWORK.rttMs,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: bytesPerSecond,
  });
  return { page, close: () => context.close() };
}

/** Loads the plain page and the click-at-load page of `site`, each cold, over SLOW_NETWORK. */
export async function measureSlowLoad(browser: Browser, site: BenchSite): Promise<SlowLoad> {
  const plain = await slowPage(browser);
  let fcp: number;
  try {
    await plain.page.goto(site.shopUrl, { waitUntil: 'commit' });
    await plain.page.waitForFunction('performance.getEntriesByName("first-contentful-paint").length > 0', undefined, { timeout: 30_000 });
    fcp = (await plain.page.evaluate('performance.getEntriesByName("first-contentful-paint")[0].startTime')) as number;
  } finally {
    await plain.close();
  }
  const clicking = await slowPage(browser);
  try {
    await clicking.page.goto(site.clickAtLoadUrl, { waitUntil: 'commit' });
    await clicking.page.waitForFunction('window.__atLoad && (window.__atLoad.paintedAt !== null || window.__atLoad.error !== null)', undefined, {
      timeout: 30_000,
    });
    const at = (await clicking.page.evaluate('window.__atLoad')) as { clickAt: number; dialogAt: number; paintedAt: number; error: string | null };
    if (at.error !== null) throw new Error(`the click at load failed: ${at.error}`);
    return { fcp, clickToDialog: at.dialogAt - at.clickAt, clickToPainted: at.paintedAt - at.clickAt, navigationToPainted: at.paintedAt };
  } finally {
    await clicking.close();
  }
}
