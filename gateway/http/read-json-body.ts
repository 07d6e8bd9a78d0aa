import { type Refusal, refusal } from './api-answer';
import { isBodyTooLargeError } from './body-too-large-error';
import type { GatewayRequest } from './gateway-request';

/** The largest request body the gateway reads, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

const JSON_TYPES = ['application/json', 'text/plain'];
const UTF8_CHARSETS = ['utf-8', 'utf8'];
// One decoder for every body: decode() without { stream } starts afresh each call.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The outcome of reading a JSON body: the parsed object, or why it was refused. */
export type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; refusal: Refusal };

const refuse = (detail: string, status: number): BodyResult => ({
  ok: false,
  refusal: refusal('PAYLOAD_INVALID', detail, 'body', status),
});

/**
 * Reads a JSON object body sent as application/json or text/plain (the widget uses text/plain to avoid
 * a CORS preflight). Stops reading past MAX_BODY_BYTES. Never throws.
 */
export async function readJsonBody(request: GatewayRequest, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const typeError = checkContentType(request.header('content-type'));
  if (typeError !== undefined) return refuse(typeError, 415);
  let bytes: Uint8Array | 'too-large';
  try {
    bytes = await request.readBody(limit);
  } catch (error) {
    if (isBodyTooLargeError(error)) return refuse(`body must be at most ${limit} bytes`, 413);
    return refuse('body could not be read to its end', 400);
  }
  if (bytes === 'too-large') return refuse(`body must be at most ${limit} bytes`, 413);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return refuse('body must be UTF-8 text', 400);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(`body must be a JSON object (${(error as Error).message})`, 400);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse(`body must be a JSON object (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`, 400);
  }
  return { ok: true, value: value as Record<string, unknown> };
}

// The Content-Types that passed: clients send the same one or two, and parsing one each time costs more than the lookup.
const ACCEPTED_TYPES = new Set<string>();
const ACCEPTED_KEPT = 64;

function checkContentType(header: string | null): string | undefined {
  if (header !== null && ACCEPTED_TYPES.has(header)) return undefined;
  const refused = refuseContentType(header);
  if (refused === undefined && header !== null) {
    if (ACCEPTED_TYPES.size >= ACCEPTED_KEPT) ACCEPTED_TYPES.clear();
    ACCEPTED_TYPES.add(header);
  }
  return refused;
}

function refuseContentType(header: string | null): string | undefined {
  const rule = 'body Content-Type must be application/json or text/plain, in UTF-8';
  if (header === null) return `${rule} (got none)`;
  const [mediaType = '', ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (!JSON_TYPES.includes(mediaType)) return `${rule} (got ${JSON.stringify(header)})`;
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && !UTF8_CHARSETS.includes(charset)) return `${rule} (got ${JSON.stringify(header)})`;
  return undefined;
}
