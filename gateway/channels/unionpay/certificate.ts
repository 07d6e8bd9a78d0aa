import { X509Certificate, type KeyObject } from 'node:crypto';

/** The name UnionPay's own signing certificates carry in their CN (the ACP SDK's UNIONPAY_CNNAME). */
export const UNIONPAY_CN_NAME = '中国银联股份有限公司';

/** UnionPay's certificate chain as the merchant configured it: the root and the intermediate it issued. */
export interface UnionpayTrust {
  root: X509Certificate;
  middle: X509Certificate;
}

/** A signPubKeyCert that passed, with its key, or why it did not. */
export type CertificateCheck = { ok: true; publicKey: KeyObject; serial: string } | { ok: false; reason: string };

function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom).getTime() <= now.getTime() && now.getTime() <= new Date(cert.validTo).getTime();
}

/** The CN of a certificate's subject (Node prints one attribute per line), or '' when it has none. */
export function commonName(cert: X509Certificate): string {
  const line = cert.subject.split('\n').find((part) => part.startsWith('CN='));
  return line === undefined ? '' : line.slice(3);
}

/**
 * Checks the certificate UnionPay sent in a message (signPubKeyCert, PEM) as the ACP SDK's CertUtil.verifyCertificate
 * does: valid at `now`, issued and signed by the configured intermediate, which the configured root issued and signed,
 * and a CN naming 中国银联股份有限公司. Never throws.
 */
export function checkUnionpayCertificate(pem: string, trust: UnionpayTrust, now: Date): CertificateCheck {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return { ok: false, reason: 'signPubKeyCert is not a certificate' };
  }
  if (!validAt(cert, now)) return { ok: false, reason: `signPubKeyCert is not valid now (${cert.validFrom} to ${cert.validTo})` };
  if (!validAt(trust.middle, now)) return { ok: false, reason: 'the configured middleCert is not valid now' };
  if (!validAt(trust.root, now)) return { ok: false, reason: 'the configured rootCert is not valid now' };
  if (!cert.checkIssued(trust.middle) || !cert.verify(trust.middle.publicKey)) {
    return { ok: false, reason: 'signPubKeyCert was not issued by the configured middleCert' };
  }
  if (!trust.middle.checkIssued(trust.root) || !trust.middle.verify(trust.root.publicKey)) {
    return { ok: false, reason: 'the configured middleCert was not issued by the configured rootCert' };
  }
  const cn = commonName(cert);
  if (!cn.includes(UNIONPAY_CN_NAME)) return { ok: false, reason: `signPubKeyCert's CN is not UnionPay's (got "${cn}")` };
  return { ok: true, publicKey: cert.publicKey, serial: BigInt(`0x${cert.serialNumber}`).toString(10) };
}
