import { createHash, timingSafeEqual } from 'node:crypto';
import { signRestApp, safeEqualHex } from '../../server-sign';
import { describeValue } from '../../src/core/describe-value';
import type { App } from '../apps';
import type { BillMode } from '../bills/bill';
import { type Refusal, refusal } from '../http/api-answer';
import type { GatewayRequest } from '../http/gateway-request';
import { isBodyTooLargeError } from '../http/body-too-large-error';
import { MAX_BODY_BYTES, readJsonBody } from '../http/read-json-body';
import { parsePythonLiteral } from './python-literal';
import type { RestFields } from './rest-fields';

/** How far a request's `timestamp` may be from the gateway's clock: the sign binds no body, so old ones must not replay. */
export const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

/** Which of the app's secrets signs a call: the app secret (bills, queries) or the master secret (refunds). */
export type SignedWith = 'app' | 'master';

/** A REST call whose app and app_sign checked out: the app, its mode and the request's fields. */
export interface RestCall {
  app: App;
  mode: BillMode;
  fields: RestFields;
}

/** A checked call, or the refusal to answer. */
export type RestCallResult = { ok: true; call: RestCall } | { ok: false; refusal: Refusal };

const refuse = (...args: Parameters<typeof refusal>): { ok: false; refusal: Refusal } => ({ ok: false, refusal: refusal(...args) });

/**
 * The fields of a GET: the JSON object in `?para=` (URL-encoded; `+` as a space, as form encoding gives it), or the
 * Python dict literal that BeeCloud's Python SDK sends there. Never throws: a missing or malformed `para` is a
 * refusal naming `para`.
 */
export function readPara(request: GatewayRequest): { ok: true; fields: RestFields } | { ok: false; refusal: Refusal } {
  let text: string | null;
  try {
    text = request.url.searchParams.get('para');
  } catch {
    text = null;
  }
  const rule = 'para must be a URL-encoded JSON object, e.g. ?para={"app_id":"…","timestamp":…,"app_sign":"…"}';
  if (text === null || text.trim() === '') return refuse('MISS_PARAM', `${rule} (got nothing)`, 'para');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    value = parsePythonLiteral(text);
    if (value === undefined) return refuse('PARAM_INVALID', `${rule} (got text that is not JSON: ${(error as Error).message})`, 'para');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('PARAM_INVALID', `${rule} (got ${Array.isArray(value) ? 'an array' : describeValue(value)})`, 'para');
  }
  return { ok: true, fields: value as RestFields };
}

/**
 * The fields of a POST: its JSON object body. BeeCloud parsed the body whatever its Content-Type said, and some HTTP
 * clients send JSON with none or with a form type, so any type but JSON's own is read as JSON too. Never throws.
 */
