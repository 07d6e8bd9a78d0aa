import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../gateway/apps';
import { COMPILE_HINT } from '../src/compile-hint';

// What a merchant installs from npm and what the gateway serves: checked on the build that
// `npm test` makes before the unit tests run.
const root = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(`${root}dist/spay-button.js`);

/** The script-tag file's gzip budget in bytes: the loader, which pages run in <head>; see README's performance table. */
export const SCRIPT_TAG_GZIP_BUDGET = 4 * 1024;
/**
 * The loader and the UI module it fetches, together: what a page downloads before a click can open the dialog. The
 * single file they replaced had a budget of 14.5 KB; splitting it may cost a buyer at most 1 KB more.
 */
export const LOADER_AND_UI_GZIP_BUDGET = (14.5 + 1) * 1024;

describe.runIf(built)('the built package', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

  it('packs only what a user needs', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = packed.files.map((file: { path: string }) => file.path);
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/spay-button.js', 'dist/esm/index.js', 'dist/types/src/index.d.ts', 'dist/server-sign/index.js', 'dist/server-sign/cli.js', 'dist/types/server-sign/index.d.ts']) {
      expect(files).toContain(needed);
    }
    for (const lazy of ['spay-ui', 'spay-qr', 'spay-pay']) {
      expect(files.filter((file) => new RegExp(`^dist/assets/${lazy}\\.[0-9a-f]{10}\\.js$`).test(file))).toHaveLength(1);
    }
    const strays = files.filter((file) => /^(src|gateway|demo|e2e|bench|scripts|docs|examples|node_modules)\/|\.test\.|\.map$/.test(file));
    expect(strays).toEqual([]);
  });

  it('points every export, with types first, at a file that exists', () => {
    for (const [entry, target] of Object.entries(pkg.exports as Record<string, string | Record<string, string>>)) {
      const paths = typeof target === 'string' ? [target] : Object.values(target);
      if (typeof target !== 'string') expect(Object.keys(target)[0], entry).toBe('types');
      for (const path of paths) expect(existsSync(`${root}${path}`), `${entry} → ${path}`).toBe(true);
    }
    expect(existsSync(`${root}${pkg.bin['spay-sign']}`)).toBe(true);
    expect(readFileSync(`${root}${pkg.bin['spay-sign']}`, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    expect(pkg.sideEffects).toEqual(['./dist/spay-button.js']);
  });

  it('ships a server-sign that signs like the source', async () => {
    const shipped = await import(`${root}dist/server-sign/index.js`);
    const input = { appId: 'a', title: '白开水', amount: 1, outTradeNo: 'order0001', appSecret: 's' };
    const { signOrder } = await import('../server-sign');
    expect(shipped.signOrder(input)).toBe(signOrder(input));
  });
});

describe.runIf(built)('the script-tag bundle', () => {
  const bundle = readFileSync(`${root}dist/spay-button.js`);
  /** The UI module's file name, as the loader names it. */
  const uiFile = /spay-ui\.[0-9a-f]{10}\.js/.exec(bundle.toString('utf8'))?.[0];

  it(`stays within its gzip budget of ${SCRIPT_TAG_GZIP_BUDGET} bytes`, () => {
    const gzip = gzipSync(bundle, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(SCRIPT_TAG_GZIP_BUDGET);
  });

  it('names a UI module that the build made, and holds none of the UI itself', () => {
    expect(uiFile).toBeDefined();
    expect(existsSync(`${root}dist/assets/${uiFile}`)).toBe(true);
    // The dialog's strings, styles and Preact belong in the UI module.
    for (const part of ['role', 'aria-modal', 'shadowRoot', 'attachShadow', '支付宝', '__H']) expect(bundle.toString('utf8')).not.toContain(part);
  });

  it(`keeps the loader and its UI module within ${LOADER_AND_UI_GZIP_BUDGET} bytes gzip together`, () => {
    const ui = readFileSync(`${root}dist/assets/${uiFile}`);
    const gzip = gzipSync(bundle, { level: 9 }).length + gzipSync(ui, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(LOADER_AND_UI_GZIP_BUDGET);
  });

  it('starts, as each file it fetches does, with the compile hint', () => {
    const lazy = readdirSync(`${root}dist/assets`).map((name) => readFileSync(`${root}dist/assets/${name}`, 'utf8'));
    expect(lazy).toHaveLength(3);
    for (const text of [bundle.toString('utf8'), ...lazy]) expect(text.startsWith(`${COMPILE_HINT}\n`)).toBe(true);
  });

  it('holds no secret-looking string', () => {
    const text = bundle.toString('utf8');
    for (const secret of [DEMO_APP.appSecret, DEMO_APP.masterSecret]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/\b[0-9a-f]{32}\b/i);
  });

  it('defines BC and fires beecloud:onready when run, and touches nothing else at load', async () => {
    const events: string[] = [];
    const touched: string[] = [];
    const documentStub = new Proxy(
      { dispatchEvent: (event: { type: string }) => events.push(event.type), currentScript: null },
      {
        get(target, key) {
          if (!(key in target)) touched.push(String(key));
          return (target as Record<string | symbol, unknown>)[key];
        },
      },
    );
    const sandbox: Record<string, unknown> = {
      document: documentStub,
      Event: class {
        constructor(readonly type: string) {}
      },
      console,
      setTimeout,
      __SPAY_CONFIG__: { appId: 'app', channels: ['ali'], apiBase: 'https://pay.example.com/1/pay/jsbutton', assetBase: 'https://pay.example.com/1/pay/jsbutton/assets/', sandbox: true },
    };
    sandbox.window = sandbox;
    // The loader's import() of the UI module, in the task after, is refused here (Node runs no dynamic import in a vm
    // without a flag), which the loader takes quietly, as a page offline; the browser tests load the module for real.
    runInNewContext(bundle.toString('utf8'), sandbox);
    expect(typeof (sandbox.BC as { click?: unknown }).click).toBe('function');
    expect(events).toEqual(['beecloud:onready']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(touched).toEqual([]);
  });
});
