import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { BenchSite } from './bench-site';
import { readMetrics } from './cdp-metrics';

/** One page load: ms from the script's responseEnd to beecloud:onready, the ScriptDuration it added, and its main-thread work. */
export interface LoadToReady {
  readyAfterResponseEnd: number;
  scriptEval: number;
  /** ms the renderer's main thread spent on the script (compile and run), from a trace; parsing streams on another thread. */
  mainThread: number;
  /** ms the main thread spent in the script's functions called later by the browser (timers, events) until ready: the loader's start of the UI fetch. */
  laterCalls: number;
  /** ms the main thread spent on the UI module the loader fetched (compile and evaluate), when `uiModuleUrl` was given. */
  uiMainThread: number | null;
  page: Page;
  cdp: CDPSession;
}

/**
 * Loads the shop page in a fresh context. The renderer's ScriptDuration is read on an empty page of the
 * same site first (same renderer process), so the delta is the page's own script: the widget plus a few
 * lines of the bench page script.
 */
export async function measureLoadToReady(context: BrowserContext, site: BenchSite, uiModuleUrl?: string): Promise<LoadToReady> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(site.blankUrl);
  await cdp.send('Performance.enable');
  const before = await readMetrics(cdp);
  const browser = context.browser();
  if (!browser) throw new Error('the context has no browser to trace with');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8'] });
  await page.goto(site.shopUrl);
  await page.waitForFunction('window.__bench && window.__bench.ready !== null && typeof BC === "object"');
  // The loader's own import of the same URL: this resolves once the module has run, and fetches nothing more.
  if (uiModuleUrl !== undefined) await page.evaluate(`import(${JSON.stringify(uiModuleUrl)}).then(() => undefined)`);
  const trace = await browser.stopTracing();
  const after = await readMetrics(cdp);
  const timing = await page.evaluate(`(() => {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/returnscripts'));
    return { ready: window.__bench.ready, responseEnd: entry ? entry.responseEnd : null };
  })()`) as { ready: number; responseEnd: number | null };
  if (timing.responseEnd === null) throw new Error('no resource timing entry for returnscripts');
  const scriptSeconds = (after.ScriptDuration ?? Number.NaN) - (before.ScriptDuration ?? Number.NaN);
  return {
    readyAfterResponseEnd: timing.ready - timing.responseEnd,
    scriptEval: scriptSeconds * 1000,
    mainThread: evaluateScriptMs(trace, '/returnscripts'),
    laterCalls: functionCallMs(trace, '/returnscripts'),
    uiMainThread: uiModuleUrl === undefined ? null : moduleMs(trace, uiModuleUrl),
    page,
    cdp,
  };
}

interface TraceEvent {
  name: string;
  ts?: number;
  dur?: number;
  args?: { data?: { url?: string } };
}

/** Sums the trace's EvaluateScript events (the main thread's compile and run) of the script whose URL holds `part`. */
export function evaluateScriptMs(trace: Buffer, part: string): number {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const mine = traceEvents.filter((event) => event.name === 'EvaluateScript' && event.args?.data?.url?.includes(part));
  if (mine.length === 0) throw new Error(`the trace holds no EvaluateScript for ${part}`);
  return mine.reduce((sum, event) => sum + (event.dur ?? 0), 0) / 1000;
}

/** Sums the trace's FunctionCall events (a task calling into a script: a timer, an event) of the script whose URL holds `part`, in ms. */
export function functionCallMs(trace: Buffer, part: string): number {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  return traceEvents.filter((event) => event.name === 'FunctionCall' && event.args?.data?.url?.includes(part)).reduce((sum, event) => sum + (event.dur ?? 0), 0) / 1000;
}

/**
 * The main thread's work on one ES module: its v8.compileModule events (named by URL; the parsing streams on another
 * thread) and the v8.evaluateModule that follows each (which names no URL), in ms.
 */
export function moduleMs(trace: Buffer, url: string): number {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const events = traceEvents.filter((event) => event.name === 'v8.compileModule' || event.name === 'v8.evaluateModule').sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  let total = 0;
  let compiled = false;
  for (const event of events) {
    if (event.name === 'v8.compileModule') {
      compiled = event.args?.data?.url === url;
      if (compiled) total += event.dur ?? 0;
    } else if (compiled) {
      total += event.dur ?? 0;
      compiled = false;
    }
  }
  if (total === 0) throw new Error(`the trace holds no v8.compileModule for ${url}`);
  return total / 1000;
}
