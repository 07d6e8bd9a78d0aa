import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnionpayConfig, UNIONPAY_PRODUCTION_ENDPOINT } from './config';
import { loadUnionpayTestCa, type UnionpayTestCa } from './testing/test-ca';

const AT = 'apps[0].live.unionpay';
let ca: UnionpayTestCa;
let dir: string;

function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { merId: '777290058110048', signCert: 'sign.pfx', signCertPassword: ca.merchant.password, rootCert: 'root.pem', middleCert: ca.middle.certPem, ...overrides };
}

beforeAll(() => {
  ca = loadUnionpayTestCa();
  dir = mkdtempSync(join(tmpdir(), 'spay-unionpay-config-'));
  writeFileSync(join(dir, 'sign.pfx'), ca.merchant.pfx);
  writeFileSync(join(dir, 'root.pem'), ca.root.certPem);
  writeFileSync(join(dir, 'rogue-middle.pem'), ca.rogueMiddle.certPem);
  writeFileSync(join(dir, 'sign.pem'), ca.merchant.keyPem + ca.merchant.certPem);
  writeFileSync(join(dir, 'garbage.pfx'), Buffer.from('not a pkcs12 file'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseUnionpayConfig', () => {
  it('opens the .pfx, derives certId as the decimal serial, loads the chain, defaults the endpoint', () => {
    const config = parseUnionpayConfig(entry(), AT, { baseDir: dir });
    expect(config.merId).toBe('777290058110048');
    expect(config.certId).toBe(ca.merchant.serial);
    expect(config.endpoint).toBe(UNIONPAY_PRODUCTION_ENDPOINT);
    expect(config.signingKey.asymmetricKeyType).toBe('rsa');
    expect(config.trust.middle.checkIssued(config.trust.root)).toBe(true);
  });

  it('accepts a PEM private key and certificate instead of a .pfx, as text or as a path', () => {
    for (const signCert of ['sign.pem', ca.merchant.keyPem + ca.merchant.certPem]) {
      const config = parseUnionpayConfig(entry({ signCert, signCertPassword: undefined }), AT, { baseDir: dir });
      expect(config.certId).toBe(ca.merchant.serial);
    }
  });

  it('takes an endpoint without its trailing slash', () => {
    expect(parseUnionpayConfig(entry({ endpoint: 'https://gateway.test.95516.com/' }), AT, { baseDir: dir }).endpoint).toBe('https://gateway.test.95516.com');
  });

  it.each([
    [{ merId: null }, `${AT}.merId is missing`],
    [{ merId: '1234' }, `${AT}.merId must be 15 letters or digits (got "1234", 4 chars)`],
    [{ signCert: null }, `${AT}.signCert is missing`],
    [{ signCertPassword: null }, `${AT}.signCertPassword is missing`],
    [{ signCertPassword: 'wrong-password' }, `${AT}.signCertPassword does not open sign.pfx`],
    [{ signCert: 'missing.pfx' }, `${AT}.signCert is neither PEM text nor a readable file (got path "missing.pfx")`],
    [{ signCert: 'garbage.pfx' }, `${AT}.signCert: garbage.pfx is not a PKCS#12 (.pfx) file or PEM`],
    [{ signCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, `${AT}.signCert holds no private key in the PEM text`],
    [{ rootCert: null }, `${AT}.rootCert is missing`],
    [{ middleCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, `${AT}.middleCert does not parse as a certificate (the PEM text)`],
    [{ rootCert: 'sign.pem' }, `${AT}.rootCert is not a self-signed root certificate`],
    [{ middleCert: 'rogue-middle.pem' }, `${AT}.middleCert was not issued by ${AT}.rootCert`],
    [{ endpoint: 'ftp://gateway.95516.com' }, `${AT}.endpoint must be an http(s) URL`],
  ])('refuses %j, naming the field', (overrides: Record<string, unknown>, message: string) => {
    const run = () => parseUnionpayConfig(entry(overrides), AT, { baseDir: dir });
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect(String(error)).not.toContain(ca.merchant.password);
      expect(String(error)).not.toContain('wrong-password');
      expect(String(error)).not.toContain('PRIVATE KEY');
    }
  });

  it('refuses an end-entity certificate as the middle one', () => {
    expect(() => parseUnionpayConfig(entry({ middleCert: ca.unionpay.certPem }), AT, { baseDir: dir })).toThrow(`${AT}.middleCert is not a CA certificate`);
  });
});
