import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { COMPILE_HINT } from '../../src/compile-hint';
import { ROOT, lazyModuleFile } from '../bundle-size';

/**
 * Builds the script-tag file as it was before the loader (bench/single-file/global.ts: the UI in one file) into a
 * fresh temporary widget directory, beside copies of the lazy modules dist/ holds, which it fetches by the same names.
 * A second gateway serves that directory, so the bench measures both builds in one run. Returns the directory.
 */
export async function buildSingleFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'spay-single-file-'));
  const qr = lazyModuleFile('spay-qr');
  const pay = lazyModuleFile('spay-pay');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    define: {
      __SCRIPT_TAG__: 'true',
      __VERSION__: JSON.stringify(version),
      __QR_FILE__: JSON.stringify(qr),
      __PAY_FILE__: JSON.stringify(pay),
    },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: dir,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: join(ROOT, 'bench/single-file/global.ts'), formats: ['iife'], name: 'SpayButton', fileName: () => 'spay-button.js' },
      rollupOptions: { output: { postBanner: COMPILE_HINT } },
    },
  });
  mkdirSync(join(dir, 'assets'));
  for (const name of [qr, pay]) copyFileSync(join(ROOT, 'dist/assets', name), join(dir, 'assets', name));
  return dir;
}
