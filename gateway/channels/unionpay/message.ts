import type { UnionpayTrust } from './certificate';
import { checkUnionpayCertificate } from './certificate';
import { verifyFields, type UnionpayFields } from './sign';

/** The interface version this connector speaks: signatures by SHA-256 with the certificate in the message. */
export const UNIONPAY_VERSION = '5.1.0';

/**
 * Why a message from UnionPay (back notify or answer) is not genuine, or null when it is: version 5.1.0,
 * signMethod 01, a signPubKeyCert that chains to the configured root through the configured intermediate, is valid
 * now and names 中国银联股份有限公司, and a signature by it over the fields.
 */
export function verifyUnionpayMessage(fields: UnionpayFields, trust: UnionpayTrust, now: Date): string | null {
  if (fields.signMethod !== '01') return `expected signMethod 01, got ${JSON.stringify(fields.signMethod ?? null)}`;
  if (fields.version !== undefined && fields.version !== UNIONPAY_VERSION) return `expected version ${UNIONPAY_VERSION}, got ${JSON.stringify(fields.version)}`;
  const pem = fields.signPubKeyCert;
  if (pem === undefined || pem === '') return 'no signPubKeyCert';
  const check = checkUnionpayCertificate(pem, trust, now);
  if (!check.ok) return check.reason;
  if (!verifyFields(fields, check.publicKey)) return 'the signature does not verify with signPubKeyCert';
  return null;
}

/** What the channel said, for message_detail: every field but the signature and the certificate. */
export function detailOf(fields: UnionpayFields): Record<string, string> {
  const { signature: _signature, signPubKeyCert: _cert, ...rest } = fields;
  return rest;
}
