import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, devices } from 'playwright-core';
import { type BenchSite, launchChromium, startBenchSite } from './bench-site';
import { type ServedFiles, type ServedScript, lazyModuleFile } from './bundle-size';
import { measureClickToPaint } from './click-to-paint';
import { measureLoadToReady } from './load-to-ready';
import { measureModalHeap } from './modal-heap';
import { signedOrder } from './orders';
import { measureQrDraw } from './qr-draw';
import { buildSingleFile } from './single-file/build';
import { SLOW_NETWORK, measureSlowLoad } from './slow-network';
import type { Row } from './table';
import { fetchAsSent } from './wire';

/** A current Android phone's screen, touch and user agent, as Playwright describes it. */
const PHONE = devices['Galaxy S24'] as (typeof devices)[string];

/** The browser figures of all runs, plus the Chromium version for the report header. */
export interface BrowserBench {
  rows: Row[];
  chromiumVersion: string;
  /** What both gateways sent (returnscripts, the modules), for the bundle rows. */
  served: ServedFiles;
  /** Notes worth printing under the table (e.g. opens whose effects never ran). */
  notes: string[];
}

/** The two builds measured side by side: `now` is dist/ (loader + UI module), `before` the single file it replaced. */
const BUILDS = ['now', 'before'] as const;
type Build = (typeof BUILDS)[number];

/**
 * Builds the single file the loader replaced (bench/single-file) and serves it from a second gateway, then runs the
 * browser figures `runs` times, each run in fresh browser contexts (cold HTTP cache, new renderer state). For both
 * builds: load-to-ready, click-to-paint cold and warm, and cold loads over a slow connection (first contentful paint;
 * a click at DOMContentLoaded to its dialog). For dist/ only: QR draw (on a desktop, then on a phone's screen) and
 * the open/close heap loop, which the split does not change.
 */
