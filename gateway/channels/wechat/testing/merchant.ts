import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { parseWechatConfig, type WechatConfig } from '../config';
import type { EmulatorMerchant, WechatEmulator } from './emulator';

/** A test merchant: fresh RSA keys (node:crypto), ids and an APIv3 key, nothing real. */
export interface TestMerchant {
  mchId: string;
  appId: string;
  merchantSerialNo: string;
  privateKey: KeyObject;
  privateKeyPem: string;
  publicKey: KeyObject;
  apiV3Key: string;
}

/** A new test merchant with a 2048-bit key. */
export function newTestMerchant(mchId = `19${String(Date.now()).slice(-8)}`, appId = `wx${randomBytes(8).toString('hex')}`): TestMerchant {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    mchId,
    appId,
    merchantSerialNo: randomBytes(20).toString('hex').toUpperCase(),
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
    apiV3Key: randomBytes(16).toString('hex'),
  };
}

/** What the emulator needs to know of `merchant`. */
export function emulatorMerchant(merchant: TestMerchant): EmulatorMerchant {
  return {
    mchId: merchant.mchId,
    appIds: [merchant.appId],
    merchantSerialNo: merchant.merchantSerialNo,
    merchantPublicKey: merchant.publicKey,
    apiV3Key: merchant.apiV3Key,
  };
}

/** The apps-file `live.wechat` entry of `merchant` pointing at `emulator`. */
export function liveWechatEntry(merchant: TestMerchant, emulator: WechatEmulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appId: merchant.appId,
    mchId: merchant.mchId,
    merchantSerialNo: merchant.merchantSerialNo,
    privateKey: merchant.privateKeyPem,
    apiV3Key: merchant.apiV3Key,
    platformPublicKeyId: emulator.platformPublicKeyId,
    platformPublicKey: emulator.platformPublicKeyPem,
    h5: true,
    endpoint: emulator.url,
    ...extra,
  };
}

/** The parsed config of `merchant` against `emulator`. */
export function testWechatConfig(merchant: TestMerchant, emulator: WechatEmulator, extra: Record<string, unknown> = {}): WechatConfig {
  return parseWechatConfig(liveWechatEntry(merchant, emulator, extra), 'apps[0].live.wechat');
}
