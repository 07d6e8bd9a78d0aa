import { randomFillSync } from 'node:crypto';

// One call to the system's random source per 4 KiB rather than per id: each call costs a few µs, about 5% of a bill.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/** `count` fresh random bytes, valid until the next call. */
function randomBytesFromPool(count: number): Buffer {
  if (used + count > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(Math.max(POOL_BYTES, count)));
    used = 0;
  }
  used += count;
  return pool.subarray(used - count, used);
}

/** An unguessable bill id: 128 random bits, base64url (22 chars). */
export function newBillId(): string {
  return randomBytesFromPool(16).toString('base64url');
}

/** `length` random lowercase hex characters (for nonces and prepay ids). */
export function randomHex(length: number): string {
  return randomBytesFromPool(Math.ceil(length / 2)).toString('hex').slice(0, length);
}
