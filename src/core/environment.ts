import type { Place } from './channels';

/** What the widget needs to know about the buyer's browser. */
export interface Environment {
  wechat: boolean;
  alipay: boolean;
  ios: boolean;
  android: boolean;
  harmony: boolean;
  ipad: boolean;
  mobile: boolean;
  touch: boolean;
  place: Place;
}

/** Hints beyond the user agent; iPadOS reports a Mac user agent, so touch points tell them apart. */
export interface EnvironmentHints {
  maxTouchPoints?: number;
}

/** Classifies a user agent: WeChat by MicroMessenger, Alipay's client, iOS/Android/HarmonyOS, tablets. */
export function detectEnvironment(userAgent: string, hints: EnvironmentHints = {}): Environment {
  const ua = userAgent || '';
  const touchPoints = hints.maxTouchPoints ?? 0;
  const touch = touchPoints > 0;
  const wechat = /MicroMessenger/i.test(ua);
  const alipay = /AlipayClient|AliApp\(AP/i.test(ua);
  const harmony = /OpenHarmony|HarmonyOS|ArkWeb/i.test(ua);
  // iPadOS 13+ asks for desktop sites with a Macintosh user agent; only touch support gives it away.
  const desktopClassIpad = /Macintosh/i.test(ua) && touchPoints > 1;
  const ipad = /iPad/i.test(ua) || desktopClassIpad;
  const ios = /iPhone|iPod/i.test(ua) || ipad;
  const android = /Android/i.test(ua) && !harmony;
  const mobile = ios || android || harmony || /Mobile|Windows Phone|BlackBerry/i.test(ua);
  const place = wechat ? 'wechat' : mobile ? 'mobile' : 'pc';
  return { wechat, alipay, ios, android, harmony, ipad, mobile, touch, place };
}

/** The current browser's environment; 'pc' where there is no navigator (tests, servers). */
export function currentEnvironment(): Environment {
  if (typeof navigator === 'undefined') return detectEnvironment('');
  return detectEnvironment(navigator.userAgent, { maxTouchPoints: navigator.maxTouchPoints });
}
