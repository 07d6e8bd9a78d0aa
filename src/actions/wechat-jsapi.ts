import { type Checked, fail, ok } from '../core/errors';
import type { BillAnswer } from '../gateway-client';

/** WeChat's answer to getBrandWCPayRequest, passed on to the page untouched. */
export interface WechatPayResult {
  err_msg: string;
  [key: string]: unknown;
}

interface Bridge {
  invoke(name: string, params: Record<string, string>, callback: (res: WechatPayResult) => void): void;
}

export const BRIDGE_TIMEOUT_MS = 10000;

/** The parameters of getBrandWCPayRequest, mapped from the bill answer's REST names. */
export function jsapiParams(answer: BillAnswer): Checked<Record<string, string>> {
  const { app_id, timestamp, nonce_str, package: pkg, sign_type, pay_sign } = answer;
  if (!app_id || !timestamp || !nonce_str || !pkg || !pay_sign) {
    return fail('GATEWAY', 'the payment gateway answered a WeChat bill without its JSAPI parameters');
  }
  return ok({ appId: app_id, timeStamp: String(timestamp), nonceStr: nonce_str, package: pkg, signType: sign_type || 'MD5', paySign: pay_sign });
}

/**
 * Waits for WeixinJSBridge (it is injected after the page starts; WeChat fires WeixinJSBridgeReady),
 * see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=7_7. Resolves the bridge or a BRIDGE error.
 */
export function waitForBridge(win: Window = window, timeoutMs = BRIDGE_TIMEOUT_MS): Promise<Checked<Bridge>> {
  const current = (win as unknown as { WeixinJSBridge?: Bridge }).WeixinJSBridge;
  if (current && typeof current.invoke === 'function') return Promise.resolve(ok(current));
  return new Promise((resolve) => {
    const onReady = () => {
      const bridge = (win as unknown as { WeixinJSBridge?: Bridge }).WeixinJSBridge;
      if (!bridge) return;
      cleanup();
      resolve(ok(bridge));
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve(fail('BRIDGE', `WeixinJSBridge did not become ready within ${timeoutMs / 1000} s; open the page inside WeChat`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      win.document.removeEventListener('WeixinJSBridgeReady', onReady);
    };
    win.document.addEventListener('WeixinJSBridgeReady', onReady);
  });
}

/** Calls getBrandWCPayRequest once and resolves WeChat's result. */
export function invokeWechatPay(bridge: Bridge, params: Record<string, string>): Promise<WechatPayResult> {
  return new Promise((resolve) => {
    let answered = false;
    bridge.invoke('getBrandWCPayRequest', params, (res) => {
      if (answered) return;
      answered = true;
      resolve(res && typeof res === 'object' ? res : { err_msg: String(res) });
    });
  });
}

/** True when WeChat reports success (`get_brand_wcpay_request:ok`). */
export const isWechatPaid = (res: WechatPayResult): boolean => typeof res.err_msg === 'string' && /:ok$/.test(res.err_msg);
