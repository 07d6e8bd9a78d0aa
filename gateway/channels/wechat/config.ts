import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** WeChat Pay's production API host, the default `endpoint`. */
export const WECHAT_PRODUCTION_ENDPOINT = 'https://api.mch.weixin.qq.com';

/** An app's `live.wechat` entry, checked, with its keys parsed. */
export interface WechatConfig {
  /** The official account (公众号) or app id bound to the merchant: the `appid` of every order. */
  appId: string;
  /** The merchant id (商户号). */
  mchId: string;
  /** The serial number of the merchant's API certificate: `serial_no` in every request's Authorization. */
  merchantSerialNo: string;
  /** The merchant's API private key (apiclient_key.pem): signs requests and JSAPI pay_sign. */
  privateKey: KeyObject;
  /** The APIv3 key, 32 bytes: decrypts notifications. */
  apiV3Key: Buffer;
  /** The WeChat Pay public key's id, `PUB_KEY_ID_…`: the only Wechatpay-Serial accepted. */
  platformPublicKeyId: string;
  /** The WeChat Pay public key: verifies every answer and notification. */
  platformPublicKey: KeyObject;
  /** Whether the merchant has H5 payment enabled (phone browsers outside WeChat). */
  h5: boolean;
  /** The API host without a trailing slash. */
  endpoint: string;
}

/** Where key file paths are read from. */
export interface WechatConfigOptions {
  /** The folder relative key paths are resolved against (the apps file's folder); the working directory by default. */
  baseDir?: string;
  /** Reads a key file; node:fs by default (tests replace it). */
  readFile?: (path: string) => string;
}

const FIELDS = [
  'appId',
  'mchId',
  'merchantSerialNo',
  'privateKey',
  'apiV3Key',
  'platformPublicKeyId',
  'platformPublicKey',
  'h5',
  'endpoint',
] as const;

/**
 * Checks an apps-file `live.wechat` entry and parses its keys at once. `path` names the entry in messages
 * (`apps[0].live.wechat`). Throws an Error naming the field and the rule, never a secret's value.
 */
export function parseWechatConfig(value: unknown, path: string, options: WechatConfigOptions = {}): WechatConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${path} must be an object with ${FIELDS.slice(0, 7).join(', ')} (got ${kind(value)})`);
  }
  const entry = value as Record<string, unknown>;
  for (const name of Object.keys(entry)) {
    if (!(FIELDS as readonly string[]).includes(name)) throw new Error(`${path}.${name} is not a WeChat Pay field (expected one of ${FIELDS.join(', ')})`);
  }
  const appId = requireString(entry, 'appId', path);
  const mchId = requireString(entry, 'mchId', path);
  if (!/^\d{1,32}$/.test(mchId)) throw new Error(`${path}.mchId must be WeChat Pay's merchant number, 1-32 digits (got ${mchId.length} chars)`);
  const merchantSerialNo = requireString(entry, 'merchantSerialNo', path);
  if (!/^[0-9A-Fa-f]{1,64}$/.test(merchantSerialNo)) {
    throw new Error(`${path}.merchantSerialNo must be the merchant API certificate's serial number in hex (got ${merchantSerialNo.length} chars)`);
  }
  const apiV3Key = Buffer.from(requireString(entry, 'apiV3Key', path), 'utf8');
  if (apiV3Key.length !== 32) throw new Error(`${path}.apiV3Key must be 32 bytes (got ${apiV3Key.length})`);
  const platformPublicKeyId = requireString(entry, 'platformPublicKeyId', path);
  if (!/^PUB_KEY_ID_[0-9A-Za-z]+$/.test(platformPublicKeyId)) {
    // Only the WeChat Pay public key is supported: merchants opened since 2024-11 have no platform certificate.
    throw new Error(`${path}.platformPublicKeyId must be the WeChat Pay public key ID, PUB_KEY_ID_ then letters or digits (got "${platformPublicKeyId}")`);
  }
  const privateKey = parseKey(entry, 'privateKey', path, options, 'private');
  const platformPublicKey = parseKey(entry, 'platformPublicKey', path, options, 'public');
  const h5 = entry.h5 ?? false;
  if (typeof h5 !== 'boolean') throw new Error(`${path}.h5 must be true or false (got ${kind(h5)})`);
  const endpoint = parseEndpoint(entry.endpoint, path);
  return { appId, mchId, merchantSerialNo, privateKey, apiV3Key, platformPublicKeyId, platformPublicKey, h5, endpoint };
}

function requireString(entry: Record<string, unknown>, name: string, path: string): string {
  const value = entry[name];
  if (value === undefined || value === null) throw new Error(`${path}.${name} is missing`);
  if (typeof value !== 'string') throw new Error(`${path}.${name} must be a string (got ${kind(value)})`);
  if (value.trim() === '') throw new Error(`${path}.${name} must not be empty`);
  return value;
}

function parseKey(entry: Record<string, unknown>, name: string, path: string, options: WechatConfigOptions, type: 'private' | 'public'): KeyObject {
  const text = requireString(entry, name, path);
  let pem = text;
  if (!text.includes('-----BEGIN')) {
    const file = resolve(options.baseDir ?? process.cwd(), text.trim());
    try {
      pem = (options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      // A path is named only when it has a dot: a pasted key body without its BEGIN line (base64 has no dots) is not.
      const where = text.includes('.') ? file : 'the file it names';
      throw new Error(`${path}.${name} must be PEM text or the path of a PEM file; ${where} cannot be read (${code})`);
    }
  }
  const what = type === 'private' ? 'an RSA private key in PEM (PKCS#8 or PKCS#1)' : 'the WeChat Pay RSA public key in PEM';
  let key: KeyObject;
  try {
    key = type === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    // node's own message is not repeated: the field's text may be the secret itself.
    throw new Error(`${path}.${name} must be ${what}, and it does not parse`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${path}.${name} must be ${what} (got a ${key.asymmetricKeyType ?? 'non-asymmetric'} key)`);
  return key;
}

function parseEndpoint(value: unknown, path: string): string {
  if (value === undefined) return WECHAT_PRODUCTION_ENDPOINT;
  if (typeof value !== 'string') throw new Error(`${path}.endpoint must be a URL string (got ${kind(value)})`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${path}.endpoint must be an http(s) URL (got "${value}")`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new Error(`${path}.endpoint must be an http(s) URL without query or fragment (got "${value}")`);
  }
  return value.replace(/\/+$/, '');
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `a string` : typeof value;
}
