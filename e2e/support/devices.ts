import { devices } from '@playwright/test';

const pick = (name: string) => {
  const { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch } = devices[name] as (typeof devices)[string];
  return { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch };
};

/** Current phones, emulated in Chromium (user agent, viewport, touch). */
export const IPHONE = pick('iPhone 15');
export const ANDROID = pick('Galaxy S24');

/** WeChat's in-app browser on Android, as it reports itself. */
export const WECHAT = {
  ...ANDROID,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; SM-S921U Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300259 MMWEBSDK/20241103 MMWEBID/1234 MicroMessenger/8.0.55.2780(0x28003737) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
};
