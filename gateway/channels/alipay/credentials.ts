import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Alipay's production OpenAPI gateway, the default `endpoint`. */
export const ALIPAY_ENDPOINT = 'https://openapi.alipay.com/gateway.do';

/**
 * An app's Alipay credentials as the gateway holds them after start: keys parsed and re-exported as PEM (PKCS#8 for
 * the app's private key, SPKI for Alipay's public key), so that alipay-sdk is always handed one known format.
 */
export interface AlipayCredentials {
  /** The Alipay app id (开放平台 APPID), e.g. 2021…; not the spay appId. */
  appId: string;
  privateKey: string;
  alipayPublicKey: string;
  endpoint: string;
}

const FIELDS = ['appId', 'privateKey', 'alipayPublicKey', 'endpoint'];

/**
 * Checks an apps-file `live.alipay` entry: every field present, both keys parsing (PEM text, bare base64 as Alipay's
 * key tool writes it, or the path of a file holding either), the endpoint an http(s) URL. Throws an Error naming
 * `at` and the field; a key's text never appears in the message.
 */
export function parseAlipayCredentials(value: unknown, at: string): AlipayCredentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${at} must be an object with appId, privateKey, alipayPublicKey (got ${value === null ? 'null' : typeof value})`);
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) throw new Error(`${at}.${unknown} is not a known field (known: ${FIELDS.join(', ')})`);
  const appId = fields.appId;
  if (typeof appId !== 'string' || !/^\d{8,32}$/.test(appId)) {
    throw new Error(`${at}.appId must be the Alipay app id, 8-32 digits (got ${typeof appId === 'string' ? JSON.stringify(appId.slice(0, 40)) : typeof appId})`);
  }
  const privateKey = readKey(fields.privateKey, `${at}.privateKey`, 'private');
  const alipayPublicKey = readKey(fields.alipayPublicKey, `${at}.alipayPublicKey`, 'public');
  let endpoint = ALIPAY_ENDPOINT;
  if (fields.endpoint !== undefined) {
    const given = fields.endpoint;
    let url: URL | undefined;
    try {
      url = typeof given === 'string' ? new URL(given) : undefined;
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new Error(`${at}.endpoint must be an absolute https:// URL such as ${ALIPAY_ENDPOINT} (got ${typeof given === 'string' ? JSON.stringify(given.slice(0, 200)) : typeof given})`);
    }
    endpoint = given as string;
  }
  return { appId, privateKey: exportKey(privateKey), alipayPublicKey: exportKey(alipayPublicKey), endpoint };
}

function readKey(value: unknown, at: string, kind: 'private' | 'public'): KeyObject {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${at} must be a non-empty string: PEM text or the path of a file holding it (got ${value === undefined ? 'nothing' : typeof value})`);
  let text = value.trim();
  if (!text.includes('-----BEGIN') && !/^[A-Za-z0-9+/=\s]{100,}$/.test(text)) {
    // Neither PEM nor bare base64: a path.
    const path = resolve(text);
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (error) {
      throw new Error(`${at} names the file ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const key = parseKey(text, kind);
  if (key === undefined) throw new Error(`${at} does not parse as an RSA ${kind} key (PEM, or base64 as Alipay's key tool writes it)`);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${at} must be an RSA key for RSA2 (got a ${key.asymmetricKeyType ?? 'unknown'} key)`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error(`${at} must be an RSA key of at least 2048 bits for RSA2`);
  return key;
}

function parseKey(text: string, kind: 'private' | 'public'): KeyObject | undefined {
  const attempts: Array<() => KeyObject> = [];
  if (text.includes('-----BEGIN')) {
    attempts.push(kind === 'private' ? () => createPrivateKey(text) : () => createPublicKey(text));
  } else {
    const key = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    if (kind === 'private') {
      attempts.push(() => createPrivateKey({ key, format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key, format: 'der', type: 'pkcs1' }));
    } else {
      attempts.push(() => createPublicKey({ key, format: 'der', type: 'spki' }), () => createPublicKey({ key, format: 'der', type: 'pkcs1' }));
    }
  }
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // the next encoding
    }
  }
  return undefined;
}

function exportKey(key: KeyObject): string {
  return key.type === 'private' ? (key.export({ format: 'pem', type: 'pkcs8' }) as string) : (key.export({ format: 'pem', type: 'spki' }) as string);
}
