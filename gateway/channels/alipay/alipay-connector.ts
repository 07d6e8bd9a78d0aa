import { AlipaySdk } from 'alipay-sdk';
import type { Bill } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import { type Answer, answerWith } from '../../http/answer';
import { escapeHtml } from '../../http/escape-html';
import {
  ChannelError,
  type ChannelConnector,
  type CloseOutcome,
  type IncomingNotify,
  type NotifyOutcome,
  type PaymentAnswer,
  type PaymentRequest,
  type RefundState,
  type TradeState,
  fenToYuan,
  yuanToFen,
} from '../connector';
import { formatChinaTime } from './china-time';
import type { AlipayCredentials } from './credentials';

/** The Alipay channels: the button's ALI_WEB and ALI_WAP, and REST's ALI_QRCODE (page.pay showing a QR). */
export const ALIPAY_CHANNELS: readonly string[] = ['ALI_WEB', 'ALI_WAP', 'ALI_QRCODE'];

/** Whether `channel` is one of Alipay's, which a `live.alipay` entry takes. */
export function isAlipayChannel(channel: string): boolean {
  return ALIPAY_CHANNELS.includes(channel);
}

/** What a verified sync return (the buyer's browser coming back) says: which trade; it never proves a payment. */
export type ReturnOutcome = { ok: true; tradeNo: string } | { ok: false; reason: string };

/** The Alipay connector, with the sync return check the gateway's return route needs. */
export interface AlipayConnector extends ChannelConnector {
  readonly family: 'ALI';
  readonly credentials: Pick<AlipayCredentials, 'appId' | 'endpoint'>;
  readReturn(query: URLSearchParams): ReturnOutcome;
}

/** How the connector talks to Alipay: the request timeout (default 10 s), the QR width for ALI_QRCODE. */
export interface AlipayConnectorOptions {
  timeoutMs?: number;
  qrcodeWidth?: number;
}

const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);
const SUCCESS = '10000';

/**
 * A ChannelConnector for Alipay's OpenAPI v2 gateway (RSA2, public-key mode), signing requests and checking
 * Alipay's signatures with alipay-sdk: `pageExecute` builds page.pay/wap.pay forms and links, `exec` calls
 * query/close/refund/refund query and verifies their answers (`validateSign`), `checkNotifySignV2` verifies
 * notifies and sync returns. Every `timestamp` is China Standard Time, whatever the server's zone.
 */
