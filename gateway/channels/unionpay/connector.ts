import type { RestChannel } from '../../../src/core/channels';
import type { Bill } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import { answerWith, type Answer } from '../../http/answer';
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
} from '../connector';
import type { UnionpayConfig } from './config';
import { encodeFormFields, formatChinaTime, parseAnswerFields, parseFormFields } from './fields';
import { detailOf, UNIONPAY_VERSION, verifyUnionpayMessage } from './message';
import { signFields, type UnionpayFields } from './sign';

/** The paths of UnionPay's online gateway (全渠道 5.1.0) under the endpoint. */
export const UNIONPAY_PATHS = {
  front: '/gateway/api/frontTransReq.do',
  back: '/gateway/api/backTransReq.do',
  query: '/gateway/api/queryTrans.do',
} as const;

/** What the connector needs besides the config. */
export interface UnionpayConnectorOptions {
  /** The gateway's notify URL for this app (under SPAY_PUBLIC_URL): the refund's backUrl. Refunds fail without it. */
  notifyUrl?: string;
  /** How long a backTransReq or queryTrans may take before it counts as lost (default 20 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * The instant sent as a payment's txnTime, which queryTrans needs again with the orderId. Default: the bill's
   * created_at, so that a query needs nothing the bill does not keep.
   */
  txnTimeOf?: (tradeNo: string, bill: Bill) => Date;
}

const CHANNEL_TYPES: Partial<Record<RestChannel, string>> = { UN_WEB: '07', UN_WAP: '08' };
/** respCode 03, 04, 05: the outcome is not known yet (timeout, processing); query again later. */
const UNKNOWN = new Set(['03', '04', '05']);
/** respCode 34: no such transaction (the buyer never submitted a payment for this orderId). */
const NOT_FOUND = '34';
/** respCode 12: a duplicate of a transaction already received (same orderId and txnTime). */
const DUPLICATE = '12';

function channelTypeOf(channel: RestChannel): string {
  const type = CHANNEL_TYPES[channel];
  if (type === undefined) throw new ChannelError('CHANNEL', `UnionPay serves UN_WEB and UN_WAP, got ${channel}`);
  return type;
}

function refusal(fields: UnionpayFields): ChannelError {
  const code = fields.respCode ?? 'NO_CODE';
  return new ChannelError(code, `UnionPay ${code}: ${fields.respMsg ?? 'no respMsg'}`);
}

/** UnionPay's orderId: 8 to 40 letters or digits, no `-` or `_` (the ACP demo's field notes). */
const ORDER_ID = /^[0-9A-Za-z]{8,40}$/;

function checkOrderId(orderId: string, what: string): string {
  if (!ORDER_ID.test(orderId)) throw new ChannelError('ORDER_ID', `UnionPay's orderId must be 8-40 letters or digits; the ${what} is ${JSON.stringify(orderId)}`);
  return orderId;
}

function checkFen(fee: number, what: string): string {
  if (!Number.isSafeInteger(fee) || fee <= 0) throw new ChannelError('TXN_AMT', `expected the ${what} as a positive whole number of fen, got ${fee}`);
  return String(fee);
}

function fenOf(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9]\d{0,11}$/.test(text) ? Number(text) : undefined;
}

/** The self-submitting form the widget parses and submits in the buyer's window. */
export function buildFrontForm(action: string, fields: UnionpayFields): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>银联在线支付</title></head><body>' +
    `<form id="pay_form" action="${escapeHtml(action)}" method="post">${inputs}</form>` +
    '<script>document.forms[0].submit();</script></body></html>'
  );
}

/**
 * A ChannelConnector for UnionPay's online gateway (全渠道, interface 5.1.0): UN_WEB (channelType 07) and UN_WAP (08)
 * by a self-submitting form to frontTransReq.do, refunds by backTransReq.do, queries by queryTrans.do, back notifies
 * verified by the certificate they carry.
 */