export async function runBrowserBench(options: { runs: number; modalCycles: number; progress(line: string): void }): Promise<BrowserBench> {
  options.progress('building the single script-tag file the loader replaced (bench/single-file)');
  const singleDir = await buildSingleFile();
  const sites: Partial<Record<Build, BenchSite>> = {};
  let browser: Browser | undefined;
  try {
    sites.now = await startBenchSite();
    sites.before = await startBenchSite({ widgetDir: singleDir });
    const site = sites.now;
    browser = await launchChromium();
    const served = await fetchServedFiles(site, sites.before, readFileSync(join(singleDir, 'spay-button.js')));
    const uiModuleUrl = `${site.gateway.url}/1/pay/jsbutton/assets/${lazyModuleFile('spay-ui')}`;
    const series: Record<string, number[]> = {};
    const push = (key: string, value: number) => (series[key] ??= []).push(value);
    const notes: string[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      options.progress(`browser run ${run}/${options.runs}`);
      for (const build of BUILDS) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        try {
          const load = await measureLoadToReady(context, sites[build] as BenchSite, build === 'now' ? uiModuleUrl : undefined);
          push(`ready ${build}`, load.readyAfterResponseEnd);
          push(`eval ${build}`, load.scriptEval);
          push(`mainThread ${build}`, load.mainThread);
          push(`laterCalls ${build}`, load.laterCalls);
          if (load.uiMainThread !== null) push('uiMainThread', load.uiMainThread);
          // A buyer reads the page before pressing pay; clicking within ms of load would time the
          // browser finishing the page load (its own process and the compositor) rather than the widget.
          await load.page.waitForTimeout(1000);
          const cold = await measureClickToPaint(load.page, signedOrder());
          push(`domCold ${build}`, cold.dom);
          push(`paintCold ${build}`, cold.paint);
          const warm = await measureClickToPaint(load.page, signedOrder());
          push(`paintWarm ${build}`, warm.paint);
          if (build === 'now') {
            const qr = await measureQrDraw(load.page, signedOrder());
            push('qrAfterBill', qr.afterBill);
            push('qrFromClick', qr.fromClick);
            push('qrModal', qr.modalAfterBill);
            if (qr.moduleAfterBill !== null) push('qrModule', qr.moduleAfterBill);
          }
        } finally {
          await context.close();
        }
        const slow = await measureSlowLoad(browser, sites[build] as BenchSite);
        push(`fcp ${build}`, slow.fcp);
        push(`clickDialog ${build}`, slow.clickToDialog);
        push(`clickPainted ${build}`, slow.clickToPainted);
        push(`navPainted ${build}`, slow.navigationToPainted);
      }
      // The same steps on a phone's screen, where the QR code is then redrawn as a PNG the buyer can save.
      const phone = await browser.newContext(PHONE);
      try {
        const load = await measureLoadToReady(phone, site);
        await load.page.waitForTimeout(1000);
        await measureClickToPaint(load.page, signedOrder());
        await measureClickToPaint(load.page, signedOrder());
        push('qrPhone', (await measureQrDraw(load.page, signedOrder())).afterBill);
      } finally {
        await phone.close();
      }
      const heapContext = await browser.newContext();
      try {
        const heap = await measureModalHeap(heapContext, site, options.modalCycles);
        push('heap', heap.heapDeltaBytes);
        push('slope', heap.heapSlopeBytesPerCycle);
        push('nodes', heap.nodesDelta);
        push('listeners', heap.listenersDelta);
        push('cycle', heap.cycleMs);
        if (heap.unfocused > 0) notes.push(`run ${run}: ${heap.unfocused} of ${heap.cycles} opens never moved focus into the dialog`);
      } finally {
        await heapContext.close();
      }
    }
    const row = (figure: string, key: string, unit: Row['unit']): Row => ({ section: 'browser', figure, unit, values: series[key] ?? [] });
    // Each figure for dist/, then the same for the single file, on the next line.
    const both = (figure: string, key: string, unit: Row['unit']): Row[] => [row(figure, `${key} now`, unit), row(`before: ${figure}`, `${key} before`, unit)];
    const cycles = options.modalCycles.toLocaleString('en-US');
    const slow = `${SLOW_NETWORK.kbitPerSecond} kbit/s, ${SLOW_NETWORK.rttMs} ms RTT`;
    return {
      chromiumVersion: browser.version(),
      served,
      notes,
      rows: [
        ...both('load: beecloud:onready after script responseEnd', 'ready', 'ms'),
        ...both('load: script eval (CDP ScriptDuration delta)', 'eval', 'ms'),
        ...both('load: main-thread work for the script (trace EvaluateScript: compile + run)', 'mainThread', 'ms'),
        ...both("load: main-thread work in the script's later tasks until ready (trace FunctionCall; the loader's start of the UI fetch)", 'laterCalls', 'ms'),
        row('load: main-thread work for the UI module when it arrives (trace v8.compileModule + v8.evaluateModule)', 'uiMainThread', 'ms'),
        ...both('click → dialog in DOM, first click', 'domCold', 'ms'),
        ...both('click → dialog painted, first click', 'paintCold', 'ms'),
        ...both('click → dialog painted, second click', 'paintWarm', 'ms'),
        ...both(`slow network (${slow}): first contentful paint, script tag in <head>`, 'fcp', 'ms'),
        ...both('slow network: BC.click at DOMContentLoaded → dialog in DOM', 'clickDialog', 'ms'),
        ...both('slow network: BC.click at DOMContentLoaded → dialog painted', 'clickPainted', 'ms'),
        ...both('slow network: navigation start → that dialog painted', 'navPainted', 'ms'),
        row('QR: bill responseEnd → modal in DOM', 'qrModal', 'ms'),
        row('QR: bill responseEnd → code in the modal (desktop: SVG)', 'qrAfterBill', 'ms'),
        row('QR: bill responseEnd → code in the modal (phone screen)', 'qrPhone', 'ms'),
        row('QR: spay-qr.js responseEnd − bill responseEnd', 'qrModule', 'ms'),
        row('QR: click → code in the modal (desktop)', 'qrFromClick', 'ms'),
        row(`modal open/close ×${cycles}: JS heap delta`, 'heap', 'KB'),
        row('modal open/close: JS heap growth, second half', 'slope', 'B/cycle'),
        row(`modal open/close ×${cycles}: DOM nodes delta`, 'nodes', 'count'),
        row(`modal open/close ×${cycles}: JS listeners delta`, 'listeners', 'count'),
        row('modal open + close, one cycle', 'cycle', 'ms'),
      ],
    };
  } finally {
    await browser?.close();
    for (const site of Object.values(sites)) await site.close();
    rmSync(singleDir, { recursive: true, force: true });
  }
}

async function fetchServedFiles(now: BenchSite, before: BenchSite, singleFile: Buffer): Promise<ServedFiles> {
  const script = async (site: BenchSite): Promise<ServedScript> => {
    const served = await fetchAsSent(`${site.gateway.url}/1/pay/jsbutton/returnscripts?appId=spay-demo-app`);
    if (served.body.includes('the widget is not built')) throw new Error('returnscripts served its placeholder: spay-button.js is missing (is another build running?)');
    return served;
  };
  const assets: Record<string, number> = {};
  for (const base of ['spay-ui', 'spay-pay', 'spay-qr']) {
    assets[base] = (await fetchAsSent(`${now.gateway.url}/1/pay/jsbutton/assets/${lazyModuleFile(base)}`)).wireBytes;
  }
  return { loader: await script(now), single: await script(before), singleFile, assets };
}
