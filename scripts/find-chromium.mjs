// Finds a Chromium for the browser tests: $CHROMIUM_PATH, Playwright's own browser when one is
// installed, or Debian's /usr/bin/chromium, which it installs with apt-get when root and missing.
import { aptInstall, canAptInstall } from './apt-install.mjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const DEBIAN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const require = createRequire(import.meta.url);

function playwrightBrowser() {
  try {
    const path = require('playwright-core').chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** The executable path, or null when none can be found (or, with install, installed). */
export function findChromium({ install = false, log = console.log } = {}) {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  const found = playwrightBrowser() ?? DEBIAN_PATHS.find((path) => existsSync(path));
  if (found || !install) return found ?? null;
  if (!canAptInstall()) {
    log('Chromium is missing. Install it with: sudo apt-get install -y chromium');
    return null;
  }
  log("Chromium is missing; installing Debian's chromium package (apt-get install -y chromium)...");
  aptInstall(['chromium'], { recommends: true });
  return DEBIAN_PATHS.find((path) => existsSync(path)) ?? null;
}
