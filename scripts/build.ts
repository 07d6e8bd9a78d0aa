/**
 * Builds every output with Vite: the script-tag loader (IIFE), the UI module it fetches and the lazily loaded
 * modules after it, the ES module for bundlers, and server-sign for Node; then the type declarations with tsc.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';
import { COMPILE_HINT } from '../src/compile-hint';
import { buildConsole } from './build-console';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

// Everything is built into a fresh folder that replaces dist/ at the end, so a gateway or a
// benchmark reading dist/ never sees it half-built.
const out = `${root}dist.building-${process.pid}/`;

/** The content-hashed file names of the modules the script-tag build fetches: the UI, then the two lazy ones. */
interface LazyFiles {
  ui: string;
  qr: string;
  pay: string;
}

const NO_FILES: LazyFiles = { ui: '', qr: '', pay: '' };

const shared = (scriptTag: boolean, lazy: LazyFiles = NO_FILES): InlineConfig => ({
  root,
  configFile: false,
  logLevel: 'warn',
  define: {
    __SCRIPT_TAG__: JSON.stringify(scriptTag),
    __VERSION__: JSON.stringify(version),
    __QR_FILE__: JSON.stringify(lazy.qr),
    __PAY_FILE__: JSON.stringify(lazy.pay),
    __UI_FILE__: JSON.stringify(lazy.ui),
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});

/**
 * A module the script-tag build fetches from the gateway: the UI, which the loader fetches as it runs, and those
 * fetched only when a buyer needs them (the steps after the bill, the QR encoder). Its name carries a hash of its
 * content, so it can be cached for good. `lazy` names the modules this one fetches in turn.
 */
async function buildLazyModule(entry: string, base: string, lazy: LazyFiles = NO_FILES): Promise<string> {
  await build({
    ...shared(true, lazy),
    build: {
      outDir: `${out}assets`,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry, formats: ['es'], fileName: () => `${base}.js` },
      // Library mode leaves ES output unminified (for the merchant's bundler); these files go to browsers as they are.
      rollupOptions: { output: { minify: true, postBanner: COMPILE_HINT } },
    },
  });
  const hash = createHash('sha256').update(readFileSync(`${out}assets/${base}.js`)).digest('hex').slice(0, 10);
  const name = `${base}.${hash}.js`;
  renameSync(`${out}assets/${base}.js`, `${out}assets/${name}`);
  return name;
}

const outputs = (lazy: LazyFiles): Record<string, InlineConfig> => ({
  'script tag': {
    ...shared(true, lazy),
    build: {
      outDir: out,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: 'src/global.ts', formats: ['iife'], name: 'SpayButton', fileName: () => 'spay-button.js' },
      // For pages that load this file as it is; returnscripts puts the hint before its own wrapper.
      rollupOptions: { output: { postBanner: COMPILE_HINT } },
    },
  },
  'ES module': {
    ...shared(false),
    build: {
      outDir: `${out}esm`,
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' },
      rollupOptions: { external: [/^preact(\/|$)/, /^qrcode(\/|$)/] },
    },
  },
  'server-sign': {
    ...shared(false),
    build: {
      outDir: `${out}server-sign`,
      emptyOutDir: false,
      target: 'node20',
      ssr: true,
      minify: false,
      rollupOptions: {
        input: { index: 'server-sign/index.ts', cli: 'server-sign/cli.ts' },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
});

rmSync(out, { recursive: true, force: true });
try {
  const after = { ...NO_FILES, qr: await buildLazyModule('src/qr/index.ts', 'spay-qr'), pay: await buildLazyModule('src/pay/follow-bill.ts', 'spay-pay') };
  const lazy = { ...after, ui: await buildLazyModule('src/script-ui.ts', 'spay-ui', after) };
  console.log(`built the UI and lazy modules (${lazy.ui}, ${lazy.pay}, ${lazy.qr})`);
  for (const [name, config] of Object.entries(outputs(lazy))) {
    await build(config);
    console.log(`built ${name}`);
  }
  await buildConsole(out);
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.types.json`, '--outDir', `${out}types`], {
    stdio: 'inherit',
  });
  console.log('built types');
  const old = `${root}dist.old-${process.pid}`;
  if (existsSync(`${root}dist`)) renameSync(`${root}dist`, old);
  renameSync(out, `${root}dist`);
  rmSync(old, { recursive: true, force: true });
} catch (error) {
  rmSync(out, { recursive: true, force: true });
  throw error;
}
