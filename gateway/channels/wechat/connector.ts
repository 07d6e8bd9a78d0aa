import type { Bill } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import { ChannelError, type ChannelConnector, type CloseOutcome, type PaymentAnswer, type PaymentRequest, type RefundState, type TradeState } from '../connector';
import { createWechatClient, type WechatClientOptions } from './client';
import { isVerifiedRefusal } from './request-error';
import type { WechatConfig } from './config';
import { jsapiPaySign, newNonce } from './crypto';
import { readWechatNotify, wechatNotifyReply } from './notify';
import { prepayRequest, productOf } from './prepay';
import { refundStateOf, tradeStateOf } from './states';

/** Options of the WeChat connector: the HTTP client's knobs and where refund notifications go. */
export interface WechatConnectorOptions extends WechatClientOptions {
  /** The gateway's notify URL for refunds (no query string); without it WeChat uses the one set on the merchant platform. */
  refundNotifyUrl?: string;
}

/**
 * The WeChat Pay API v3 connector (family WX) for one merchant: WX_NATIVE, WX_JSAPI and H5 (WX_WAP / BC_WX_WAP),
 * query and close by out_trade_no, domestic refunds, and notifications. Written on node:crypto and fetch, no SDK.
 */
export function createWechatConnector(config: WechatConfig, options: WechatConnectorOptions = {}): ChannelConnector {
  const client = createWechatClient(config, options);
  const mchQuery = `mchid=${encodeURIComponent(config.mchId)}`;
  const tradePath = (tradeNo: string) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(tradeNo)}`;

  async function createPayment(request: PaymentRequest): Promise<PaymentAnswer> {
    // The REST channel type has no H5 code yet: 'WX_WAP' and 'BC_WX_WAP' arrive cast, so the channel is read as a string.
    const channel = request.channel as string;
    const product = productOf(channel);
    if (product === null) throw new ChannelError('UNSUPPORTED_CHANNEL', `the WeChat connector does not serve ${channel}`);
    const { path, body } = prepayRequest(config, product, request);
    const { data } = await client.request('POST', path, body);
    const answer = (data ?? {}) as Record<string, unknown>;
    if (product === 'native') return { code_url: requireString(answer, 'code_url', path) };
    if (product === 'h5') return { url: `${requireString(answer, 'h5_url', path)}&redirect_url=${encodeURIComponent(request.returnUrl)}` };
    const prepayId = requireString(answer, 'prepay_id', path);
    const timestamp = String(Math.floor(request.now.getTime() / 1000));
    const nonce = newNonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = jsapiPaySign({ appId: config.appId, timeStamp: timestamp, nonceStr: nonce, package: pkg }, config.privateKey);
    return { app_id: config.appId, package: pkg, nonce_str: nonce, timestamp, sign_type: 'RSA', pay_sign: paySign };
  }

  async function queryPayment(tradeNo: string, _bill: Bill): Promise<TradeState> {
    try {
      const { data } = await client.request('GET', `${tradePath(tradeNo)}?${mchQuery}`);
      return tradeStateOf(data, tradeNo);
    } catch (error) {
      if (isVerifiedRefusal(error, 'ORDER_NOT_EXIST', 'ORDERNOTEXIST')) {
        return { tradeNo, state: 'not_found', detail: { code: error.channelCode, message: error.message } };
      }
      throw error;
    }
  }

  async function closePayment(tradeNo: string, bill: Bill): Promise<CloseOutcome> {
    try {
      await client.request('POST', `${tradePath(tradeNo)}/close`, { mchid: config.mchId });
    } catch (error) {
      if (isVerifiedRefusal(error, 'ORDER_NOT_EXIST', 'ORDERNOTEXIST')) return { state: 'closed' };
      if (!isVerifiedRefusal(error, 'ORDERPAID', 'ORDER_PAID')) throw error;
      // Paid meanwhile: the query says how much and when, so that the gateway can settle the bill.
      const trade = await queryPayment(tradeNo, bill);
      if (trade.state === 'paid') return { state: 'paid', trade };
      throw new ChannelError('ORDERPAID', `WeChat Pay says ${tradeNo} is paid, but its query says ${trade.state}`);
    }
    // The docs do not say what closing a trade paid a moment before answers; a query after the 204 tells.
    // Should that query fail, the close itself stood: a payment that still arrives comes by notify.
    const trade = await queryPayment(tradeNo, bill).catch(() => null);
    return trade?.state === 'paid' ? { state: 'paid', trade } : { state: 'closed' };
  }

  async function refund(tradeNo: string, bill: Bill, refundRecord: Refund): Promise<RefundState> {
    const body: Record<string, unknown> = {
      out_trade_no: tradeNo,
      out_refund_no: refundRecord.refund_no,
      amount: { refund: refundRecord.refund_fee, total: bill.fee, currency: 'CNY' },
    };
    if (options.refundNotifyUrl !== undefined) body.notify_url = options.refundNotifyUrl;
    const { data } = await client.request('POST', '/v3/refund/domestic/refunds', body);
    return refundStateOf(data);
  }

  async function queryRefund(_tradeNo: string, _bill: Bill, refundRecord: Refund): Promise<RefundState> {
    const { data } = await client.request('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(refundRecord.refund_no)}`);
    return refundStateOf(data);
  }

  return {
    family: 'WX',
    createPayment,
    readNotify: async (notify, now) => readWechatNotify(config, notify, now),
    notifyReply: wechatNotifyReply,
    queryPayment,
    closePayment,
    refund,
    queryRefund,
  };
}

function requireString(answer: Record<string, unknown>, name: string, path: string): string {
  const value = answer[name];
  if (typeof value !== 'string' || value === '') throw new ChannelError('INVALID_ANSWER', `WeChat Pay's answer to ${path} has no ${name}`);
  return value;
}
