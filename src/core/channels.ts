/** Channel keys a merchant can enable, in the original service's spelling. */
export const CHANNEL_KEYS = ['ali', 'wxmp', 'bcwxmp', 'wx', 'bcwx', 'un', 'unwap', 'bckj', 'jd', 'bd', 'yee'] as const;
export type ChannelKey = (typeof CHANNEL_KEYS)[number];

/** REST v2 channel codes the gateway accepts in a bill request. */
export const REST_CHANNELS = [
  'ALI_WEB',
  'ALI_WAP',
  'WX_NATIVE',
  'BC_NATIVE',
  'WX_JSAPI',
  'BC_WX_JSAPI',
  // WeChat H5 (the manual's BC_WX_WAP): no key resolves to them; the gateway bills them for apps with live WeChat H5.
  'WX_WAP',
  'BC_WX_WAP',
  'UN_WEB',
  'UN_WAP',
  'BC_EXPRESS',
  'JD_WEB',
  'JD_WAP',
  'BD_WEB',
  'BD_WAP',
  'YEE_WEB',
  'YEE_WAP',
] as const;
export type RestChannel = (typeof REST_CHANNELS)[number];

/** Where the buyer is: a desktop browser, a phone browser, or WeChat's in-app browser. */
export type Place = 'pc' | 'mobile' | 'wechat';

/** What a key turns into in each place; null means the key is not offered there. */
export interface ChannelSpec {
  label: string;
  labelEn: string;
  pc: RestChannel | null;
  mobile: RestChannel | null;
  wechat: RestChannel | null;
}

/** The design's channel table. Inside WeChat, `ali` resolves to ALI_WAP behind the browser guide. */
export const CHANNELS: Record<ChannelKey, ChannelSpec> = {
  ali: { label: '支付宝', labelEn: 'Alipay', pc: 'ALI_WEB', mobile: 'ALI_WAP', wechat: 'ALI_WAP' },
  wxmp: { label: '微信扫码', labelEn: 'WeChat Pay (QR)', pc: 'WX_NATIVE', mobile: 'WX_NATIVE', wechat: 'WX_NATIVE' },
  bcwxmp: { label: '微信扫码', labelEn: 'WeChat Pay (QR)', pc: 'BC_NATIVE', mobile: 'BC_NATIVE', wechat: 'BC_NATIVE' },
  wx: { label: '微信支付', labelEn: 'WeChat Pay', pc: null, mobile: null, wechat: 'WX_JSAPI' },
  bcwx: { label: '微信支付', labelEn: 'WeChat Pay', pc: null, mobile: null, wechat: 'BC_WX_JSAPI' },
  un: { label: '银联', labelEn: 'UnionPay', pc: 'UN_WEB', mobile: 'UN_WAP', wechat: 'UN_WAP' },
  unwap: { label: '银联手机支付', labelEn: 'UnionPay Mobile', pc: 'UN_WAP', mobile: 'UN_WAP', wechat: 'UN_WAP' },
  bckj: { label: '银联快捷', labelEn: 'UnionPay Express', pc: 'BC_EXPRESS', mobile: 'BC_EXPRESS', wechat: 'BC_EXPRESS' },
  jd: { label: '京东支付', labelEn: 'JD Pay', pc: 'JD_WEB', mobile: 'JD_WAP', wechat: 'JD_WAP' },
  bd: { label: '百度钱包', labelEn: 'Baidu Wallet', pc: 'BD_WEB', mobile: 'BD_WAP', wechat: 'BD_WAP' },
  yee: { label: '易宝支付', labelEn: 'Yeepay', pc: 'YEE_WEB', mobile: 'YEE_WAP', wechat: 'YEE_WAP' },
};

/** True when `value` is one of the channel keys. */
export function isChannelKey(value: unknown): value is ChannelKey {
  return typeof value === 'string' && (CHANNEL_KEYS as readonly string[]).includes(value);
}

/** True when `value` is one of the REST channel codes. */
export function isRestChannel(value: unknown): value is RestChannel {
  return typeof value === 'string' && (REST_CHANNELS as readonly string[]).includes(value);
}

/** True when some enabled key resolves to `rest` in some place: the gateway's "is this channel on" test. */
export function isRestChannelEnabled(rest: RestChannel, enabled: readonly ChannelKey[]): boolean {
  return enabled.some((key) => {
    const spec = CHANNELS[key];
    return spec.pc === rest || spec.mobile === rest || spec.wechat === rest;
  });
}

/** The REST channel's family, as webhooks name it in `channel_type` (WX, ALI, UN, JD, BD, YEE, BC). */
export function channelFamily(rest: RestChannel): string {
  return rest.split('_')[0] as string;
}

/** QR channels answer with a `code_url`; JSAPI channels with WeChat's payment parameters. */
export const QR_CHANNELS: readonly RestChannel[] = ['WX_NATIVE', 'BC_NATIVE'];
export const JSAPI_CHANNELS: readonly RestChannel[] = ['WX_JSAPI', 'BC_WX_JSAPI'];
/** WeChat H5 channels: a phone browser outside WeChat, answered with a `url`. */
export const WECHAT_H5_CHANNELS: readonly RestChannel[] = ['WX_WAP', 'BC_WX_WAP'];
