/**
 * Builds every output with Vite: the script-tag bundle (IIFE), its lazily loaded QR module, the ES
 * module for bundlers, and server-sign for Node; then the type declarations with tsc.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

const shared = (scriptTag: boolean): InlineConfig => ({
  root,
  configFile: false,
  logLevel: 'warn',
  define: { __SCRIPT_TAG__: JSON.stringify(scriptTag), __VERSION__: JSON.stringify(version) },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});

const outputs: Record<string, InlineConfig> = {
  'script tag': {
    ...shared(true),
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: 'src/global.ts', formats: ['iife'], name: 'SpayButton', fileName: () => 'spay-button.js' },
    },
  },
  'QR module': {
    ...shared(true),
    build: {
      outDir: 'dist/assets',
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: 'src/qr/qr-matrix.ts', formats: ['es'], fileName: () => 'spay-qr.js' },
    },
  },
  'ES module': {
    ...shared(false),
    build: {
      outDir: 'dist/esm',
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' },
      rollupOptions: { external: [/^preact(\/|$)/, 'qrcode'] },
    },
  },
  'server-sign': {
    ...shared(false),
    build: {
      outDir: 'dist/server-sign',
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
};

rmSync(`${root}dist`, { recursive: true, force: true });
for (const [name, config] of Object.entries(outputs)) {
  await build(config);
  console.log(`built ${name}`);
}
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.types.json`], { stdio: 'inherit' });
console.log('built types');
