import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BillAnswer } from '../gateway-client';
import { BRIDGE_TIMEOUT_MS, invokeWechatPay, isWechatPaid, jsapiParams, waitForBridge, type WechatPayResult } from './wechat-jsapi';

const ANSWER: BillAnswer = {
  id: 'b_1',
  channel: 'WX_JSAPI',
  app_id: 'wx2421b1c4370ec43b',
  timestamp: '1717200000',
  nonce_str: 'e61463f8efa94090b1f366cccfbbb444',
  package: 'prepay_id=wx21201855730335ac86f8c43d1889123400',
  sign_type: 'MD5',
  pay_sign: '70EA570631E4BB79628FBCA90534C63FF7FADD89',
};

type BridgeHolder = { WeixinJSBridge?: { invoke: ReturnType<typeof vi.fn> } };

afterEach(() => {
  delete (window as unknown as BridgeHolder).WeixinJSBridge;
  vi.useRealTimers();
});

describe('jsapiParams', () => {
  it("maps the bill answer to getBrandWCPayRequest's names", () => {
    expect(jsapiParams(ANSWER)).toEqual({
      ok: true,
      value: {
        appId: 'wx2421b1c4370ec43b',
        timeStamp: '1717200000',
        nonceStr: 'e61463f8efa94090b1f366cccfbbb444',
        package: 'prepay_id=wx21201855730335ac86f8c43d1889123400',
        signType: 'MD5',
        paySign: '70EA570631E4BB79628FBCA90534C63FF7FADD89',
      },
    });
  });

  it('sends the timestamp as a string, as WeChat requires', () => {
    const params = jsapiParams({ ...ANSWER, timestamp: 1717200000 as unknown as string });
    expect(params.ok && params.value.timeStamp).toBe('1717200000');
  });

  it.each([
    ['RSA', 'RSA'],
    ['HMAC-SHA256', 'HMAC-SHA256'],
    [undefined, 'MD5'],
  ])('passes sign_type %j as signType %s', (signType, expected) => {
    const params = jsapiParams({ ...ANSWER, sign_type: signType });
    expect(params.ok && params.value.signType).toBe(expected);
  });

  it.each(['app_id', 'timestamp', 'nonce_str', 'package', 'pay_sign'] as const)('refuses an answer without %s', (field) => {
    const result = jsapiParams({ ...ANSWER, [field]: undefined });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('GATEWAY');
  });

  it('refuses an answer that is not a WeChat bill at all', () => {
    const result = jsapiParams({ id: 'b_1', url: 'https://pay.example.com/x' });
    expect(result.ok).toBe(false);
  });
});

describe('waitForBridge', () => {
  it('resolves at once when WeixinJSBridge is already there', async () => {
    const bridge = { invoke: vi.fn() };
    (window as unknown as BridgeHolder).WeixinJSBridge = bridge;
    await expect(waitForBridge(window)).resolves.toEqual({ ok: true, value: bridge });
  });

  it('waits for WeixinJSBridgeReady when the bridge arrives later', async () => {
    vi.useFakeTimers();
    const waiting = waitForBridge(window);
    let outcome: unknown;
    void waiting.then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(500);
    expect(outcome).toBeUndefined();
    const bridge = { invoke: vi.fn() };
    (window as unknown as BridgeHolder).WeixinJSBridge = bridge;
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toEqual({ ok: true, value: bridge });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores a ready event that comes without a bridge and keeps waiting', async () => {
    vi.useFakeTimers();
    const waiting = waitForBridge(window, 3000);
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    let outcome: unknown;
    void waiting.then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(100);
    expect(outcome).toBeUndefined();
    const bridge = { invoke: vi.fn() };
    (window as unknown as BridgeHolder).WeixinJSBridge = bridge;
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toEqual({ ok: true, value: bridge });
  });

  it('gives up with BRIDGE when the bridge never comes', async () => {
    vi.useFakeTimers();
    const waiting = waitForBridge(window);
    await vi.advanceTimersByTimeAsync(BRIDGE_TIMEOUT_MS);
    const result = await waiting;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BRIDGE');
      expect(result.error.ERROR).toMatch(/WeixinJSBridge/);
    }
  });

  it('stops listening once it has an answer', async () => {
    vi.useFakeTimers();
    const removed = vi.spyOn(document, 'removeEventListener');
    const waiting = waitForBridge(window, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    await waiting;
    expect(removed).toHaveBeenCalledWith('WeixinJSBridgeReady', expect.any(Function));
    removed.mockRestore();
  });
});

describe('invokeWechatPay', () => {
  const params = { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=1', signType: 'MD5', paySign: 's' };

  it('calls getBrandWCPayRequest with the parameters and resolves the answer', async () => {
    const bridge = {
      invoke: vi.fn((_name: string, _params: Record<string, string>, callback: (res: WechatPayResult) => void) =>
        callback({ err_msg: 'get_brand_wcpay_request:ok' }),
      ),
    };
    await expect(invokeWechatPay(bridge, params)).resolves.toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
    expect(bridge.invoke).toHaveBeenCalledExactlyOnceWith('getBrandWCPayRequest', params, expect.any(Function));
  });

  it('resolves once, with the first answer, when WeChat calls back twice', async () => {
    let callback: ((res: WechatPayResult) => void) | undefined;
    const bridge = { invoke: vi.fn((_n: string, _p: Record<string, string>, cb: (res: WechatPayResult) => void) => (callback = cb)) };
    const paying = invokeWechatPay(bridge, params);
    callback?.({ err_msg: 'get_brand_wcpay_request:cancel' });
    callback?.({ err_msg: 'get_brand_wcpay_request:ok' });
    await expect(paying).resolves.toEqual({ err_msg: 'get_brand_wcpay_request:cancel' });
  });

  it('wraps an answer that is not an object', async () => {
    const bridge = {
      invoke: (_n: string, _p: Record<string, string>, cb: (res: WechatPayResult) => void) =>
        cb('get_brand_wcpay_request:fail' as unknown as WechatPayResult),
    };
    await expect(invokeWechatPay(bridge, params)).resolves.toEqual({ err_msg: 'get_brand_wcpay_request:fail' });
  });
});

describe('isWechatPaid', () => {
  it.each([
    ['get_brand_wcpay_request:ok', true],
    ['get_brand_wcpay_request:cancel', false],
    ['get_brand_wcpay_request:fail', false],
    ['get_brand_wcpay_request:fail_ok', false],
    ['get_brand_wcpay_request:ok_not', false],
    ['', false],
    [undefined, false],
    [42, false],
  ])('%j → %s', (errMsg, expected) => {
    expect(isWechatPaid({ err_msg: errMsg } as WechatPayResult)).toBe(expected);
  });
});
