import { generateKeyPairSync, privateEncrypt, type KeyObject } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

/** A certificate and its key, as PEM. */
export interface IssuedCert {
  certPem: string;
  keyPem: string;
  /** The serial number in decimal: UnionPay's certId. */
  serial: string;
}

/** Everything the UnionPay tests need: UnionPay's chain, forgeries of it, and a merchant's PKCS#12 signing file. */
export interface UnionpayTestCa {
  root: IssuedCert;
  middle: IssuedCert;
  /** UnionPay's signing certificate, issued by `middle`, CN in the ACP format `…@…@中国银联股份有限公司@…`. */
  unionpay: IssuedCert;
  /** Issued by `middle` but for someone else: a CN without 中国银联股份有限公司. */
  wrongCn: IssuedCert;
  /** The same CN as `unionpay`, but issued by a rogue middle under a rogue root. */
  rogue: IssuedCert;
  /** The rogue intermediate that issued `rogue`, under a rogue root of the same name as `root`. */
  rogueMiddle: IssuedCert;
  /** Issued by `middle`, right CN, but expired. */
  expired: IssuedCert;
  merchant: IssuedCert & { pfx: Buffer; password: string };
}

/** The CN UnionPay's production signing certificates carry (the ACP SDK compares its third `@` field). */
export const UNIONPAY_TEST_CN = '041@Z12400000000000@中国银联股份有限公司@00000001';

interface Subject {
  cn: string;
  o?: string;
}

function attrs(subject: Subject): forge.pki.CertificateField[] {
  // forge encodes a UTF8String's JavaScript string to UTF-8 itself.
  const field = (name: string, value: string): forge.pki.CertificateField =>
    ({ name, value, valueTagClass: forge.asn1.Type.UTF8 }) as unknown as forge.pki.CertificateField;
  return [field('countryName', 'CN'), field('organizationName', subject.o ?? 'China UnionPay Test'), field('commonName', subject.cn)];
}

// DigestInfo for SHA-256 (RFC 8017 §9.2 note 1), then the digest: what PKCS#1 v1.5 signs.
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** A forge-shaped signing key that signs with node:crypto: forge's own RSA takes ~0.5 s per signature. */
function nodeSigner(key: KeyObject): forge.pki.rsa.PrivateKey {
  const sign = (md: forge.md.MessageDigest): string => {
    const digest = Buffer.from(md.digest().getBytes(), 'binary');
    return privateEncrypt(key, Buffer.concat([SHA256_DIGEST_INFO, digest])).toString('binary');
  };
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };

let nextSerial = BigInt(Date.now()) * 1000n;

function issue(
  subject: Subject,
  issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | 'self',
  options: { ca: boolean; notBefore?: Date; notAfter?: Date; pair?: KeyPair },
): IssuedCert & { forgeCert: forge.pki.Certificate; forgeKey: forge.pki.rsa.PrivateKey; pair: KeyPair } {
  const pair = options.pair ?? generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const forgeKey = nodeSigner(pair.privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  nextSerial += 1n;
  cert.serialNumber = nextSerial.toString(16).padStart(16, '0');
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
  cert.setSubject(attrs(subject));
  cert.setIssuer(issuer === 'self' ? attrs(subject) : issuer.cert.subject.attributes);
  cert.setExtensions(
    options.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
        ],
  );
  cert.sign(issuer === 'self' ? forgeKey : issuer.key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem, serial: nextSerial.toString(10), forgeCert: cert, forgeKey, pair };
}

function plain(cert: IssuedCert): IssuedCert {
  return { certPem: cert.certPem, keyPem: cert.keyPem, serial: cert.serial };
}

/** Makes a fresh test CA (five RSA keys: a few seconds on a busy machine); `password` protects the merchant's .pfx. */
export function createUnionpayTestCa(password = 'merchant-pfx-pass'): UnionpayTestCa {
  const root = issue({ cn: 'CFCA TEST CS CA (spay emulator)', o: 'CFCA TEST' }, 'self', { ca: true });
  const middle = issue({ cn: 'CFCA TEST OCA1 (spay emulator)', o: 'CFCA TEST' }, { cert: root.forgeCert, key: root.forgeKey }, { ca: true });
  const byMiddle = { cert: middle.forgeCert, key: middle.forgeKey };
  const unionpay = issue({ cn: UNIONPAY_TEST_CN, o: 'China UnionPay' }, byMiddle, { ca: false });
  // The forgeries reuse keys: what they test is the chain, the name and the dates, and RSA key generation is slow.
  const wrongCn = issue({ cn: '041@Z12400000000000@某某科技有限公司@00000001', o: 'Someone' }, byMiddle, { ca: false, pair: unionpay.pair });
  const expired = issue({ cn: UNIONPAY_TEST_CN, o: 'China UnionPay' }, byMiddle, {
    ca: false,
    pair: unionpay.pair,
    notBefore: new Date(Date.now() - 400 * 24 * 3600_000),
    notAfter: new Date(Date.now() - 24 * 3600_000),
  });
  const rogueRoot = issue({ cn: 'CFCA TEST CS CA (spay emulator)', o: 'CFCA TEST' }, 'self', { ca: true });
  const rogueMiddle = issue({ cn: 'CFCA TEST OCA1 (spay emulator)', o: 'CFCA TEST' }, { cert: rogueRoot.forgeCert, key: rogueRoot.forgeKey }, { ca: true, pair: rogueRoot.pair });
  const rogue = issue({ cn: UNIONPAY_TEST_CN, o: 'China UnionPay' }, { cert: rogueMiddle.forgeCert, key: rogueMiddle.forgeKey }, { ca: false, pair: unionpay.pair });
  const merchant = issue({ cn: '041@Z777290058110048@spay test merchant@00000001', o: 'Merchant' }, byMiddle, { ca: false });
  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(merchant.keyPem), [merchant.forgeCert], password, { algorithm: '3des' });
  const pfx = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
  return {
    root: plain(root),
    middle: plain(middle),
    unionpay: plain(unionpay),
    wrongCn: plain(wrongCn),
    rogue: plain(rogue),
    rogueMiddle: plain(rogueMiddle),
    expired: plain(expired),
    merchant: { ...plain(merchant), pfx, password },
  };
}

/**
 * The day's test CA, made once and kept in the system's temp folder, so that test files running side by side on a
 * small machine do not each spend seconds generating RSA keys.
 */
export function loadUnionpayTestCa(): UnionpayTestCa {
  const day = new Date().toISOString().slice(0, 10);
  const file = join(tmpdir(), `spay-unionpay-test-ca-v2-${day}.json`);
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as UnionpayTestCa & { merchant: { pfx: string } };
    return { ...stored, merchant: { ...stored.merchant, pfx: Buffer.from(stored.merchant.pfx, 'base64') } };
  } catch {
    const ca = createUnionpayTestCa();
    const temporary = `${file}.${process.pid}.${Date.now()}`;
    writeFileSync(temporary, JSON.stringify({ ...ca, merchant: { ...ca.merchant, pfx: ca.merchant.pfx.toString('base64') } }));
    renameSync(temporary, file);
    return ca;
  }
}
