import { randomBytes } from 'node:crypto';

/** An unguessable bill id: 128 random bits, base64url (22 chars). */
export function newBillId(): string {
  return randomBytes(16).toString('base64url');
}

/** `length` random lowercase hex characters (for nonces and prepay ids). */
export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}
