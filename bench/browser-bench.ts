import { type IncomingHttpHeaders, get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type Browser, devices } from 'playwright-core';
import { type BenchSite, launchChromium, startBenchSite } from './bench-site';
import type { ServedScript } from './bundle-size';
import { measureClickToPaint } from './click-to-paint';
import { measureLoadToReady } from './load-to-ready';
import { measureModalHeap } from './modal-heap';
import { signedOrder } from './orders';
import { measureQrDraw } from './qr-draw';
import type { Row } from './table';

/** A current Android phone's screen, touch and user agent, as Playwright describes it. */
const PHONE = devices['Galaxy S24'] as (typeof devices)[string];

/** The browser figures of all runs, plus the Chromium version for the report header. */
export interface BrowserBench {
  rows: Row[];
  chromiumVersion: string;
  /** The returnscripts answer as the gateway sent it, for the bundle rows. */
  served: ServedScript;
  /** Notes worth printing under the table (e.g. opens whose effects never ran). */
  notes: string[];
}

/**
 * Runs the browser figures `runs` times, each run in fresh browser contexts (cold HTTP cache, new
 * renderer state): load-to-ready, click-to-paint cold and warm, QR draw (on a desktop, then on a phone's screen),
 * then the open/close heap loop.
 */
export async function runBrowserBench(options: { runs: number; modalCycles: number; progress(line: string): void }): Promise<BrowserBench> {
  const site = await startBenchSite();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const served = await fetchServedScript(site);
    const series: Record<string, number[]> = {};
    const push = (key: string, value: number) => (series[key] ??= []).push(value);
    const notes: string[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      options.progress(`browser run ${run}/${options.runs}`);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const load = await measureLoadToReady(context, site);
        push('ready', load.readyAfterResponseEnd);
        push('eval', load.scriptEval);
        push('mainThread', load.mainThread);
        // A buyer reads the page before pressing pay; clicking within ms of load would time the
        // browser finishing the page load (its own process and the compositor) rather than the widget.
        await load.page.waitForTimeout(1000);
        const cold = await measureClickToPaint(load.page, signedOrder());
        push('domCold', cold.dom);
        push('paintCold', cold.paint);
        const warm = await measureClickToPaint(load.page, signedOrder());
        push('domWarm', warm.dom);
        push('paintWarm', warm.paint);
        const qr = await measureQrDraw(load.page, signedOrder());
        push('qrAfterBill', qr.afterBill);
        push('qrFromClick', qr.fromClick);
        push('qrModal', qr.modalAfterBill);
        if (qr.moduleAfterBill !== null) push('qrModule', qr.moduleAfterBill);
      } finally {
        await context.close();
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
    const cycles = options.modalCycles.toLocaleString('en-US');
    return {
      chromiumVersion: browser.version(),
      served,
      notes,
      rows: [
        row('load: beecloud:onready after script responseEnd', 'ready', 'ms'),
        row('load: script eval (CDP ScriptDuration delta)', 'eval', 'ms'),
        row('load: main-thread work for the script (trace EvaluateScript: compile + run)', 'mainThread', 'ms'),
        row('click → dialog in DOM, first click', 'domCold', 'ms'),
        row('click → dialog painted, first click', 'paintCold', 'ms'),
        row('click → dialog painted, second click', 'paintWarm', 'ms'),
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
    await site.close();
  }
}

async function fetchServedScript(site: BenchSite): Promise<ServedScript> {
  // Ask as a browser would, offering compression, and count the bytes before decoding (fetch would decode them unseen).
  const { status, headers, bytes } = await getRaw(`${site.gateway.url}/1/pay/jsbutton/returnscripts?appId=spay-demo-app`, {
    'Accept-Encoding': 'gzip, deflate, br',
  });
  if (status !== 200) throw new Error(`returnscripts answered HTTP ${status}`);
  const contentEncoding = typeof headers['content-encoding'] === 'string' ? headers['content-encoding'] : null;
  const decoded = contentEncoding === 'br' ? brotliDecompressSync(bytes) : contentEncoding === 'gzip' ? gunzipSync(bytes) : bytes;
  const body = decoded.toString('utf8');
  if (body.includes('the widget is not built')) throw new Error('returnscripts served its placeholder: dist/spay-button.js is missing (is another build running?)');
  return { body, contentEncoding, wireBytes: bytes.byteLength };
}

function getRaw(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}
