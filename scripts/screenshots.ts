/**
 * Takes README's screenshots from the running demo: the channel picker on a desktop browser and on
 * a phone, and the merchant console. Run with `npm run screenshots` after a build; writes docs/picker-desktop.png,
 * docs/picker-phone.png, docs/console-overview.png and docs/console-bill.png.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, devices } from 'playwright-core';
import { startDemo } from '../demo/server';
import { aptInstall, canAptInstall } from './apt-install.mjs';
import { findChromium } from './find-chromium.mjs';
import { screenshotConsole } from './screenshots-console';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));

// Without a CJK font every Chinese label renders as boxes; Debian's Noto CJK fixes that.
function ensureChineseFont(): void {
  const found = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim();
  if (found || !canAptInstall()) return;
  console.log('installing fonts-noto-cjk for Chinese text...');
  aptInstall(['fonts-noto-cjk']);
}

ensureChineseFont();
const demo = await startDemo({ log: () => {} });
const browser = await chromium.launch({
  executablePath: findChromium({ install: true }) ?? undefined,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'],
});
try {
  const phone = devices['iPhone 15'] as (typeof devices)[string];
  const shots = [
    { file: 'picker-desktop.png', options: { viewport: { width: 1100, height: 700 }, deviceScaleFactor: 1 } },
    { file: 'picker-phone.png', options: { viewport: phone.viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: phone.userAgent } },
  ];
  for (const shot of shots) {
    const context = await browser.newContext({ ...shot.options, reducedMotion: 'reduce', locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(demo.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).click();
    await page.locator('spay-modal').getByRole('dialog').waitFor();
    await page.mouse.move(1, 1);
    await page.screenshot({ path: docs + shot.file });
    console.log(`wrote docs/${shot.file}`);
    await context.close();
  }
  await screenshotConsole(browser, demo, docs);
} finally {
  await browser.close();
  await demo.close();
}
