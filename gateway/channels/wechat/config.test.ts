import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWechatConfig, WECHAT_PRODUCTION_ENDPOINT } from './config';

const PATH = 'apps[0].live.wechat';
const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
// Generated at load: the it.each tables below are built before any hook runs.
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const platformPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ecPrivatePem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spay-wechat-config-'));
  writeFileSync(join(dir, 'apiclient_key.pem'), privatePem);
  writeFileSync(join(dir, 'pub_key.pem'), platformPem);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function entry(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appId: 'wxd678efh567hg6787',
    mchId: '1230000109',
    merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    privateKey: privatePem,
    apiV3Key: API_V3_KEY,
    platformPublicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
    platformPublicKey: platformPem,
    ...extra,
  };
}

describe('parseWechatConfig', () => {
  it('parses an entry with PEM text, h5 off and the production endpoint by default', () => {
    const config = parseWechatConfig(entry(), PATH);
    expect(config).toMatchObject({
      appId: 'wxd678efh567hg6787',
      mchId: '1230000109',
      merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      platformPublicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
      h5: false,
      endpoint: WECHAT_PRODUCTION_ENDPOINT,
    });
    expect(WECHAT_PRODUCTION_ENDPOINT).toBe('https://api.mch.weixin.qq.com');
    expect((config.privateKey as KeyObject).type).toBe('private');
    expect(config.platformPublicKey.type).toBe('public');
    expect(config.apiV3Key.equals(Buffer.from(API_V3_KEY))).toBe(true);
  });

  it('reads key files by path, relative to baseDir, and takes h5 and an endpoint', () => {
    const config = parseWechatConfig(entry({ privateKey: 'apiclient_key.pem', platformPublicKey: join(dir, 'pub_key.pem'), h5: true, endpoint: 'http://127.0.0.1:9/' }), PATH, { baseDir: dir });
    expect(config.privateKey.asymmetricKeyType).toBe('rsa');
    expect(config.platformPublicKey.export({ type: 'spki', format: 'pem' })).toBe(platformPem);
    expect(config.h5).toBe(true);
    expect(config.endpoint).toBe('http://127.0.0.1:9');
  });

  it.each(['appId', 'mchId', 'merchantSerialNo', 'privateKey', 'apiV3Key', 'platformPublicKeyId', 'platformPublicKey'])('refuses an entry without %s, naming it', (field) => {
    const value = entry();
    delete value[field];
    expect(() => parseWechatConfig(value, PATH)).toThrow(`${PATH}.${field} is missing`);
  });

  it.each([
    ['an APIv3 key of 31 bytes', { apiV3Key: API_V3_KEY.slice(1) }, `${PATH}.apiV3Key must be 32 bytes (got 31)`],
    ['an APIv3 key of 33 bytes (a multi-byte character)', { apiV3Key: `${API_V3_KEY.slice(1)}é` }, `${PATH}.apiV3Key must be 32 bytes (got 33)`],
    ['a private key that does not parse', { privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n' }, `${PATH}.privateKey must be an RSA private key in PEM (PKCS#8 or PKCS#1), and it does not parse`],
    ['a public key given as the private key', { privateKey: publicPem }, `${PATH}.privateKey must be an RSA private key`],
    ['an EC private key', { privateKey: ecPrivatePem }, `${PATH}.privateKey must be an RSA private key in PEM (PKCS#8 or PKCS#1) (got a ec key)`],
    ['a platform key that does not parse', { platformPublicKey: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' }, `${PATH}.platformPublicKey must be the WeChat Pay RSA public key in PEM, and it does not parse`],
    ['a key file that is not there', { privateKey: 'missing/apiclient_key.pem' }, 'cannot be read (ENOENT)'],
    ['a platform certificate serial instead of the public key ID', { platformPublicKeyId: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' }, `${PATH}.platformPublicKeyId must be the WeChat Pay public key ID, PUB_KEY_ID_`],
    ['a mchId that is not digits', { mchId: 'mch-1' }, `${PATH}.mchId must be WeChat Pay's merchant number`],
    ['a number as mchId', { mchId: 1230000109 }, `${PATH}.mchId must be a string (got number)`],
    ['an h5 that is not a boolean', { h5: 'yes' }, `${PATH}.h5 must be true or false`],
    ['an endpoint that is not a URL', { endpoint: 'api.mch.weixin.qq.com' }, `${PATH}.endpoint must be an http(s) URL`],
    ['an endpoint with a query', { endpoint: 'https://api.mch.weixin.qq.com/?x=1' }, `${PATH}.endpoint must be an http(s) URL without query`],
    ['a field it does not know', { apiKey: 'v2-secret' }, `${PATH}.apiKey is not a WeChat Pay field`],
  ])('refuses %s, naming the field', (_what, extra, message) => {
    expect(() => parseWechatConfig(entry(extra), PATH, { baseDir: dir })).toThrow(message);
  });

  it('refuses what is not an object', () => {
    expect(() => parseWechatConfig('wx', PATH)).toThrow(`${PATH} must be an object`);
    expect(() => parseWechatConfig(null, PATH)).toThrow(`${PATH} must be an object`);
  });

  it('never puts a secret in its messages', () => {
    const secrets = [API_V3_KEY.slice(1), 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'v2-secret'];
    const bad = [
      { apiV3Key: API_V3_KEY.slice(1) },
      { privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n' },
      { privateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' },
      { apiKey: 'v2-secret' },
    ];
    for (const extra of bad) {
      let message = '';
      try {
        parseWechatConfig(entry(extra), PATH, { baseDir: dir });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      for (const secret of secrets) expect(message).not.toContain(secret);
      expect(message).not.toContain(privatePem.slice(30, 60));
    }
  });
});
