/**
 * Builds every output with Vite: the script-tag bundle (IIFE), its lazily loaded modules, the ES
 * module for bundlers, and server-sign for Node; then the type declarations with tsc.
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

/** The lazily loaded modules' file names, content-hashed, which the script-tag bundle imports. */
interface LazyFiles {
  qr: string;
  pay: string;
}

const shared = (scriptTag: boolean, lazy: LazyFiles = { qr: '', pay: '' }): InlineConfig => ({
  root,
  configFile: false,
  logLevel: 'warn',
  define: {
    __SCRIPT_TAG__: JSON.stringify(scriptTag),
    __VERSION__: JSON.stringify(version),
    __QR_FILE__: JSON.stringify(lazy.qr),
    __PAY_FILE__: JSON.stringify(lazy.pay),
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});

/**
 * A module the script-tag bundle fetches only when a buyer needs it (the QR encoder, the steps after
 * the bill). Its name carries a hash of its content, so it can be cached for good.
 */
async function buildLazyModule(entry: string, base: string): Promise<string> {
  await build({
    ...shared(true),
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
  const lazy = { qr: await buildLazyModule('src/qr/index.ts', 'spay-qr'), pay: await buildLazyModule('src/pay/follow-bill.ts', 'spay-pay') };
  console.log(`built lazy modules (${lazy.qr}, ${lazy.pay})`);
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
