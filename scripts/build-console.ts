/**
 * Builds the merchant console's pages (gateway/console/ui, Preact) with Vite into `<out>/console/`: index.html and
 * content-hashed assets, the scripts after V8's compile hint like the widget's files. No inline script or style,
 * so the gateway serves them under a strict Content-Security-Policy.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { COMPILE_HINT } from '../src/compile-hint';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds the console into `${out}console/`; `out` ends with a slash. */
export async function buildConsole(out: string): Promise<void> {
  await build({
    root: `${root}gateway/console/ui`,
    configFile: false,
    logLevel: 'warn',
    base: './',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: `${out}console`,
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      // The polyfill would be an inline script, which the console's CSP refuses.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      rollupOptions: { output: { postBanner: COMPILE_HINT } },
    },
  });
  console.log('built console');
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await buildConsole(`${root}dist/`);
}
