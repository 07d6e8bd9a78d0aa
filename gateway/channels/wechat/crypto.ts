import { createDecipheriv, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/** The Authorization scheme of WeChat Pay API v3. */
export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/** A fresh 32-character nonce (hex of 16 random bytes). */
export function newNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/**
 * The string a merchant signs for one request: `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n` (empty body for GET),
 * per
 * https://pay.weixin.qq.com/wiki/doc/api_external/en/wechatpay/wechatpay4_0.shtml (a bad signature is answered 401).
 */
export function requestMessage(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** SHA256withRSA (PKCS#1 v1.5) of `message`, base64. */
export function signSha256Rsa(message: string | Uint8Array, privateKey: KeyObject): string {
  return sign('sha256', typeof message === 'string' ? Buffer.from(message, 'utf8') : message, privateKey).toString('base64');
}

/** Whether `signature` (base64) is SHA256withRSA of `message` under `publicKey`; false on any malformed input. */
export function verifySha256Rsa(message: string | Uint8Array, signature: string, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify('sha256', typeof message === 'string' ? Buffer.from(message, 'utf8') : message, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The header value `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`. */
export function authorizationHeader(fields: { mchid: string; nonce: string; timestamp: string; serialNo: string; signature: string }): string {
  return (
    `${AUTH_SCHEME} mchid="${fields.mchid}",nonce_str="${fields.nonce}",signature="${fields.signature}",` +
    `timestamp="${fields.timestamp}",serial_no="${fields.serialNo}"`
  );
}

/**
 * The bytes WeChat Pay signs in an answer or a notification: `TIMESTAMP\nNONCE\nBODY\n`, on the body exactly as
 * received
 * (https://wechatpay-api.gitbook.io/wechatpay-api-v3/qian-ming-zhi-nan-1/qian-ming-yan-zheng).
 */
export function answerMessage(timestamp: string, nonce: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), body, Buffer.from('\n', 'utf8')]);
}

/** The JSAPI paySign: SHA256withRSA over `appId\ntimeStamp\nnonceStr\npackage\n`, base64. */
export function jsapiPaySign(params: { appId: string; timeStamp: string; nonceStr: string; package: string }, privateKey: KeyObject): string {
  return signSha256Rsa(`${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`, privateKey);
}

/**
 * Decrypts a notification's `resource` (AEAD_AES_256_GCM, the APIv3 key, 12-byte nonce, associated_data; the tag is
 * the last 16 bytes of the base64 ciphertext; pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_2_5.shtml). Throws when it does
 * not authenticate.
 */
export function decryptResource(resource: { ciphertext: string; nonce: string; associated_data?: string }, apiV3Key: Uint8Array): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= 16) throw new Error('ciphertext is shorter than its 16-byte tag');
  const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(resource.nonce, 'utf8'), { authTagLength: 16 });
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}
