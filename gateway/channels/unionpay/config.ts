import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import forge from 'node-forge';
import type { UnionpayTrust } from './certificate';

/** UnionPay's production gateway host, the default `endpoint`. */
export const UNIONPAY_PRODUCTION_ENDPOINT = 'https://gateway.95516.com';

/** A parsed `live.unionpay` entry: the merchant, its signing key and certId, UnionPay's chain, the gateway host. */
export interface UnionpayConfig {
  merId: string;
  /** The signing certificate's serial number in decimal, sent as `certId`. */
  certId: string;
  signingKey: KeyObject;
  trust: UnionpayTrust;
  /** Scheme and host without a trailing slash, e.g. https://gateway.95516.com. */
  endpoint: string;
}

/** Where relative paths in the entry start (the apps file's folder), and how files are read (tests). */
export interface UnionpayConfigOptions {
  baseDir?: string;
  readFile?: (path: string) => Buffer;
}

const PEM_BEGIN = '-----BEGIN ';

function fail(message: string): never {
  throw new Error(message);
}

function isPem(text: string): boolean {
  return text.includes(PEM_BEGIN);
}

/** A field's PEM text, or the contents of the file it names; `what` names the field in errors. */
function readKeyField(value: string, what: string, options: UnionpayConfigOptions): { bytes: Buffer; fromFile: boolean } {
  if (isPem(value)) return { bytes: Buffer.from(value, 'utf8'), fromFile: false };
  const path = isAbsolute(value) ? value : resolve(options.baseDir ?? process.cwd(), value);
  try {
    return { bytes: (options.readFile ?? readFileSync)(path), fromFile: true };
  } catch {
    return fail(`${what} is neither PEM text nor a readable file (got path ${JSON.stringify(value)})`);
  }
}

function sameKey(cert: X509Certificate, key: KeyObject): boolean {
  const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
  return spki(cert.publicKey).equals(spki(createPublicKey(key)));
}

function pemBlocks(text: string, label: RegExp): string[] {
  const found: string[] = [];
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (const match of text.matchAll(pattern)) if (label.test(match[1] ?? '')) found.push(match[0]);
  return found;
}

/** The signing key and certificate from a PKCS#12 file, opened with `password` (node:crypto cannot read PKCS#12). */
function openPkcs12(der: Buffer, password: string): { key: KeyObject; certs: X509Certificate[] } | 'password' | 'format' {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  } catch {
    return 'format';
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    // forge says "PKCS#12 MAC could not be verified. Invalid password?" or fails to decrypt a bag.
    return /password|MAC|decrypt|Invalid/i.test(String(error)) ? 'password' : 'format';
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const forgeKey = keyBags.find((bag) => bag.key !== undefined)?.key;
  // A wrong password with no MAC shows as a key bag that decrypts to nothing.
  if (forgeKey === undefined) return keyBags.length > 0 ? 'password' : 'format';
  try {
    const key = createPrivateKey(forge.pki.privateKeyToPem(forgeKey as forge.pki.rsa.PrivateKey));
    const certs = certBags.flatMap((bag) => (bag.cert ? [new X509Certificate(forge.pki.certificateToPem(bag.cert))] : []));
    return { key, certs };
  } catch {
    return 'format';
  }
}

