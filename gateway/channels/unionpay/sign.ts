import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** UnionPay's message fields: names to values, as sent (form fields) or received (response, notify). */
export type UnionpayFields = Record<string, string>;

/**
 * The string UnionPay signs (signMethod 01, version 5.1.0): every non-empty field but `signature`, sorted by name,
 * as `k=v&…`, values as they are (no URL encoding).
 */
export function signString(fields: UnionpayFields): string {
  return Object.keys(fields)
    .filter((name) => name !== 'signature' && fields[name] !== undefined && fields[name] !== '')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

/** The lowercase hex SHA-256 of the sign string: what SHA256withRSA then signs (the ACP SDK's sha256X16Str). */
export function signDigestHex(fields: UnionpayFields): string {
  return createHash('sha256').update(signString(fields), 'utf8').digest('hex');
}

/** The base64 `signature` of `fields` with the merchant's (or, in the emulator, UnionPay's) signing key. */
export function signFields(fields: UnionpayFields, privateKey: KeyObject): string {
  return sign('sha256', Buffer.from(signDigestHex(fields), 'utf8'), privateKey).toString('base64');
}

/** Whether `fields.signature` is a valid signature of `fields` by `publicKey`; false for a missing or malformed one. */
export function verifyFields(fields: UnionpayFields, publicKey: KeyObject): boolean {
  const signature = fields.signature;
  if (signature === undefined || signature === '') return false;
  try {
    return verify('sha256', Buffer.from(signDigestHex(fields), 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
