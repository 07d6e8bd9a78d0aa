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

/** A module in dist/assets: its file name carries a content hash. */
export function lazyModuleFile(base: string): string {
  const name = readdirSync(join(ROOT, 'dist/assets')).find((file) => new RegExp(`^${base}\\.[0-9a-f]+\\.js$`).test(file));
  if (!name) throw new Error(`dist/assets holds no ${base}.<hash>.js: run npm run build`);
  return name;
}

/** What the two gateways of the bench sent: one serving dist/ (the loader), one serving the single file it replaced. */
export interface ServedFiles {
  /** returnscripts from each gateway. */
  loader: ServedScript;
  single: ServedScript;
  /** The single-file spay-button.js the bench built (its folder is gone once the browser figures are done). */
  singleFile: Buffer;
  /** Bytes on the wire of each module in dist/assets ("spay-ui", "spay-pay", "spay-qr"), as the gateway sends it. */
  assets: Record<string, number>;
}

/**
 * Bundle rows: the built outputs, the single file the loader replaced (built by the bench), the script as
 * returnscripts serves it (wrapped with the app config) from both builds, what a paying buyer downloads with each,
 * and Preact's own minified files as the floor. Bytes are deterministic, so each row has one value.
 */
export function bundleRows(served: ServedFiles): Row[] {
  const require = createRequire(join(ROOT, 'package.json'));
  const preactDir = dirname(require.resolve('preact/package.json'));
  const files: Array<[string, string]> = [
    ['dist/spay-button.js (script tag: the loader)', join(ROOT, 'dist/spay-button.js')],
    ['dist/assets/spay-ui.<hash>.js (UI module, fetched as the loader runs)', join(ROOT, 'dist/assets', lazyModuleFile('spay-ui'))],
    ['dist/assets/spay-pay.<hash>.js (lazy, after a channel is chosen)', join(ROOT, 'dist/assets', lazyModuleFile('spay-pay'))],
    ['dist/assets/spay-qr.<hash>.js (lazy, QR bills only)', join(ROOT, 'dist/assets', lazyModuleFile('spay-qr'))],
    ['dist/esm/index.js (ES module)', join(ROOT, 'dist/esm/index.js')],
  ];
  const rows: Row[] = [];
  const exact = (figure: string, value: number): Row => ({ section: 'bundle', figure, unit: 'bytes', values: [value], exact: true });
  const add = (figure: string, sizes: Sizes) => {
    rows.push(exact(`${figure} raw`, sizes.raw), exact(`${figure} gzip -9`, sizes.gzip), exact(`${figure} brotli q11`, sizes.brotli));
  };
  for (const [figure, path] of files.slice(0, 2)) add(figure, measureSizes(readFileSync(path)));
  add('before: the single script-tag file (UI inside)', measureSizes(served.singleFile));
  add('returnscripts (wrapped with config)', measureSizes(served.loader.body));
  const asSent = (script: ServedScript) => `Content-Encoding: ${script.contentEncoding ?? 'none'}`;
  rows.push(exact(`returnscripts as sent (${asSent(served.loader)})`, served.loader.wireBytes));
  rows.push(exact(`before: returnscripts as sent (${asSent(served.single)})`, served.single.wireBytes));
  const asset = (base: string) => served.assets[base] ?? Number.NaN;
  const buyer = served.loader.wireBytes + asset('spay-ui') + asset('spay-pay');
  const buyerBefore = served.single.wireBytes + asset('spay-pay');
  rows.push(exact('a buyer who pays, as sent: returnscripts + spay-ui + spay-pay', buyer));
  rows.push(exact('before: a buyer who pays, as sent: returnscripts + spay-pay', buyerBefore));
  rows.push(exact('a buyer who pays: now − before (a QR bill adds spay-qr to both)', buyer - buyerBefore));
  // The bench's gateway has no public URL, so it sends returnscripts at the fast brotli; with SPAY_PUBLIC_URL set it
  // sends the smallest, as it does the assets. This is that case.
  const pay = measureSizes(readFileSync(join(ROOT, 'dist/assets', lazyModuleFile('spay-pay')))).brotli;
  const ui = measureSizes(readFileSync(join(ROOT, 'dist/assets', lazyModuleFile('spay-ui')))).brotli;
  const best = measureSizes(served.loader.body).brotli + ui + pay - (measureSizes(served.single.body).brotli + pay);
  rows.push(exact('a buyer who pays: now − before, everything at brotli q11 (a gateway with SPAY_PUBLIC_URL)', best));
  for (const [figure, path] of files.slice(2)) add(figure, measureSizes(readFileSync(path)));
  const preact = readFileSync(join(preactDir, 'dist/preact.mjs'));
  const hooks = readFileSync(join(preactDir, 'hooks/dist/hooks.mjs'));
  add('floor: preact/dist/preact.mjs', measureSizes(preact));
  add('floor: preact + preact/hooks', measureSizes(Buffer.concat([preact, Buffer.from('\n'), hooks])));
  return rows;
}
