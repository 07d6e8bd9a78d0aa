import { launchChromium, startBenchSite } from './bench-site';
const site = await startBenchSite();
const browser = await launchChromium();
for (let i = 0; i < 4; i++) {
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(site.blankUrl);
await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'] });
await page.goto(site.shopUrl);
await page.waitForTimeout(500);
const trace = await browser.stopTracing();
const { traceEvents } = JSON.parse(trace.toString('utf8'));
for (const e of traceEvents) {
  if (/odule|EvaluateScript|TimerFire|v8.run/.test(e.name) && e.dur > 50) console.log(i, e.name, (e.dur/1000).toFixed(2), JSON.stringify(e.args).slice(0, 120));
}
await context.close();
}
await browser.close(); await site.close();
