import { ChannelError, type PaymentRequest } from '../connector';
import type { WechatConfig } from './config';

/** WeChat Pay's limit on `description` (string(127)), taken as UTF-8 bytes. */
export const DESCRIPTION_MAX_BYTES = 127;

/** The three WeChat Pay products the connector starts. */
export type WechatProduct = 'native' | 'jsapi' | 'h5';

/**
 * The product for a REST channel: WX_NATIVE, WX_JSAPI, and H5 as WX_WAP or the BeeCloud manual's BC_WX_WAP; null for
 * a channel this connector does not serve.
 */
export function productOf(channel: string): WechatProduct | null {
  if (channel === 'WX_NATIVE') return 'native';
  if (channel === 'WX_JSAPI') return 'jsapi';
  if (channel === 'WX_WAP' || channel === 'BC_WX_WAP') return 'h5';
  return null;
}

/** `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character. */
export function cutToUtf8Bytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

/** `date` as RFC 3339 in Beijing time, `yyyy-MM-DDTHH:mm:ss+08:00`, as WeChat's time_expire asks. */
export function beijingTime(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 19)}+08:00`;
}

/** The path and JSON body of the prepay (下单) request for `request`; throws a ChannelError for what WeChat would refuse. */
export function prepayRequest(config: WechatConfig, product: WechatProduct, request: PaymentRequest): { path: string; body: Record<string, unknown> } {
  const { bill } = request;
  if (!Number.isSafeInteger(bill.fee) || bill.fee <= 0) throw new ChannelError('PARAM_ERROR', `the bill's fee must be a positive whole number of fen (got ${bill.fee})`);
  const description = cutToUtf8Bytes(bill.title, DESCRIPTION_MAX_BYTES);
  if (description === '') throw new ChannelError('PARAM_ERROR', 'the bill needs a title: WeChat Pay requires a description');
  const body: Record<string, unknown> = {
    appid: config.appId,
    mchid: config.mchId,
    description,
    out_trade_no: request.tradeNo,
    notify_url: request.notifyUrl,
    amount: { total: bill.fee, currency: 'CNY' },
  };
  if (bill.bill_timeout !== undefined) body.time_expire = beijingTime(new Date(request.now.getTime() + bill.bill_timeout * 1000));
  if (product === 'jsapi') {
    if (bill.openid === undefined || bill.openid === '') throw new ChannelError('PARAM_ERROR', "WX_JSAPI needs the buyer's openid (bill.openid)");
    body.payer = { openid: bill.openid };
  }
  if (product === 'h5') {
    if (!config.h5) throw new ChannelError('NO_AUTH', 'WeChat H5 payment is not enabled for this merchant (live.wechat.h5)');
    if (request.buyerIp === undefined || request.buyerIp === '') throw new ChannelError('PARAM_ERROR', "WeChat H5 payment needs the buyer's IP address");
    body.scene_info = { payer_client_ip: request.buyerIp, h5_info: { type: 'Wap' } };
  }
  return { path: `/v3/pay/transactions/${product}`, body };
}