export function createAlipayConnector(credentials: AlipayCredentials, options: AlipayConnectorOptions = {}): AlipayConnector {
  const sdk = new AlipaySdk({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    alipayPublicKey: credentials.alipayPublicKey,
    keyType: 'PKCS8',
    signType: 'RSA2',
    gateway: credentials.endpoint,
    timeout: options.timeoutMs ?? 10_000,
    camelcase: false,
  });
  const qrcodeWidth = options.qrcodeWidth ?? 200;

  const call = async (method: string, biz: Record<string, unknown>): Promise<Record<string, unknown>> => {
    let result: Record<string, unknown>;
    try {
      result = (await sdk.exec(method, { bizContent: biz, timestamp: formatChinaTime(new Date()) }, { validateSign: true })) as Record<string, unknown>;
    } catch (error) {
      throw toChannelError(method, error);
    }
    return result;
  };

  const failure = (method: string, answer: Record<string, unknown>): ChannelError => {
    const subCode = text(answer.sub_code) ?? text(answer.code) ?? 'UNKNOWN';
    const subMsg = text(answer.sub_msg) ?? text(answer.msg) ?? '';
    return new ChannelError(subCode, `Alipay ${method} answered ${text(answer.code) ?? '?'} ${subCode}: ${subMsg}`.trim());
  };

  const queryPayment = async (tradeNo: string, bill: Bill): Promise<TradeState> => {
    const answer = await call('alipay.trade.query', { out_trade_no: tradeNo });
    if (answer.code !== SUCCESS) {
      if (answer.sub_code === 'ACQ.TRADE_NOT_EXIST') return { tradeNo, state: 'not_found', detail: { sub_code: 'ACQ.TRADE_NOT_EXIST' } };
      throw failure('alipay.trade.query', answer);
    }
    return tradeState(tradeNo, answer, bill);
  };

  const queryRefund = async (tradeNo: string, refund: Refund): Promise<RefundState> => {
    const answer = await call('alipay.trade.fastpay.refund.query', {
      out_trade_no: tradeNo,
      out_request_no: refund.refund_no,
      query_options: ['gmt_refund_pay'],
    });
    if (answer.code !== SUCCESS) throw failure('alipay.trade.fastpay.refund.query', answer);
    const fee = typeof answer.refund_amount === 'string' ? yuanToFen(answer.refund_amount) : undefined;
    const state: RefundState = { state: answer.refund_status === 'REFUND_SUCCESS' ? 'success' : 'pending', detail: refundDetail(answer) };
    if (fee !== undefined) state.fee = fee;
    return state;
  };

  return {
    family: 'ALI',
    credentials: { appId: credentials.appId, endpoint: credentials.endpoint },

    async createPayment(request: PaymentRequest): Promise<PaymentAnswer> {
      const { bill, now, tradeNo } = request;
      const channel = request.channel as string;
      if (!isAlipayChannel(channel)) throw new RangeError(`expected an Alipay channel (${ALIPAY_CHANNELS.join(', ')}), got ${channel}`);
      const wap = channel === 'ALI_WAP';
      const biz: Record<string, unknown> = {
        out_trade_no: tradeNo,
        total_amount: fenToYuan(bill.fee),
        subject: bill.title,
        product_code: wap ? 'QUICK_WAP_WAY' : 'FAST_INSTANT_TRADE_PAY',
      };
      if (bill.bill_timeout !== undefined) biz.time_expire = formatChinaTime(new Date(now.getTime() + bill.bill_timeout * 1000));
      if (channel === 'ALI_QRCODE') {
        biz.qr_pay_mode = '4';
        biz.qrcode_width = qrcodeWidth;
      }
      // Where the buyer lands on leaving Alipay's WAP cashier without paying: the gateway's return, which queries.
      if (wap) biz.quit_url = request.returnUrl;
      const method = wap ? 'alipay.trade.wap.pay' : 'alipay.trade.page.pay';
      const params = { bizContent: biz, notifyUrl: request.notifyUrl, returnUrl: request.returnUrl, timestamp: formatChinaTime(now) };
      let url: string;
      try {
        url = sdk.pageExecute(method, 'GET', params);
      } catch (error) {
        throw toChannelError(method, error);
      }
      return { html: selfSubmittingForm(url), url };
    },

    async readNotify(notify: IncomingNotify): Promise<NotifyOutcome> {
      if (notify.method.toUpperCase() !== 'POST') return { kind: 'refused', reason: `expected POST, got ${notify.method}` };
      const params = readForm(new TextDecoder().decode(notify.body));
      if (params === undefined) return { kind: 'refused', reason: 'the body is not a form with each field once' };
      if (!verify(sdk, params)) return { kind: 'refused', reason: 'the signature does not verify with alipayPublicKey' };
      if (params.app_id !== credentials.appId) return { kind: 'refused', reason: `app_id ${JSON.stringify(params.app_id)} is not this app's Alipay app id` };
      if (params.notify_type !== undefined && params.notify_type !== 'trade_status_sync') return { kind: 'ignored', reason: `notify_type ${params.notify_type}` };
      const tradeNo = params.out_trade_no;
      if (tradeNo === undefined || tradeNo === '') return { kind: 'refused', reason: 'out_trade_no is missing' };
      const detail = notifyDetail(params);
      // A refund changes the trade too (partial: still TRADE_SUCCESS; full: TRADE_CLOSED) and names its request.
      if (params.out_biz_no !== undefined && params.refund_fee !== undefined) {
        // Its refund_fee is the trade's refunded total, not this refund's amount: kept in detail only.
        return { kind: 'refund', tradeNo, refundNo: params.out_biz_no, state: { state: 'success', detail } };
      }
      const fee = params.total_amount === undefined ? undefined : yuanToFen(params.total_amount);
      if (fee === undefined) return { kind: 'refused', reason: `total_amount ${JSON.stringify(params.total_amount)} is not yuan with at most two decimals` };
      const status = params.trade_status ?? '';
      const trade: TradeState = { tradeNo, state: PAID.has(status) ? 'paid' : status === 'TRADE_CLOSED' ? 'closed' : 'unpaid', fee, detail };
      if (params.trade_no !== undefined) trade.channelTradeNo = params.trade_no;
      if (params.gmt_payment !== undefined) trade.paidAt = params.gmt_payment;
      return { kind: 'payment', trade };
    },

    notifyReply(stored: boolean): Answer {
      // Alipay wants exactly these seven bytes; anything else has the notify sent again.
      return answerWith(stored ? 'success' : 'fail', 200, { 'Content-Type': 'text/plain; charset=utf-8' });
    },

    readReturn(query: URLSearchParams): ReturnOutcome {
      const params = readParams(query);
      if (params === undefined) return { ok: false, reason: 'a field appears twice' };
      if (!verify(sdk, params)) return { ok: false, reason: 'the signature does not verify with alipayPublicKey' };
      if (params.app_id !== credentials.appId) return { ok: false, reason: 'app_id is not this app’s' };
      if (params.out_trade_no === undefined) return { ok: false, reason: 'out_trade_no is missing' };
      return { ok: true, tradeNo: params.out_trade_no };
    },

    queryPayment,

    async closePayment(tradeNo: string, bill: Bill): Promise<CloseOutcome> {
      const answer = await call('alipay.trade.close', { out_trade_no: tradeNo });
      if (answer.code === SUCCESS) return { state: 'closed' };
      // No trade yet (the buyer never reached the cashier): nothing to close. Otherwise it may have been paid.
      if (answer.sub_code === 'ACQ.TRADE_NOT_EXIST') return { state: 'closed' };
      if (answer.sub_code === 'ACQ.TRADE_STATUS_ERROR') {
        const trade = await queryPayment(tradeNo, bill);
        if (trade.state === 'paid') return { state: 'paid', trade };
        if (trade.state === 'closed' || trade.state === 'not_found') return { state: 'closed' };
      }
      throw failure('alipay.trade.close', answer);
    },

    async refund(tradeNo: string, _bill: Bill, refund: Refund): Promise<RefundState> {
      const answer = await call('alipay.trade.refund', {
        out_trade_no: tradeNo,
        refund_amount: fenToYuan(refund.refund_fee),
        out_request_no: refund.refund_no,
      });
      if (answer.code !== SUCCESS) {
        // Alipay's own trouble: the same out_request_no may be sent again, so the refund stands pending.
        if (answer.sub_code === 'ACQ.SYSTEM_ERROR') return { state: 'pending', detail: refundDetail(answer) };
        throw failure('alipay.trade.refund', answer);
      }
      // fund_change N: this out_request_no was refunded before (or is still in progress); the refund query says which.
      if (answer.fund_change !== 'Y') return queryRefund(tradeNo, refund);
      return { state: 'success', fee: refund.refund_fee, detail: refundDetail(answer) };
    },

    queryRefund: (tradeNo: string, _bill: Bill, refund: Refund) => queryRefund(tradeNo, refund),
  };
}

