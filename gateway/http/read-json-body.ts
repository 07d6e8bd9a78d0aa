import { type Refusal, refusal } from './api-answer';
import { isBodyTooLargeError } from './body-too-large-error';

/** The largest request body the gateway reads, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

const JSON_TYPES = ['application/json', 'text/plain'];
const UTF8_CHARSETS = ['utf-8', 'utf8'];

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
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const typeError = checkContentType(request.headers.get('content-type'));
  if (typeError !== undefined) return refuse(typeError, 415);
  let bytes: Uint8Array | 'too-large';
  try {
    bytes = await readLimited(request, limit);
  } catch (error) {
    if (isBodyTooLargeError(error)) return refuse(`body must be at most ${limit} bytes`, 413);
    return refuse('body could not be read to its end', 400);
  }
  if (bytes === 'too-large') return refuse(`body must be at most ${limit} bytes`, 413);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
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

function checkContentType(header: string | null): string | undefined {
  const rule = 'body Content-Type must be application/json or text/plain, in UTF-8';
  if (header === null) return `${rule} (got none)`;
  const [mediaType = '', ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (!JSON_TYPES.includes(mediaType)) return `${rule} (got ${JSON.stringify(header)})`;
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && !UTF8_CHARSETS.includes(charset)) return `${rule} (got ${JSON.stringify(header)})`;
  return undefined;
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array | 'too-large'> {
  if (request.body === null) return new Uint8Array(0);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body.cancel().catch(() => undefined);
    return 'too-large';
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
