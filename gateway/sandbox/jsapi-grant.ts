import type { JsapiGrant } from '../bills/bill';
import { randomHex } from '../bills/random-id';
import { SANDBOX_WECHAT_APP_ID, signJsapiParams } from './wechat-sandbox';

/** New WeChat JSAPI parameters for a bill, as WeChat's unified order would give: prepay id, nonce, timestamp (seconds), pay_sign. */
export function newJsapiGrant(now: Date): JsapiGrant {
  const prepay_id = `wx${randomHex(30)}`;
  const nonce_str = randomHex(32);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const pay_sign = signJsapiParams({
    appId: SANDBOX_WECHAT_APP_ID,
    nonceStr: nonce_str,
    package: `prepay_id=${prepay_id}`,
    signType: 'MD5',
    timeStamp: timestamp,
  });
  return { prepay_id, nonce_str, timestamp, pay_sign };
}