// The parameters alipay-sdk puts in the gateway URL's query; the others travel in the form body.
const URL_PARAMS = new Set(['app_id', 'method', 'format', 'charset', 'sign_type', 'sign', 'timestamp', 'version', 'notify_url', 'return_url', 'app_auth_token']);

/**
 * The POST form for a signed page.pay/wap.pay link, laid out as alipay-sdk's own form (common parameters in the
 * action's query, biz_content in the body) but with every value HTML-escaped: the SDK escapes only `"`, so a title
 * holding `&lt;` would reach Alipay changed and fail its signature.
 */
function selfSubmittingForm(signedUrl: string): string {
  const url = new URL(signedUrl);
  const action = new URL(url.origin + url.pathname);
  const inputs: string[] = [];
  for (const [key, value] of url.searchParams) {
    if (URL_PARAMS.has(key)) action.searchParams.append(key, value);
    else inputs.push(`<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`);
  }
  return (
    `<form id="alipaysubmit" name="alipaysubmit" action="${escapeHtml(action.href)}" method="POST">${inputs.join('')}</form>` +
    `<script>document.forms['alipaysubmit'].submit();</script>`
  );
}

function verify(sdk: AlipaySdk, params: Record<string, string>): boolean {
  if (typeof params.sign !== 'string' || params.sign === '') return false;
  // checkNotifySignV2: every field but sign (and, in its second try, sign_type), sorted, values as received.
  try {
    return sdk.checkNotifySignV2(params);
  } catch {
    return false;
  }
}

