import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Row } from './table';

/** The repository root (bench/ sits in it). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Raw, gzip -9 and brotli (quality 11) sizes of one piece of text. */
export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

/** Measures raw, gzip (zlib level 9) and brotli (max quality, text mode) bytes. */
export function measureSizes(bytes: Buffer | string): Sizes {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return {
    raw: buffer.byteLength,
    gzip: gzipSync(buffer, { level: 9 }).byteLength,
    brotli: brotliCompressSync(buffer, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: buffer.byteLength,
      },
    }).byteLength,
  };
}

/** What the gateway's returnscripts answer looked like on the wire: the decoded text, its coding, and the bytes sent. */
export interface ServedScript {
  body: string;
  contentEncoding: string | null;
  wireBytes: number;
}

/** A lazily loaded module's file name; the build puts a content hash in it. */
function lazyModuleFile(base: string): string {
  const name = readdirSync(join(ROOT, 'dist/assets')).find((file) => new RegExp(`^${base}\\.[0-9a-f]+\\.js$`).test(file));
  if (!name) throw new Error(`dist/assets holds no ${base}.<hash>.js: run npm run build`);
  return name;
}

/**
 * Bundle rows: the built outputs, the script as returnscripts serves it (wrapped with the app config),
 * and Preact's own minified files as the floor. Bytes are deterministic, so each row has one value.
 */
export function bundleRows(served: ServedScript): Row[] {
  const require = createRequire(join(ROOT, 'package.json'));
  const preactDir = dirname(require.resolve('preact/package.json'));
  const files: Array<[string, string]> = [
    ['dist/spay-button.js (script tag)', join(ROOT, 'dist/spay-button.js')],
    ['dist/assets/spay-pay.<hash>.js (lazy, after a channel is chosen)', join(ROOT, 'dist/assets', lazyModuleFile('spay-pay'))],
    ['dist/assets/spay-qr.<hash>.js (lazy, QR bills only)', join(ROOT, 'dist/assets', lazyModuleFile('spay-qr'))],
    ['dist/esm/index.js (ES module)', join(ROOT, 'dist/esm/index.js')],
  ];
  const rows: Row[] = [];
  const add = (figure: string, sizes: Sizes) => {
    rows.push({ section: 'bundle', figure: `${figure} raw`, unit: 'bytes', values: [sizes.raw], exact: true });
    rows.push({ section: 'bundle', figure: `${figure} gzip -9`, unit: 'bytes', values: [sizes.gzip], exact: true });
    rows.push({ section: 'bundle', figure: `${figure} brotli q11`, unit: 'bytes', values: [sizes.brotli], exact: true });
  };
  add(files[0]![0], measureSizes(readFileSync(files[0]![1])));
  add('returnscripts (wrapped with config)', measureSizes(served.body));
  rows.push({
    section: 'bundle',
    figure: `returnscripts as sent (Content-Encoding: ${served.contentEncoding ?? 'none'})`,
    unit: 'bytes',
    values: [served.wireBytes],
    exact: true,
  });
  for (const [figure, path] of files.slice(1)) add(figure, measureSizes(readFileSync(path)));
  const preact = readFileSync(join(preactDir, 'dist/preact.mjs'));
  const hooks = readFileSync(join(preactDir, 'hooks/dist/hooks.mjs'));
  add('floor: preact/dist/preact.mjs', measureSizes(preact));
  add('floor: preact + preact/hooks', measureSizes(Buffer.concat([preact, Buffer.from('\n'), hooks])));
  return rows;
}
