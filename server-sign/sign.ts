import { createHash, timingSafeEqual } from 'node:crypto';
import { describeDigest } from './describe-value';
import { isSignInputError } from './sign-input-error';
import { requireAmount, requireSecret, requireText, requireTimestamp } from './sign-input';

const MD5_HEX = /^[0-9a-f]{32}$/i;
const HEX = /^[0-9a-f]+$/i;

/** The outcome of a verification: `ok`, or a sentence saying which field is wrong and why. */
export type VerifyResult = { ok: true } | { ok: false; error: string };

/** What goes into an order `sign`; `amount` exactly as the page sends it (`1` and `"1"` sign alike). */
export interface OrderSignInput {
  appId: string;
  title: string;
  amount: string | number;
  outTradeNo: string;
  appSecret: string;
}

/** Returns the lowercase hex MD5 of the UTF-8 bytes of `text`. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Compares two hex strings case-insensitively in constant time; false for non-strings, empty or non-hex strings, or different lengths. */
export function safeEqualHex(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a.toLowerCase(), 'latin1'), Buffer.from(b.toLowerCase(), 'latin1'));
}

/** True when `value` looks like an MD5 digest: 32 hex characters, any case. */
export function isMd5Hex(value: unknown): value is string {
  return typeof value === 'string' && MD5_HEX.test(value);
}

/** Returns the order sign, md5(appId + title + amount + outTradeNo + appSecret); throws SignInputError on a bad input. */
export function signOrder(input: OrderSignInput): string {
  const appId = requireText('appId', input.appId);
  const title = requireText('title', input.title);
  const amount = requireAmount('amount', input.amount);
  const outTradeNo = requireText('outTradeNo', input.outTradeNo);
  const appSecret = requireSecret('appSecret', input.appSecret);
  return md5Hex(appId + title + amount + outTradeNo + appSecret);
}

/** Checks an order `sign` against its inputs in constant time; never throws. */
export function verifyOrderSign(input: OrderSignInput & { sign: unknown }): VerifyResult {
  return verifyDigest('sign', input.sign, 'appId + title + amount + outTradeNo + appSecret', () => signOrder(input));
}

/** Returns the REST `app_sign`, md5(appId + timestamp + secret); the secret is app_secret, or master_secret for refunds. Throws SignInputError. */
export function signRestApp(appId: string, timestamp: number | string, secret: string): string {
  return md5Hex(requireText('appId', appId) + requireTimestamp('timestamp', timestamp) + requireSecret('secret', secret));
}

/** Checks a REST `app_sign` in constant time; never throws. */
export function verifyRestAppSign(appId: string, timestamp: number | string, secret: string, appSign: unknown): VerifyResult {
  return verifyDigest('app_sign', appSign, 'appId + timestamp + secret', () => signRestApp(appId, timestamp, secret));
}

/**
 * Shared by every verify function: format of the given digest first, then the inputs, then a
 * constant-time compare. Input errors become results, because a verifier must never throw into a request handler.
 */
export function verifyDigest(field: string, given: unknown, recipe: string, expected: () => string): VerifyResult {
  if (!isMd5Hex(given)) {
    return { ok: false, error: `${field} must be 32 hex characters (got ${describeDigest(given)})` };
  }
  let digest: string;
  try {
    digest = expected();
  } catch (error) {
    if (isSignInputError(error)) return { ok: false, error: error.message };
    throw error;
  }
  // The expected value stays out of the message: it would hand a forger the answer.
  return safeEqualHex(given, digest) ? { ok: true } : { ok: false, error: `${field} does not match md5(${recipe})` };
}
