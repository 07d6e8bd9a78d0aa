import { createHash, createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';

// The emulator's own copy of the ACP SDK's signMethod 01 recipe, written from the specification rather than shared
// with the connector, so that a mistake on one side does not hide behind the same mistake on the other.

/** Sorted non-empty fields but `signature`, `k=v&…`, then SHA-256 as lowercase hex (SecureUtil.sha256X16Str). */
export function acpDigestHex(fields: Record<string, string>): string {
  const text = Object.entries(fields)
    .filter(([name, value]) => name !== 'signature' && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Whether `fields.signature` is SHA256withRSA over acpDigestHex by the holder of `publicKey`. */
export function acpVerify(fields: Record<string, string>, publicKey: KeyObject): boolean {
  try {
    return verify('sha256', Buffer.from(acpDigestHex(fields)), publicKey, Buffer.from(fields.signature ?? '', 'base64'));
  } catch {
    return false;
  }
}

/** A signer: UnionPay's signing certificate (PEM) and its key, or a forger's. */
export interface AcpSigner {
  certPem: string;
  keyPem: string;
}

/** `fields` with signPubKeyCert and signature added as UnionPay's gateway adds them (version 5.1.0). */
export function acpSignAsUnionpay(fields: Record<string, string>, signer: AcpSigner): Record<string, string> {
  // UnionPay's certificate travels with CRLF line ends, as the real notifies show it.
  const withCert = { ...fields, signPubKeyCert: signer.certPem.replace(/\r?\n/g, '\r\n') };
  const signature = sign('sha256', Buffer.from(acpDigestHex(withCert)), createPrivateKey(signer.keyPem)).toString('base64');
  return { ...withCert, signature };
}
