import { md5Hex } from '../../server-sign';

/** The WeChat app id the sandbox hands out in JSAPI parameters. */
export const SANDBOX_WECHAT_APP_ID = 'wxsandbox0000000';

/** The sandbox's WeChat Pay API key, which signs JSAPI parameters; sandbox only, so not a secret. */
export const SANDBOX_WECHAT_API_KEY = 'spaysandboxwechatpayapikey000000';

/** The five parameters a page passes to getBrandWCPayRequest, under WeChat's names. */
export interface JsapiSignParams {
  appId: string;
  nonceStr: string;
  package: string;
  signType: string;
  timeStamp: string;
}

/**
 * WeChat's JSAPI paySign: the parameters sorted by key in ASCII order, joined `k=v&…`, then `&key=<API key>`,
 * MD5, uppercase hex (https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=7_7).
 */
export function signJsapiParams(params: JsapiSignParams, apiKey = SANDBOX_WECHAT_API_KEY): string {
  const entries = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `${entries.map(([key, value]) => `${key}=${value}`).join('&')}&key=${apiKey}`;
  return md5Hex(text).toUpperCase();
}
