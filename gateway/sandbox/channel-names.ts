import type { RestChannel } from '../../src/core/channels';

/** How the sandbox cashier names each channel it plays. */
export const CHANNEL_NAMES: Record<RestChannel, string> = {
  ALI_WEB: '支付宝 · 电脑网站支付',
  ALI_WAP: '支付宝 · 手机网站支付',
  WX_NATIVE: '微信支付 · 扫码支付',
  BC_NATIVE: '微信支付 · 扫码支付 (BC)',
  WX_JSAPI: '微信支付 · 公众号支付',
  BC_WX_JSAPI: '微信支付 · 公众号支付 (BC)',
  WX_WAP: '微信支付 · H5 支付',
  BC_WX_WAP: '微信支付 · H5 支付 (BC)',
  UN_WEB: '银联 · 网关支付',
  UN_WAP: '银联 · 手机支付',
  BC_EXPRESS: '银联快捷支付',
  JD_WEB: '京东支付 · 网页',
  JD_WAP: '京东支付 · 手机网页',
  BD_WEB: '百度钱包 · 网页',
  BD_WAP: '百度钱包 · 手机网页',
  YEE_WEB: '易宝支付 · 网页',
  YEE_WAP: '易宝支付 · 手机网页',
};