export async function readRestBody(request: GatewayRequest): Promise<{ ok: true; fields: RestFields } | { ok: false; refusal: Refusal }> {
  const type = (request.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type === 'text/plain') {
    const body = await readJsonBody(request);
    return body.ok ? { ok: true, fields: body.value } : body;
  }
  const bad = (detail: string) => refuse('PAYLOAD_INVALID', detail, 'body');
  let bytes: Uint8Array | 'too-large';
  try {
    bytes = await request.readBody(MAX_BODY_BYTES);
  } catch (error) {
    return bad(isBodyTooLargeError(error) ? `body must be at most ${MAX_BODY_BYTES} bytes` : 'body could not be read to its end');
  }
  if (bytes === 'too-large') return bad(`body must be at most ${MAX_BODY_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return bad(`body must be a JSON object in UTF-8 (got ${bytes.length} bytes that are not, sent as ${JSON.stringify(type || 'no Content-Type')})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(`body must be a JSON object (got ${Array.isArray(value) ? 'an array' : describeValue(value)})`);
  return { ok: true, fields: value as RestFields };
}

/**
 * Checks `app_id`, `timestamp` (milliseconds, within TIMESTAMP_WINDOW_MS of `now`) and `app_sign` =
 * md5(app_id + timestamp + secret) in constant time. The secret is the app's testSecret in test mode; in live mode
 * the app secret, or the master secret for refunds, where an app-secret sign is accepted only when the same fields
 * carry the app's correct `master_secret` (the BeeCloud Node SDK signs every call with the app secret and sends its
 * secrets along). Secret fields are checked, never echoed or logged.
 */
export function authenticate(
  apps: ReadonlyMap<string, App>,
  fields: RestFields,
  mode: BillMode,
  signedWith: SignedWith,
  now: number,
): RestCallResult {
  const appId = fields.app_id;
  if (appId === undefined || appId === null || appId === '') return refuse('MISS_PARAM', 'app_id is required (got nothing)', 'app_id');
  const app = typeof appId === 'string' ? apps.get(appId) : undefined;
  if (app === undefined) return refuse('APP_INVALID', `app_id must name a known app (got ${describeValue(appId)})`, 'app_id');
  if (mode === 'test' && app.testSecret === undefined) {
    return refuse('APP_INVALID', `app ${JSON.stringify(app.appId)} has no test mode: its entry in the apps file has no testSecret`, 'app_id');
  }

  const timestamp = fields.timestamp;
  if (timestamp === undefined || timestamp === null || timestamp === '') return refuse('MISS_PARAM', 'timestamp is required (got nothing)', 'timestamp');
  const millis = typeof timestamp === 'number' ? timestamp : typeof timestamp === 'string' && /^[1-9][0-9]{0,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isSafeInteger(millis) || millis <= 0) {
    return refuse('PARAM_INVALID', `timestamp must be the signing time in milliseconds since 1970, e.g. Date.now() (got ${describeValue(timestamp)})`, 'timestamp');
  }
  const drift = millis - now;
  if (Math.abs(drift) > TIMESTAMP_WINDOW_MS) {
    const minutes = Math.round(Math.abs(drift) / 60000);
    const side = drift < 0 ? 'behind' : 'ahead of';
    const hint = millis < 1e11 ? 'it looks like seconds, send milliseconds' : "check the server's clock";
    const detail = `timestamp must be within 15 minutes of the gateway's clock (got ${millis}, ${minutes} minutes ${side} it; ${hint})`;
    return refuse('PARAM_INVALID', detail, 'timestamp');
  }

  const appSign = fields.app_sign;
  if (appSign === undefined || appSign === null || appSign === '') return refuse('MISS_PARAM', 'app_sign is required (got nothing)', 'app_sign');
  if (typeof appSign !== 'string' || !/^[0-9a-fA-F]{32}$/.test(appSign)) {
    return refuse('PARAM_INVALID', `app_sign must be 32 hex characters (got ${typeof appSign === 'string' ? `${appSign.length} chars` : describeValue(appSign)})`, 'app_sign');
  }
  // The sign is made of the timestamp as sent: 1435890533866 and "1435890533866" sign alike.
  const signs = (secret: string): boolean => safeEqualHex(appSign, signRestApp(app.appId, String(timestamp), secret));
  const wanted = mode === 'test' ? 'test_secret' : signedWith === 'master' ? 'master_secret' : 'app_secret';
  const secret = mode === 'test' ? (app.testSecret as string) : signedWith === 'master' ? app.masterSecret : app.appSecret;
  if (signs(secret)) return { ok: true, call: { app, mode, fields } };
  if (mode === 'live' && signedWith === 'master' && signs(app.appSecret)) {
    if (safeEqualText(fields.master_secret, app.masterSecret)) return { ok: true, call: { app, mode, fields } };
    return refuse(
      'APP_INVALID',
      'app_sign of a refund must be md5(app_id + timestamp + master_secret); a sign made with the app secret is accepted only together with the app\'s correct master_secret field',
      'app_sign',
    );
  }
  if (mode === 'live' && app.testSecret !== undefined && signs(app.testSecret)) {
    return refuse('APP_INVALID', `app_sign is made with the test secret, which signs test mode only: send test calls to /2/rest/sandbox/…, live ones signed with ${wanted}`, 'app_sign');
  }
  return refuse('APP_INVALID', `app_sign does not match md5(app_id + timestamp + ${wanted})`, 'app_sign');
}

// Secrets are not hex, so safeEqualHex cannot compare them; equal-length digests can be compared in constant time.
function safeEqualText(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The mode a REST path is in: test under /2/rest/sandbox/, else live (the route's optional `sandbox/` group). */
export function restMode(sandboxSegment: string | undefined): BillMode {
  return sandboxSegment === undefined || sandboxSegment === '' ? 'live' : 'test';
}
