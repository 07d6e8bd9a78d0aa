import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { type Answer, answerWith } from './answer';
import type { GatewayRequest } from './gateway-request';

/** A content coding the gateway can send. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

/** One representation's bytes in each coding worth sending, each with its strong ETag. */
export type EncodedBody = { identity: Variant } & Partial<Record<'br' | 'gzip', Variant>>;

/** The bytes of one coding and their ETag. */
export interface Variant {
  bytes: Buffer<ArrayBuffer>;
  etag: string;
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Brotli quality for a body compressed once and sent many times. */
export const BEST_BROTLI = constants.BROTLI_MAX_QUALITY;
/** Brotli quality for a body whose cache entry anyone can make (e.g. by naming an unknown app): ~40× faster, ~8% larger. */
export const FAST_BROTLI = 5;

/**
 * Encodes `bytes` once for sending: brotli (at `brotliQuality`) and gzip, each kept only when smaller than the bytes
 * themselves. The ETags come from a hash of the bytes, with the coding appended, so that each coded form has its own.
 * Compression runs on the thread pool.
 */
export async function encodeBody(bytes: Buffer<ArrayBuffer>, options: { compress: boolean; brotliQuality?: number }): Promise<EncodedBody> {
  const tag = createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
  const body: EncodedBody = { identity: { bytes, etag: `"${tag}"` } };
  if (!options.compress) return body;
  const [br, gz] = await Promise.all([
    brotliAsync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? BEST_BROTLI,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }),
    gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  if (br.byteLength < bytes.byteLength) body.br = { bytes: br, etag: `"${tag}-br"` };
  if (gz.byteLength < bytes.byteLength) body.gzip = { bytes: gz, etag: `"${tag}-gzip"` };
  return body;
}

/**
 * The coding to send for an Accept-Encoding header, among those `body` has: the highest q-value, brotli before gzip
 * before identity on a tie; identity counts only when the header names it, and is the answer when nothing else is
 * acceptable (RFC 9110 §12.5.3 makes it acceptable by default).
 */
export function chooseCoding(acceptEncoding: string | null, body: EncodedBody): ContentCoding {
  if (acceptEncoding === null || (body.br === undefined && body.gzip === undefined)) return 'identity';
  const weights = new Map<string, number>();
  for (const item of acceptEncoding.split(',')) {
    const [name = '', ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    weights.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const weight = (coding: ContentCoding): number => weights.get(coding) ?? (coding === 'identity' ? 0 : (weights.get('*') ?? 0));
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of ['br', 'gzip', 'identity'] as const) {
    if (coding !== 'identity' && body[coding] === undefined) continue;
    if (weight(coding) > bestWeight) {
      best = coding;
      bestWeight = weight(coding);
    }
  }
  return best;
}

/** True when an If-None-Match header is `*` or lists `etag`, compared weakly as RFC 9110 §13.1.2 asks for this header. */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((item) => item.trim().replace(/^W\//, '') === etag);
}

/**
 * The answer to `request` for `body`: the coding its Accept-Encoding prefers, with that coding's ETag, or 304 Not
 * Modified when If-None-Match already names it. `headers` go on both; Content-Type on the 200 only.
 */
export function encodedAnswer(request: GatewayRequest, body: EncodedBody, contentType: string, headers: Record<string, string>): Answer {
  const coding = chooseCoding(request.header('accept-encoding'), body);
  const variant = body[coding] ?? body.identity;
  const common: Record<string, string> = { ...headers, ETag: variant.etag };
  if (body.br !== undefined || body.gzip !== undefined) common.Vary = 'Accept-Encoding';
  if (matchesEtag(request.header('if-none-match'), variant.etag)) return answerWith(null, 304, common);
  const sent: Record<string, string> = { 'Content-Type': contentType, ...common };
  if (coding !== 'identity') sent['Content-Encoding'] = coding;
  return answerWith(variant.bytes, 200, sent);
}
