/**
 * `npm run bench`: builds, then measures bundle bytes, browser timings in headless Chromium, gateway
 * throughput beside a plain node:http server, and a mixed bill load with its invariant checks. Prints one
 * table and writes it as markdown to bench/results.md. Exits 1 when a mixed-load check fails.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { USAGE, parseBenchArgs } from './args';
import { runBrowserBench } from './browser-bench';
import { runBuild } from './build-step';
import { ROOT, bundleRows } from './bundle-size';
import { runThroughputBench } from './gateway-throughput';
import { startLoadWorker } from './load-worker-client';
import { runMixedLoadBench } from './mixed-load-bench';
import { buildTable, renderMarkdown, renderText } from './table';

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseBenchArgs(process.argv.slice(2));
  const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const began = performance.now();
  // Other work on the machine widens every spread; the header says how busy it was when the bench began.
  const load = loadavg()[0] ?? 0;
  if (options.build) {
    progress('building (tsx scripts/build.ts)');
    const ms = await runBuild();
    progress(`built in ${(ms / 1000).toFixed(1)} s`);
  }

  const browser = await runBrowserBench({ runs: options.runs, modalCycles: options.modalCycles, progress });
  const worker = startLoadWorker();
  let throughput: Awaited<ReturnType<typeof runThroughputBench>>;
  let mixed: Awaited<ReturnType<typeof runMixedLoadBench>>;
  try {
    throughput = await runThroughputBench({ runs: options.runs, requests: options.throughputRequests, concurrency: options.concurrency, worker, progress });
    mixed = await runMixedLoadBench({ runs: options.runs, requests: options.mixedRequests, concurrency: options.concurrency, worker, progress });
  } finally {
    await worker.close();
  }

  const table = buildTable([...bundleRows(browser.served), ...browser.rows, ...throughput.rows, ...mixed.rows]);
  const cpu = cpus();
  const environment = [
    `${options.runs} runs${options.quick ? ' (--quick)' : ''}`,
    `Node ${process.version}`,
    `Chromium ${browser.chromiumVersion} headless`,
    `${cpu.length} × ${(cpu[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim()}`,
    `load average ${load.toFixed(1)} at start`,
    new Date().toISOString().slice(0, 10),
  ].join(', ');
  const notes = [
    'Bytes are exact; every other figure is the median over the runs, with min–max.',
    'Browser: fresh context per run; the page and the gateway are on two 127.0.0.1 ports. "painted" ends after the frame that shows the dialog (click made in a rAF callback). The first click comes 1 s after beecloud:onready, once the browser has finished loading the page, as a buyer would click.',
    'Two builds in one run: the figures without a prefix are dist/ (the loader, spay-button.js, which fetches spay-ui.<hash>.js as it runs); "before:" is the single script-tag file it replaced (UI inside), built by the bench from bench/single-file/ and served by a second gateway, with the same lazy modules. QR and heap figures are for dist/ only: the split does not touch them.',
    'Slow network: Chromium network emulation over CDP (Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms added to each request), fresh context and cold cache per load. First contentful paint is of the plain shop page (the script tag in <head>, nobody clicks); the click figures use a page that calls BC.click at DOMContentLoaded.',
    'Heap loop: frames are message tasks on that page only, after 100 warm-up cycles; CDP HeapProfiler.collectGarbage before each Performance.getMetrics reading.',
    'Load: the generator is a forked process; the servers run in the bench process, logging off; a fresh gateway per run.',
    ...browser.notes,
    ...throughput.notes,
    ...mixed.failures.map((failure) => `FAILED ${failure}`),
  ];
  const seconds = ((performance.now() - began) / 1000).toFixed(0);

  console.log(`\nspay-button bench: ${environment}\n`);
  console.log(renderText(table));
  console.log('');
  for (const note of notes) console.log(`- ${note}`);
  console.log(`\n(${seconds} s; written to bench/results.md)`);

  const markdown = [
    '# Benchmarks',
    '',
    `\`npm run bench${options.quick ? ' -- --quick' : options.runs === 7 ? '' : ` -- --runs ${options.runs}`}\`: ${environment}.`,
    '',
    renderMarkdown(table),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench/results.md'), markdown);
  return mixed.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    if (String((error as Error)?.message).startsWith('unknown argument') || String((error as Error)?.message).startsWith('--runs')) console.error(USAGE);
    process.exit(1);
  },
);
