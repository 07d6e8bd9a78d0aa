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

/** The script-tag bundle's gzip budget in bytes. The target is 10 KB; see README's performance table. */
export const SCRIPT_TAG_GZIP_BUDGET = 14.5 * 1024;

describe.runIf(built)('the built package', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

  it('packs only what a user needs', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = packed.files.map((file: { path: string }) => file.path);
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/spay-button.js', 'dist/esm/index.js', 'dist/types/src/index.d.ts', 'dist/server-sign/index.js', 'dist/server-sign/cli.js', 'dist/types/server-sign/index.d.ts']) {
      expect(files).toContain(needed);
    }
    for (const lazy of ['spay-qr', 'spay-pay']) {
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

  it(`stays within its gzip budget of ${SCRIPT_TAG_GZIP_BUDGET} bytes`, () => {
    const gzip = gzipSync(bundle, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(SCRIPT_TAG_GZIP_BUDGET);
  });

  it('starts, as each lazily loaded file does, with the compile hint', () => {
    const lazy = readdirSync(`${root}dist/assets`).map((name) => readFileSync(`${root}dist/assets/${name}`, 'utf8'));
    expect(lazy).toHaveLength(2);
    for (const text of [bundle.toString('utf8'), ...lazy]) expect(text.startsWith(`${COMPILE_HINT}\n`)).toBe(true);
  });

  it('holds no secret-looking string', () => {
    const text = bundle.toString('utf8');
    for (const secret of [DEMO_APP.appSecret, DEMO_APP.masterSecret]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/\b[0-9a-f]{32}\b/i);
  });

  it('defines BC and fires beecloud:onready when run, and touches nothing else at load', () => {
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
      __SPAY_CONFIG__: { appId: 'app', channels: ['ali'], apiBase: 'https://pay.example.com/1/pay/jsbutton', assetBase: 'https://pay.example.com/1/pay/jsbutton/assets/', sandbox: true },
    };
    sandbox.window = sandbox;
    runInNewContext(bundle.toString('utf8'), sandbox);
    expect(typeof (sandbox.BC as { click?: unknown }).click).toBe('function');
    expect(events).toEqual(['beecloud:onready']);
    expect(touched).toEqual([]);
  });
});
