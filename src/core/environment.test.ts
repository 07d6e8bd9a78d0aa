import { describe, expect, it } from 'vitest';
import { WINDOWS_CHROME_UA } from '../test-support/orders';
import type { Place } from './channels';
import { currentEnvironment, detectEnvironment, type Environment } from './environment';

type Expected = Omit<Environment, 'touch'>;

const FLAGS = { wechat: false, alipay: false, ios: false, android: false, harmony: false, ipad: false, mobile: false };
const pc = (changes: Partial<Expected> = {}): Expected => ({ ...FLAGS, place: 'pc' as Place, ...changes });
const phone = (changes: Partial<Expected>): Expected => ({ ...FLAGS, mobile: true, place: 'mobile' as Place, ...changes });

// Real user agents as the browsers and in-app browsers send them today.
const AGENTS: [string, string, number, Expected][] = [
  [
    'Safari on iPhone, iOS 18',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    5,
    phone({ ios: true }),
  ],
  [
    'Chrome on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
    5,
    phone({ ios: true }),
  ],
  [
    'Chrome on a Pixel 9',
    'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
    5,
    phone({ android: true }),
  ],
  [
    'Chrome on Android with the reduced user agent',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    5,
    phone({ android: true }),
  ],
  [
    'Samsung Internet on a Galaxy S24 Ultra',
    'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
    5,
    phone({ android: true }),
  ],
  [
    'Chrome on an Android tablet (no "Mobile" token)',
    'Mozilla/5.0 (Linux; Android 14; SM-X910) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    10,
    phone({ android: true }),
  ],
  [
    'Firefox on Android',
    'Mozilla/5.0 (Android 15; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
    5,
    phone({ android: true }),
  ],
  [
    'WeChat on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323d) NetType/WIFI Language/zh_CN',
    5,
    phone({ wechat: true, ios: true, place: 'wechat' }),
  ],
  [
    'WeChat on Android (XWEB)',
    'Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
    5,
    phone({ wechat: true, android: true, place: 'wechat' }),
  ],
  [
    'WeChat for Windows',
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat(0x63090a13) XWEB/9129 Flue',
    0,
    pc({ wechat: true, place: 'wechat' }),
  ],
  [
    'WeCom (wxwork) on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
    5,
    phone({ wechat: true, ios: true, place: 'wechat' }),
  ],
  [
    'WeCom (wxwork) on Android',
    'Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 wxwork/4.1.20 ColorScheme/Light MicroMessenger/7.0.1 NetType/WIFI Language/zh Lang/zh ColorScheme/Light',
    5,
    phone({ wechat: true, android: true, place: 'wechat' }),
  ],
  [
    'the Alipay client on Android',
    'Mozilla/5.0 (Linux; U; Android 14; zh-CN; 23127PN0CC Build/UKQ1.230804.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.9999 UCBS/3.22.2.9999 Mobile Safari/537.36 NebulaSDK/1.8.100112 Nebula AlipayDefined(nt:WIFI,ws:393|0|2.75,ac:sp) AliApp(AP/10.5.86.8000) AlipayClient/10.5.86.8000 Language/zh-Hans useStatusBar/true isConcaveScreen/true Region/CN Ariver/1.0.0',
    5,
    phone({ alipay: true, android: true }),
  ],
  [
    'the Alipay client on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.1.0 AliApp(AP/10.6.0.6000) Nebula WK RVKType(0) AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.6.0.6000 Language/zh-Hans Region/CN NebulaX/1.0.0',
    5,
    phone({ alipay: true, ios: true }),
  ],
  [
    'Huawei Browser on HarmonyOS NEXT (ArkWeb)',
    'Mozilla/5.0 (Phone; OpenHarmony 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300',
    5,
    phone({ harmony: true }),
  ],
  [
    'WeChat on HarmonyOS NEXT',
    'Mozilla/5.0 (Phone; OpenHarmony 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile MicroMessenger/8.0.1.50 NetType/WIFI Language/zh_CN',
    5,
    phone({ harmony: true, wechat: true, place: 'wechat' }),
  ],
  [
    'Safari on a classic iPad',
    'Mozilla/5.0 (iPad; CPU OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1',
    5,
    phone({ ios: true, ipad: true }),
  ],
  [
    'Safari on iPadOS asking for the desktop site',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    5,
    phone({ ios: true, ipad: true }),
  ],
  [
    'Safari on a Mac (same user agent, no touch)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    0,
    pc(),
  ],
  [
    'Chrome on a Mac',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    0,
    pc(),
  ],
  ['Chrome on Windows', WINDOWS_CHROME_UA, 0, pc()],
  ['Chrome on a Windows touch laptop', WINDOWS_CHROME_UA, 10, pc()],
  [
    'Edge on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    0,
    pc(),
  ],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 0, pc()],
  ['an empty user agent', '', 0, pc()],
];

describe('detectEnvironment', () => {
  it.each(AGENTS)('classifies %s', (_, userAgent, maxTouchPoints, expected) => {
    expect(detectEnvironment(userAgent, { maxTouchPoints })).toEqual({ ...expected, touch: maxTouchPoints > 0 });
  });

  it('treats a Mac user agent as a desktop when no hints are given', () => {
    const mac = AGENTS.find(([name]) => name.startsWith('Safari on a Mac'))?.[1] as string;
    expect(detectEnvironment(mac)).toMatchObject({ ipad: false, ios: false, mobile: false, touch: false, place: 'pc' });
  });

  it('puts WeChat before mobile: a phone inside WeChat is in the wechat place', () => {
    const [, wechatIos] = AGENTS.find(([name]) => name === 'WeChat on iPhone') as (typeof AGENTS)[number];
    expect(detectEnvironment(wechatIos).place).toBe('wechat');
  });
});

describe('currentEnvironment', () => {
  it('reads the running browser (a desktop for jsdom)', () => {
    expect(currentEnvironment()).toMatchObject({ wechat: false, mobile: false, place: 'pc' });
  });
});