function tradeState(tradeNo: string, answer: Record<string, unknown>, bill: Bill): TradeState {
  const status = text(answer.trade_status) ?? '';
  const fee = typeof answer.total_amount === 'string' ? yuanToFen(answer.total_amount) : undefined;
  const state: TradeState = {
    tradeNo,
    state: PAID.has(status) ? 'paid' : status === 'TRADE_CLOSED' ? 'closed' : 'unpaid',
    detail: pick(answer, ['trade_no', 'out_trade_no', 'trade_status', 'total_amount', 'send_pay_date', 'buyer_logon_id']),
  };
  if (fee !== undefined) state.fee = fee;
  else if (state.state === 'paid') throw new ChannelError('AMOUNT_INVALID', `Alipay reported trade ${tradeNo} of bill ${bill.id} paid with total_amount ${JSON.stringify(answer.total_amount)}, which is not yuan`);
  const channelTradeNo = text(answer.trade_no);
  if (channelTradeNo !== undefined) state.channelTradeNo = channelTradeNo;
  const paidAt = text(answer.send_pay_date);
  if (paidAt !== undefined) state.paidAt = paidAt;
  return state;
}

function notifyDetail(params: Record<string, string>): Record<string, unknown> {
  return pick(params, ['trade_no', 'out_trade_no', 'trade_status', 'total_amount', 'receipt_amount', 'buyer_pay_amount', 'gmt_payment', 'notify_id', 'out_biz_no', 'refund_fee', 'gmt_refund']);
}

function refundDetail(answer: Record<string, unknown>): Record<string, unknown> {
  return pick(answer, ['trade_no', 'out_trade_no', 'out_request_no', 'fund_change', 'refund_fee', 'refund_amount', 'refund_status', 'gmt_refund_pay', 'sub_code', 'sub_msg']);
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readForm(body: string): Record<string, string> | undefined {
  return readParams(new URLSearchParams(body));
}

function readParams(search: URLSearchParams): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [key, value] of search) {
    if (Object.hasOwn(params, key)) return undefined;
    params[key] = value;
  }
  return params;
}

function toChannelError(method: string, error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const message = (error as Error)?.message ?? String(error);
  // The SDK's messages for a bad signature quote the answer; the merchant gets the gist, never a key.
  if (message.includes('验签失败')) return new ChannelError('ALIPAY_SIGN_INVALID', `Alipay's answer to ${method} does not verify with alipayPublicKey`);
  if (/timeout|timed out/i.test(message)) return new ChannelError('ALIPAY_TIMEOUT', `Alipay did not answer ${method} in time`);
  if (message.includes('HttpClient Request error')) return new ChannelError('ALIPAY_UNREACHABLE', `Alipay could not be reached for ${method}`);
  if (message.includes('HTTP 请求错误')) return new ChannelError('ALIPAY_HTTP_ERROR', `Alipay answered ${method} with an HTTP error (${message.replace(/^.*status:\s*/, 'status ')})`);
  return new ChannelError('ALIPAY_BAD_ANSWER', `Alipay's answer to ${method} could not be read`);
}