function readSigning(entry: Record<string, unknown>, at: string, options: UnionpayConfigOptions): { key: KeyObject; cert: X509Certificate } {
  const value = entry.signCert;
  if (typeof value !== 'string' || value.trim() === '') fail(`${at}.signCert is missing: expected the path of the merchant's signing .pfx, or PEM text holding its private key and certificate`);
  const password = entry.signCertPassword ?? undefined;
  if (password !== undefined && typeof password !== 'string') fail(`${at}.signCertPassword must be a string (got ${typeof password})`);
  const { bytes, fromFile } = readKeyField(value, `${at}.signCert`, options);
  const shown = fromFile ? value : 'the PEM text';
  let key: KeyObject;
  let certs: X509Certificate[];
  if (isPem(bytes.toString('latin1'))) {
    const text = bytes.toString('utf8');
    const keyPem = pemBlocks(text, /PRIVATE KEY$/)[0];
    if (keyPem === undefined) fail(`${at}.signCert holds no private key in ${shown} (expected a PEM private key and certificate, or a .pfx)`);
    try {
      key = createPrivateKey({ key: keyPem, passphrase: password === '' ? undefined : password });
    } catch {
      fail(keyPem.includes('ENCRYPTED') ? `${at}.signCertPassword does not open the private key in ${shown}` : `${at}.signCert's private key in ${shown} does not parse`);
    }
    try {
      certs = pemBlocks(text, /^CERTIFICATE$/).map((pem) => new X509Certificate(pem));
    } catch {
      fail(`${at}.signCert's certificate in ${shown} does not parse`);
    }
  } else {
    if (password === undefined || password === '') fail(`${at}.signCertPassword is missing: expected the password of ${shown}`);
    const opened = openPkcs12(bytes, password);
    if (opened === 'password') fail(`${at}.signCertPassword does not open ${shown}`);
    if (opened === 'format') fail(`${at}.signCert: ${shown} is not a PKCS#12 (.pfx) file or PEM`);
    ({ key, certs } = opened);
  }
  if (key.asymmetricKeyType !== 'rsa') fail(`${at}.signCert's key must be RSA (got ${key.asymmetricKeyType})`);
  const cert = certs.find((candidate) => sameKey(candidate, key));
  if (cert === undefined) fail(`${at}.signCert holds no certificate for its private key in ${shown}`);
  return { key, cert };
}

function readCertificate(entry: Record<string, unknown>, name: 'rootCert' | 'middleCert', at: string, options: UnionpayConfigOptions): X509Certificate {
  const value = entry[name];
  if (typeof value !== 'string' || value.trim() === '') fail(`${at}.${name} is missing: expected PEM text or the path of a PEM file`);
  const { bytes, fromFile } = readKeyField(value, `${at}.${name}`, options);
  try {
    return new X509Certificate(bytes);
  } catch {
    return fail(`${at}.${name} does not parse as a certificate (${fromFile ? value : 'the PEM text'})`);
  }
}

/**
 * Parses an apps file's `live.unionpay` entry found at `at` (e.g. `apps[0].live.unionpay`): opens the signing .pfx
 * (or PEM key and certificate), derives certId, loads and checks UnionPay's root and intermediate. Throws an Error
 * naming the field for a missing field, a wrong password or a certificate that does not parse; never shows a secret.
 */
export function parseUnionpayConfig(entry: unknown, at: string, options: UnionpayConfigOptions = {}): UnionpayConfig {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`${at} must be an object (got ${Array.isArray(entry) ? 'an array' : typeof entry})`);
  const fields = entry as Record<string, unknown>;
  const merId = fields.merId;
  if (typeof merId !== 'string' || merId === '') fail(`${at}.merId is missing: expected UnionPay's 15-character merchant number`);
  if (!/^[0-9A-Za-z]{15}$/.test(merId)) fail(`${at}.merId must be 15 letters or digits (got ${JSON.stringify(merId)}, ${merId.length} chars)`);
  const { key, cert } = readSigning(fields, at, options);
  const root = readCertificate(fields, 'rootCert', at, options);
  const middle = readCertificate(fields, 'middleCert', at, options);
  if (!root.checkIssued(root) || !root.verify(root.publicKey)) fail(`${at}.rootCert is not a self-signed root certificate`);
  if (!middle.ca) fail(`${at}.middleCert is not a CA certificate`);
  if (!middle.checkIssued(root) || !middle.verify(root.publicKey)) fail(`${at}.middleCert was not issued by ${at}.rootCert`);
  let endpoint = UNIONPAY_PRODUCTION_ENDPOINT;
  if (fields.endpoint !== undefined) {
    const given = fields.endpoint;
    let url: URL | undefined;
    try {
      url = typeof given === 'string' ? new URL(given) : undefined;
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
      fail(`${at}.endpoint must be an http(s) URL without query, e.g. ${UNIONPAY_PRODUCTION_ENDPOINT} (got ${JSON.stringify(given)})`);
    }
    endpoint = url.href.replace(/\/+$/, '');
  }
  return { merId, certId: BigInt(`0x${cert.serialNumber}`).toString(10), signingKey: key, trust: { root, middle }, endpoint };
}