export function createUnionpayConnector(config: UnionpayConfig, options: UnionpayConnectorOptions = {}): ChannelConnector {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const txnTimeOf = options.txnTimeOf ?? ((_tradeNo: string, bill: Bill) => new Date(bill.created_at));

  const common = (): UnionpayFields => ({
    version: UNIONPAY_VERSION,
    encoding: 'utf-8',
    signMethod: '01',
    accessType: '0',
    merId: config.merId,
    certId: config.certId,
  });

  const signed = (fields: UnionpayFields): UnionpayFields => ({ ...fields, signature: signFields(fields, config.signingKey) });

  /** Posts `fields` signed to `path`; answers the verified answer's fields, or throws a ChannelError. */
  async function post(path: string, fields: UnionpayFields): Promise<UnionpayFields> {
    let response: Response;
    try {
      response = await doFetch(config.endpoint + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: encodeFormFields(signed(fields)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new ChannelError('TIMEOUT', `UnionPay did not answer ${path} within ${timeoutMs} ms`);
      }
      throw new ChannelError('NETWORK', `UnionPay could not be reached for ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new ChannelError('TIMEOUT', `UnionPay's answer to ${path} did not arrive within ${timeoutMs} ms`);
    }
    if (response.status !== 200) throw new ChannelError(`HTTP_${response.status}`, `UnionPay answered ${path} with HTTP ${response.status}`);
    const answer = parseAnswerFields(text);
    const code = answer.respCode;
    if (code === undefined) throw new ChannelError('NO_CODE', `UnionPay's answer to ${path} has no respCode`);
    const failure = code !== '00' && !UNKNOWN.has(code) && code !== NOT_FOUND && code !== DUPLICATE;
    // An unsigned refusal can only make us fail, which anyone on the path could do anyway; anything else must verify.
    if (!(failure && answer.signature === undefined)) {
      const reason = verifyUnionpayMessage(answer, config.trust, new Date());
      if (reason !== null) throw new ChannelError('SIGNATURE', `UnionPay's answer to ${path} does not verify: ${reason}`);
      if (answer.merId !== undefined && answer.merId !== config.merId) {
        throw new ChannelError('MER_ID', `UnionPay's answer to ${path} is for merId ${answer.merId}, not ${config.merId}`);
      }
    }
    return answer;
  }

  /** The answer must be about the order asked for: a genuine answer for another order is not this one's. */
  function sameOrder(answer: UnionpayFields, orderId: string, path: string): UnionpayFields {
    if (answer.orderId !== undefined && answer.orderId !== orderId) {
      throw new ChannelError('ORDER_ID', `UnionPay's answer to ${path} is for orderId ${answer.orderId}, not ${orderId}`);
    }
    return answer;
  }

  async function query(orderId: string, txnTime: Date): Promise<UnionpayFields> {
    const answer = await post(UNIONPAY_PATHS.query, {
      ...common(),
      txnType: '00',
      txnSubType: '00',
      bizType: '000000',
      orderId,
      txnTime: formatChinaTime(txnTime),
    });
    return sameOrder(answer, orderId, UNIONPAY_PATHS.query);
  }

  async function queryPayment(tradeNo: string, bill: Bill): Promise<TradeState> {
    const answer = await query(tradeNo, txnTimeOf(tradeNo, bill));
    const code = answer.respCode as string;
    if (code === NOT_FOUND) return { tradeNo, state: 'not_found', detail: detailOf(answer) };
    if (UNKNOWN.has(code)) return { tradeNo, state: 'unpaid', detail: detailOf(answer) };
    if (code !== '00') throw refusal(answer);
    if (answer.origRespCode === '00') {
      const fee = fenOf(answer.txnAmt);
      if (fee === undefined) throw new ChannelError('TXN_AMT', `UnionPay's query for ${tradeNo} has no valid txnAmt`);
      return { tradeNo, state: 'paid', fee, channelTradeNo: answer.queryId, detail: detailOf(answer) };
    }
    // Processing (03/04/05) or a failed attempt: no money moved; the buyer may still pay.
    return { tradeNo, state: 'unpaid', detail: detailOf(answer) };
  }

  async function queryRefund(_tradeNo: string, _bill: Bill, refund: Refund): Promise<RefundState> {
    const answer = await query(refund.refund_no, new Date(refund.created_at));
    const code = answer.respCode as string;
    // The refund never reached UnionPay (its request was lost): nothing was refunded.
    if (code === NOT_FOUND) return { state: 'failed', detail: detailOf(answer) };
    if (UNKNOWN.has(code)) return { state: 'pending', detail: detailOf(answer) };
    if (code !== '00') throw refusal(answer);
    const orig = answer.origRespCode ?? '';
    const state: RefundState['state'] = orig === '00' ? 'success' : UNKNOWN.has(orig) ? 'pending' : 'failed';
    return { state, channelRefundNo: answer.queryId, fee: fenOf(answer.txnAmt), detail: detailOf(answer) };
  }

  function readVerifiedNotify(notify: IncomingNotify, now: Date): NotifyOutcome {
    if (notify.method !== 'POST') return { kind: 'refused', reason: `expected a POST, got ${notify.method}` };
    let fields: UnionpayFields;
    try {
      fields = parseFormFields(notify.body);
    } catch {
      return { kind: 'refused', reason: 'the body is not a form' };
    }
    const reason = verifyUnionpayMessage(fields, config.trust, now);
    if (reason !== null) return { kind: 'refused', reason };
    if (fields.merId !== config.merId) return { kind: 'refused', reason: `notify for merId ${JSON.stringify(fields.merId ?? null)}, not ${config.merId}` };
    const orderId = fields.orderId ?? '';
    const fee = fenOf(fields.txnAmt);
    if (orderId === '' || fee === undefined) return { kind: 'refused', reason: 'notify without an orderId or a valid txnAmt' };
    const detail = detailOf(fields);
    if (fields.txnType === '01') {
      if (fields.respCode !== '00') return { kind: 'ignored', reason: `consume notify for ${orderId} with respCode ${fields.respCode ?? 'none'}` };
      return { kind: 'payment', trade: { tradeNo: orderId, state: 'paid', fee, channelTradeNo: fields.queryId, detail } };
    }
    if (fields.txnType === '04') {
      const state: RefundState = { state: fields.respCode === '00' ? 'success' : 'failed', channelRefundNo: fields.queryId, fee, detail };
      // reqReserved carries the payment's orderId (we set it on the refund); UnionPay echoes it.
      return { kind: 'refund', tradeNo: fields.reqReserved || (fields.origQryId ?? ''), refundNo: orderId, state };
    }
    return { kind: 'ignored', reason: `notify of txnType ${fields.txnType ?? 'none'} for ${orderId}` };
  }

  return {
    family: 'UN',

    async createPayment(request: PaymentRequest): Promise<PaymentAnswer> {
      const { bill } = request;
      const txnTime = txnTimeOf(request.tradeNo, bill);
      const fields: UnionpayFields = {
        ...common(),
        txnType: '01',
        txnSubType: '01',
        bizType: '000201',
        channelType: channelTypeOf(request.channel),
        currencyCode: '156',
        txnAmt: checkFen(bill.fee, 'fee'),
        orderId: checkOrderId(request.tradeNo, 'trade number'),
        txnTime: formatChinaTime(txnTime),
        frontUrl: request.returnUrl,
        backUrl: request.notifyUrl,
      };
      if (bill.bill_timeout !== undefined && bill.bill_timeout > 0) {
        fields.payTimeout = formatChinaTime(new Date(txnTime.getTime() + bill.bill_timeout * 1000));
      }
      return { html: buildFrontForm(config.endpoint + UNIONPAY_PATHS.front, signed(fields)) };
    },

    async readNotify(notify: IncomingNotify, now: Date): Promise<NotifyOutcome> {
      try {
        return readVerifiedNotify(notify, now);
      } catch (error) {
        return { kind: 'refused', reason: `the notify could not be read: ${error instanceof Error ? error.message : String(error)}` };
      }
    },

    notifyReply(stored: boolean): Answer {
      // UnionPay takes HTTP 200 as received and resends otherwise; the body is not read.
      return stored
        ? answerWith('ok', 200, { 'content-type': 'text/plain; charset=utf-8' })
        : answerWith('retry', 500, { 'content-type': 'text/plain; charset=utf-8' });
    },

    queryPayment,

    async closePayment(tradeNo: string, bill: Bill): Promise<CloseOutcome> {
      // UnionPay has no close for a consume: an unpaid order simply lapses (payTimeout). Only a payment matters.
      const trade = await queryPayment(tradeNo, bill);
      return trade.state === 'paid' ? { state: 'paid', trade } : { state: 'closed' };
    },

    async refund(tradeNo: string, bill: Bill, refund: Refund): Promise<RefundState> {
      if (options.notifyUrl === undefined) throw new ChannelError('CONFIG', 'the UnionPay connector has no notifyUrl for the refund notify');
      let origQryId = bill.trade_no;
      if (origQryId === undefined || origQryId === '') {
        const trade = await queryPayment(tradeNo, bill);
        if (trade.state !== 'paid' || trade.channelTradeNo === undefined) throw new ChannelError('NOT_PAID', `UnionPay has no payment for ${tradeNo}`);
        origQryId = trade.channelTradeNo;
      }
      const answer = sameOrder(await post(UNIONPAY_PATHS.back, {
        ...common(),
        txnType: '04',
        txnSubType: '00',
        bizType: '000201',
        channelType: CHANNEL_TYPES[bill.channel] ?? '07',
        orderId: checkOrderId(refund.refund_no, 'refund_no'),
        txnTime: formatChinaTime(new Date(refund.created_at)),
        txnAmt: checkFen(refund.refund_fee, 'refund_fee'),
        currencyCode: '156',
        origQryId,
        backUrl: options.notifyUrl,
        reqReserved: tradeNo,
      }), refund.refund_no, UNIONPAY_PATHS.back);
      const code = answer.respCode as string;
      // The same refund_no sent again: UnionPay already has it, so say where that one stands.
      if (code === DUPLICATE) return queryRefund(tradeNo, bill, refund);
      if (code === '00' || UNKNOWN.has(code)) {
        return { state: 'pending', channelRefundNo: answer.queryId, fee: refund.refund_fee, detail: detailOf(answer) };
      }
      throw refusal(answer);
    },

    queryRefund,
  };
}
