import { createCipheriv, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A WeChat Pay API v3 emulator for tests, written from WeChat Pay's public documentation: it checks each request's
 * Authorization with the merchant's public key, signs each answer with its own platform key (serial PUB_KEY_ID_…),
 * keeps trades and refunds, and sends encrypted, signed notifications. It listens on 127.0.0.1 only, and delivers
 * notifications to loopback URLs only. The product never imports it.
 */

/** A merchant the emulator knows: its id, bound app ids, API certificate serial, public key and APIv3 key. */
export interface EmulatorMerchant {
  mchId: string;
  appIds: string[];
  merchantSerialNo: string;
  merchantPublicKey: KeyObject | string;
  apiV3Key: string;
}

/** How the emulator is started. */
export interface WechatEmulatorOptions {
  merchants: EmulatorMerchant[];
  /** The platform public key id; a fresh PUB_KEY_ID_… by default. */
  platformPublicKeyId?: string;
  /** Waits between notification deliveries after a non-2xx answer; WeChat's 15s/15s/30s/3m/… by default. */
  notifyRetryDelaysMs?: number[];
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
}

/** A request as the emulator received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

/** One notification and what became of each attempt to deliver it. */
export interface NotifyDelivery {
  url: string;
  eventType: string;
  /** The plaintext of the encrypted resource. */
  resource: Record<string, unknown>;
  attempts: Array<{ status?: number; error?: string; body: string; headers: Record<string, string> }>;
  delivered: boolean;
}

/** A signed notification, ready to be posted (or tampered with). */
export interface BuiltNotification {
  headers: Record<string, string>;
  body: Buffer;
}

/** What to do, once, with the next request matching `method` and `path`. */
export type Interference =
  | { kind: 'error'; status: number; code: string; message: string; signed?: boolean }
  | { kind: 'stall' }
  | { kind: 'answer'; status: number; json?: unknown }
  | { kind: 'forge'; how: 'unsigned' | 'bad-signature' | 'other-serial' | 'stale' };

type TradeType = 'NATIVE' | 'JSAPI' | 'MWEB';
type TradeStateName = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

interface EmulatedTrade {
  mchid: string;
  appid: string;
  out_trade_no: string;
  trade_type: TradeType;
  trade_state: TradeStateName;
  description: string;
  total: number;
  notify_url: string;
  time_expire?: string;
  openid?: string;
  prepay_id: string;
  code_url?: string;
  transaction_id?: string;
  success_time?: string;
  scene_info?: unknown;
}

interface EmulatedRefund {
  mchid: string;
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  refund: number;
  total: number;
  notify_url?: string;
  create_time: string;
  success_time?: string;
}

/** A running emulator: where it listens, its platform key, its state, and the test-side controls. */
export interface WechatEmulator {
  /** http://127.0.0.1:PORT, the `endpoint` to configure. */
  url: string;
  platformPublicKeyId: string;
  /** The platform public key in PEM (SPKI), the `platformPublicKey` to configure. */
  platformPublicKeyPem: string;
  requests: RecordedRequest[];
  deliveries: NotifyDelivery[];
  /** The trade `outTradeNo` as the emulator keeps it (undefined when none). */
  trade(outTradeNo: string): Readonly<EmulatedTrade> | undefined;
  refundOf(outRefundNo: string): Readonly<EmulatedRefund> | undefined;
  /** The buyer pays `outTradeNo`; resolves once its TRANSACTION.SUCCESS notification is delivered or given up on. */
  pay(outTradeNo: string, options?: { openid?: string }): Promise<NotifyDelivery>;
  /** WeChat finishes a refund with `status`; resolves once its REFUND.* notification is delivered (if it has a notify_url). */
  settleRefund(outRefundNo: string, status?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): Promise<NotifyDelivery | null>;
  /** A notification of `eventType` for `resource`, encrypted and signed as WeChat would, with overrides for forgeries. */
  buildNotification(eventType: string, resource: Record<string, unknown>, overrides?: NotificationOverrides): BuiltNotification;
  /** Notification headers signing `body` as WeChat would (with the same overrides for forgeries). */
  signBody(body: Buffer, overrides?: NotificationOverrides): Record<string, string>;
  /** The transaction JSON the query answers (and a TRANSACTION notification carries) for `outTradeNo`. */
  transactionJson(outTradeNo: string): Record<string, unknown>;
  /** Whether JSAPI parameters (as WeixinJSBridge gets them) carry a paySign made by the trade's merchant over its prepay_id. */
  checkJsapiPaySign(params: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string }): boolean;
  /** What WeixinJSBridge's getBrandWCPayRequest does: checks the paySign, then the buyer pays that prepay_id's trade. */
  payJsapi(params: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string }): Promise<NotifyDelivery>;
  /** Makes the next request matching method and path (a prefix) meet `interference`. */
  interfereNext(method: string, pathPrefix: string, interference: Interference): void;
  close(): Promise<void>;
}

/** Overrides of a built notification, to make forged, stale or foreign ones. */
export interface NotificationOverrides {
  /** Whose APIv3 key encrypts (the resource's mchid by default). */
  apiV3Key?: string;
  timestampSec?: number;
  serial?: string;
  /** Signs with this key instead of the platform key. */
  signingKey?: KeyObject;
  nonce?: string;
  associatedData?: string;
}

const DEFAULT_RETRY_DELAYS_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map((s) => s * 1000);
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;

class Refusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Starts an emulator on 127.0.0.1 and a free port. */
export async function startWechatEmulator(options: WechatEmulatorOptions): Promise<WechatEmulator> {
  const clock = options.clock ?? Date.now;
  const retryDelays = options.notifyRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platformPublicKeyId = options.platformPublicKeyId ?? `PUB_KEY_ID_0114${randomDigits(28)}`;
  const merchants = new Map(
    options.merchants.map((m) => [
      m.mchId,
      { ...m, key: typeof m.merchantPublicKey === 'string' ? createPublicKey(m.merchantPublicKey) : m.merchantPublicKey },
    ]),
  );
  const trades = new Map<string, EmulatedTrade>();
  const refunds = new Map<string, EmulatedRefund>();
  const requests: RecordedRequest[] = [];
  const deliveries: NotifyDelivery[] = [];
  const interferences: Array<{ method: string; pathPrefix: string; interference: Interference }> = [];
  const sockets = new Set<Socket>();
  const waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;

  const tradeKey = (mchid: string, no: string) => `${mchid}/${no}`;
  const beijing = (ms: number) => `${new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19)}+08:00`;

  function signAnswer(body: string, how?: 'unsigned' | 'bad-signature' | 'other-serial' | 'stale'): Record<string, string> {
    if (how === 'unsigned') return {};
    const timestamp = String(Math.floor(clock() / 1000) - (how === 'stale' ? 600 : 0));
    const nonce = randomBytes(16).toString('hex');
    const message = `${timestamp}\n${nonce}\n${body}\n`;
    const signature = sign('sha256', Buffer.from(how === 'bad-signature' ? `${message}x` : message), platform.privateKey).toString('base64');
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': how === 'other-serial' ? `PUB_KEY_ID_0114${randomDigits(28)}` : platformPublicKeyId,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  function checkAuthorization(req: IncomingMessage, path: string, body: string): string {
    const header = req.headers.authorization ?? '';
    const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header);
    if (match === null) throw new Refusal(401, 'SIGN_ERROR', 'Authorization 头缺失或认证类型不是 WECHATPAY2-SHA256-RSA2048');
    const fields: Record<string, string> = {};
    for (const part of (match[1] as string).split(',')) {
      const kv = /^\s*([a-z_]+)="?([^"]*)"?\s*$/.exec(part);
      if (kv !== null) fields[kv[1] as string] = kv[2] as string;
    }
    const merchant = merchants.get(fields.mchid ?? '');
    if (merchant === undefined) throw new Refusal(401, 'SIGN_ERROR', '商户号不存在或 Authorization 中 mchid 错误');
    if (fields.serial_no !== merchant.merchantSerialNo) throw new Refusal(401, 'SIGN_ERROR', '商户证书序列号有误');
    const timestamp = Number(fields.timestamp);
    if (!Number.isInteger(timestamp) || Math.abs(clock() / 1000 - timestamp) > 300) throw new Refusal(401, 'SIGN_ERROR', '时间戳已过期');
    if (!fields.nonce_str || !fields.signature) throw new Refusal(401, 'SIGN_ERROR', 'Authorization 缺少 nonce_str 或 signature');
    const message = `${req.method}\n${path}\n${fields.timestamp}\n${fields.nonce_str}\n${body}\n`;
    let ok = false;
    try {
      ok = verify('sha256', Buffer.from(message), merchant.key, Buffer.from(fields.signature, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) throw new Refusal(401, 'SIGN_ERROR', '签名错误');
    return merchant.mchId;
  }

  function transactionJson(outTradeNo: string, mchid?: string): Record<string, unknown> {
    const trade = mchid === undefined ? findTrade(outTradeNo) : trades.get(tradeKey(mchid, outTradeNo));
    if (trade === undefined) throw new Refusal(404, 'ORDER_NOT_EXIST', '订单不存在');
    const paid = trade.trade_state === 'SUCCESS' || trade.trade_state === 'REFUND';
    const out: Record<string, unknown> = {
      appid: trade.appid,
      mchid: trade.mchid,
      out_trade_no: trade.out_trade_no,
      trade_state: trade.trade_state,
      trade_state_desc: { NOTPAY: '订单未支付', SUCCESS: '支付成功', CLOSED: '订单已关闭', REFUND: '订单发生过退款' }[trade.trade_state],
      attach: '',
      amount: paid ? { total: trade.total, payer_total: trade.total, currency: 'CNY', payer_currency: 'CNY' } : { total: trade.total, currency: 'CNY', payer_currency: 'CNY' },
      promotion_detail: [],
    };
    if (paid) {
      Object.assign(out, {
        transaction_id: trade.transaction_id,
        trade_type: trade.trade_type,
        bank_type: 'OTHERS',
        success_time: trade.success_time,
        payer: { openid: trade.openid },
      });
    }
    return out;
  }

  function findTrade(outTradeNo: string): EmulatedTrade | undefined {
    for (const trade of trades.values()) if (trade.out_trade_no === outTradeNo) return trade;
    return undefined;
  }

  function refundJson(refund: EmulatedRefund): Record<string, unknown> {
    return {
      refund_id: refund.refund_id,
      out_refund_no: refund.out_refund_no,
      transaction_id: refund.transaction_id,
      out_trade_no: refund.out_trade_no,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      success_time: refund.success_time,
      create_time: refund.create_time,
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: refund.total,
        refund: refund.refund,
        payer_total: refund.total,
        payer_refund: refund.refund,
        settlement_refund: refund.refund,
        settlement_total: refund.total,
        discount_refund: 0,
        currency: 'CNY',
        refund_fee: 0,
      },
      promotion_detail: [],
    };
  }

  function paramError(field: string, rule: string): Refusal {
    return new Refusal(400, 'PARAM_ERROR', `输入源“/body/${field}”映射到值字段校验失败: ${rule}`);
  }

  function prepay(mchid: string, tradeType: TradeType, body: Record<string, unknown>): Record<string, unknown> {
    if (body.mchid !== mchid) throw new Refusal(400, 'PARAM_ERROR', '请求中的 mchid 与 Authorization 中的商户号不一致');
    const merchant = merchants.get(mchid);
    if (typeof body.appid !== 'string' || body.appid === '') throw paramError('appid', '必填');
    if (!merchant?.appIds.includes(body.appid)) throw new Refusal(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const description = body.description;
    if (typeof description !== 'string' || description === '') throw paramError('description', '必填');
    const bytes = Buffer.byteLength(description, 'utf8');
    if (bytes > 127) throw paramError('description', `字节数 ${bytes}，大于最大值 127`);
    const outTradeNo = body.out_trade_no;
    if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO.test(outTradeNo)) throw paramError('out_trade_no', '6-32 个字符，只能是数字、大小写字母_-|*');
    const notifyUrl = body.notify_url;
    if (typeof notifyUrl !== 'string' || !URL.canParse(notifyUrl) || new URL(notifyUrl).search !== '') throw paramError('notify_url', '必须为可直接访问的 URL，不允许携带查询串');
    const amount = body.amount as { total?: unknown; currency?: unknown } | undefined;
    if (!Number.isSafeInteger(amount?.total) || (amount?.total as number) < 1) throw paramError('amount/total', '必须为大于 0 的整数（单位为分）');
    if (amount?.currency !== undefined && amount.currency !== 'CNY') throw paramError('amount/currency', '境内商户仅支持 CNY');
    if (body.time_expire !== undefined && (typeof body.time_expire !== 'string' || !RFC3339.test(body.time_expire))) throw paramError('time_expire', '须为 rfc3339 格式');
    let openid: string | undefined;
    if (tradeType === 'JSAPI') {
      openid = (body.payer as { openid?: unknown } | undefined)?.openid as string | undefined;
      if (typeof openid !== 'string' || openid === '') throw paramError('payer/openid', '必填');
    }
    if (tradeType === 'MWEB') {
      const scene = body.scene_info as { payer_client_ip?: unknown; h5_info?: { type?: unknown } } | undefined;
      if (typeof scene?.payer_client_ip !== 'string' || scene.payer_client_ip === '') throw paramError('scene_info/payer_client_ip', '必填');
      if (typeof scene.h5_info?.type !== 'string' || scene.h5_info.type === '') throw paramError('scene_info/h5_info/type', '必填');
    }
    const key = tradeKey(mchid, outTradeNo);
    const existing = trades.get(key);
    if (existing !== undefined) {
      if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') throw new Refusal(403, 'ORDERPAID', '该订单已支付');
      if (existing.trade_state === 'CLOSED') throw new Refusal(400, 'ORDER_CLOSED', '订单已关闭');
      const same =
        existing.trade_type === tradeType && existing.appid === body.appid && existing.total === amount?.total && existing.description === description && existing.openid === openid;
      if (!same) throw new Refusal(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
      return prepayAnswer(existing);
    }
    const trade: EmulatedTrade = {
      mchid,
      appid: body.appid,
      out_trade_no: outTradeNo,
      trade_type: tradeType,
      trade_state: 'NOTPAY',
      description,
      total: amount?.total as number,
      notify_url: notifyUrl,
      prepay_id: `wx${randomDigits(14)}${randomBytes(10).toString('hex')}`,
      scene_info: body.scene_info,
    };
    if (typeof body.time_expire === 'string') trade.time_expire = body.time_expire;
    if (openid !== undefined) trade.openid = openid;
    if (tradeType === 'NATIVE') trade.code_url = `weixin://wxpay/bizpayurl?pr=${randomBytes(5).toString('base64url')}`;
    trades.set(key, trade);
    return prepayAnswer(trade);
  }

  function prepayAnswer(trade: EmulatedTrade): Record<string, unknown> {
    if (trade.trade_type === 'NATIVE') return { code_url: trade.code_url };
    if (trade.trade_type === 'JSAPI') return { prepay_id: trade.prepay_id };
    // The same parameters again give a fresh h5_url (valid 5 minutes).
    return { h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${trade.prepay_id}&package=${randomDigits(10)}` };
  }

  function createRefund(mchid: string, body: Record<string, unknown>): Record<string, unknown> {
    const outRefundNo = body.out_refund_no;
    if (typeof outRefundNo !== 'string' || !/^[0-9A-Za-z_\-|*@]{1,64}$/.test(outRefundNo)) throw paramError('out_refund_no', '必填，1-64 个字符');
    if (typeof body.out_trade_no !== 'string') throw paramError('out_trade_no', '必填（或 transaction_id）');
    const amount = body.amount as { refund?: unknown; total?: unknown; currency?: unknown } | undefined;
    if (!Number.isSafeInteger(amount?.refund) || (amount?.refund as number) < 1) throw paramError('amount/refund', '必须为大于 0 的整数（单位为分）');
    if (!Number.isSafeInteger(amount?.total) || (amount?.total as number) < 1) throw paramError('amount/total', '必须为大于 0 的整数（单位为分）');
    if (amount?.currency !== 'CNY') throw paramError('amount/currency', '必填，境内商户仅支持 CNY');
    const trade = trades.get(tradeKey(mchid, body.out_trade_no));
    if (trade === undefined) throw new Refusal(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (trade.trade_state !== 'SUCCESS' && trade.trade_state !== 'REFUND') throw new Refusal(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (amount?.total !== trade.total) throw new Refusal(400, 'PARAM_ERROR', '订单金额与原订单金额不一致');
    const existing = refunds.get(tradeKey(mchid, outRefundNo));
    if (existing !== undefined) {
      if (existing.out_trade_no !== trade.out_trade_no || existing.refund !== amount.refund) throw new Refusal(400, 'INVALID_REQUEST', '退款单号重复，且与之前请求的参数不一致');
      return refundJson(existing);
    }
    let refunded = 0;
    for (const r of refunds.values()) if (r.mchid === mchid && r.out_trade_no === trade.out_trade_no && r.status !== 'CLOSED') refunded += r.refund;
    if (refunded + (amount.refund as number) > trade.total) throw new Refusal(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const refund: EmulatedRefund = {
      mchid,
      refund_id: `50${randomDigits(30)}`,
      out_refund_no: outRefundNo,
      out_trade_no: trade.out_trade_no,
      transaction_id: trade.transaction_id as string,
      status: 'PROCESSING',
      refund: amount.refund as number,
      total: trade.total,
      create_time: beijing(clock()),
    };
    if (typeof body.notify_url === 'string') refund.notify_url = body.notify_url;
    refunds.set(tradeKey(mchid, outRefundNo), refund);
    trade.trade_state = 'REFUND';
    return refundJson(refund);
  }

  function route(mchid: string, method: string, url: URL, body: string): { status: number; json?: unknown } {
    const path = url.pathname;
    const parsed = (): Record<string, unknown> => {
      try {
        const value = JSON.parse(body) as unknown;
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // answered below
      }
      throw new Refusal(400, 'PARAM_ERROR', '请求体不是 JSON 对象');
    };
    const prepayMatch = /^\/v3\/pay\/transactions\/(native|jsapi|h5)$/.exec(path);
    if (method === 'POST' && prepayMatch !== null) {
      const type = ({ native: 'NATIVE', jsapi: 'JSAPI', h5: 'MWEB' } as const)[prepayMatch[1] as 'native' | 'jsapi' | 'h5'];
      return { status: 200, json: prepay(mchid, type, parsed()) };
    }
    const tradeMatch = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(path);
    if (tradeMatch !== null) {
      const outTradeNo = decodeURIComponent(tradeMatch[1] as string);
      if (method === 'GET' && tradeMatch[2] === undefined) {
        if (url.searchParams.get('mchid') !== mchid) throw new Refusal(400, 'PARAM_ERROR', '查询参数 mchid 必填，且须与请求的商户号一致');
        return { status: 200, json: transactionJson(outTradeNo, mchid) };
      }
      if (method === 'POST' && tradeMatch[2] === '/close') {
        if (parsed().mchid !== mchid) throw new Refusal(400, 'PARAM_ERROR', '请求体 mchid 必填，且须与请求的商户号一致');
        const trade = trades.get(tradeKey(mchid, outTradeNo));
        if (trade === undefined) throw new Refusal(404, 'ORDER_NOT_EXIST', '订单不存在');
        if (trade.trade_state === 'SUCCESS' || trade.trade_state === 'REFUND') throw new Refusal(400, 'ORDERPAID', '订单已支付');
        trade.trade_state = 'CLOSED';
        return { status: 204 };
      }
    }
    if (method === 'POST' && path === '/v3/refund/domestic/refunds') return { status: 200, json: createRefund(mchid, parsed()) };
    const refundMatch = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (method === 'GET' && refundMatch !== null) {
      const refund = refunds.get(tradeKey(mchid, decodeURIComponent(refundMatch[1] as string)));
      if (refund === undefined) throw new Refusal(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return { status: 200, json: refundJson(refund) };
    }
    throw new Refusal(404, 'NOT_FOUND', `无此接口 ${method} ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path: url.pathname + url.search, headers: req.headers, body, status: 0 };
    requests.push(record);
    const index = interferences.findIndex((i) => i.method === method && record.path.startsWith(i.pathPrefix));
    const interference = index >= 0 ? interferences.splice(index, 1)[0]?.interference : undefined;
    if (interference?.kind === 'stall') return; // never answered: the caller's timeout ends it
    let status: number;
    let text = '';
    let signed = true;
    try {
      const mchid = checkAuthorization(req, url.pathname + url.search, body);
      // API v3 rules: Accept is required, and a request without a User-Agent is refused.
      const accept = req.headers.accept ?? '';
      if (!accept.includes('application/json') && !accept.includes('*/*')) throw new Refusal(400, 'PARAM_ERROR', 'HTTP 头 Accept 必填，请设置为 application/json');
      if ((req.headers['user-agent'] ?? '') === '') throw new Refusal(400, 'INVALID_REQUEST', 'HTTP 头缺少 User-Agent');
      if (interference?.kind === 'error') {
        signed = interference.signed ?? true;
        throw new Refusal(interference.status, interference.code, interference.message);
      }
      const answer = interference?.kind === 'answer' ? interference : route(mchid, method, url, body);
      status = answer.status;
      if (answer.json !== undefined) text = JSON.stringify(answer.json);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      status = error.status;
      text = JSON.stringify({ code: error.code, message: error.message });
      // A request whose signature does not verify gets no signed answer (the answer is signed only for a verified caller).
      if (error.status === 401) signed = false;
    }
    record.status = status;
    const how = interference?.kind === 'forge' ? interference.how : signed ? undefined : 'unsigned';
    const headers: Record<string, string> = { 'Request-ID': randomUUID(), ...signAnswer(text, how) };
    if (text !== '') headers['Content-Type'] = 'application/json; charset=utf-8';
    res.writeHead(status, headers);
    res.end(text);
  }

  function buildNotification(eventType: string, resource: Record<string, unknown>, overrides: NotificationOverrides = {}): BuiltNotification {
    const mchid = String(resource.mchid ?? '');
    const apiV3Key = overrides.apiV3Key ?? merchants.get(mchid)?.apiV3Key;
    if (apiV3Key === undefined) throw new Error(`no APIv3 key for mchid ${mchid}`);
    const originalType = eventType.startsWith('REFUND.') ? 'refund' : 'transaction';
    const associatedData = overrides.associatedData ?? originalType;
    const nonce = randomBytes(6).toString('hex'); // 12 characters: the 12-byte GCM nonce
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
    const summary = { 'TRANSACTION.SUCCESS': '支付成功', 'REFUND.SUCCESS': '退款成功', 'REFUND.ABNORMAL': '退款异常', 'REFUND.CLOSED': '退款关闭' }[eventType] ?? eventType;
    const body = Buffer.from(
      JSON.stringify({
        id: randomUUID(),
        create_time: beijing(clock()),
        resource_type: 'encrypt-resource',
        event_type: eventType,
        summary,
        resource: { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: associatedData, nonce },
      }),
      'utf8',
    );
    return { body, headers: signBody(body, overrides) };
  }

  function signBody(body: Buffer, overrides: NotificationOverrides = {}): Record<string, string> {
    const timestamp = String(overrides.timestampSec ?? Math.floor(clock() / 1000));
    const signNonce = overrides.nonce ?? randomBytes(16).toString('hex').toUpperCase();
    const message = Buffer.concat([Buffer.from(`${timestamp}\n${signNonce}\n`), body, Buffer.from('\n')]);
    const signature = sign('sha256', message, overrides.signingKey ?? platform.privateKey).toString('base64');
    return {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': signNonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': overrides.serial ?? platformPublicKeyId,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  async function deliver(url: string, eventType: string, resource: Record<string, unknown>): Promise<NotifyDelivery> {
    const delivery: NotifyDelivery = { url, eventType, resource, attempts: [], delivered: false };
    deliveries.push(delivery);
    const target = new URL(url);
    if (target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
      // A test fixture sends nothing off this machine.
      delivery.attempts.push({ error: 'the emulator delivers to loopback http URLs only', body: '', headers: {} });
      return delivery;
    }
    for (let attempt = 0; attempt <= retryDelays.length && !closed; attempt += 1) {
      if (attempt > 0) await wait(retryDelays[attempt - 1] as number);
      if (closed) break;
      // Each attempt is signed afresh (new timestamp and nonce), as a retry days later must still verify.
      const built = buildNotification(eventType, resource);
      const outcome = await post(target, built);
      delivery.attempts.push({ ...outcome, body: built.body.toString('utf8'), headers: built.headers });
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
        delivery.delivered = true;
        break;
      }
    }
    return delivery;
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      waits.add(entry);
    });
  }

  function post(target: URL, built: BuiltNotification): Promise<{ status?: number; error?: string }> {
    return new Promise((resolve) => {
      const req = httpRequest(target, { method: 'POST', headers: { ...built.headers, 'Content-Length': String(built.body.length) }, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => resolve({ error: error.message }));
      req.end(built.body);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: String(error) }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const emulator: WechatEmulator = {
    url: `http://127.0.0.1:${port}`,
    platformPublicKeyId,
    platformPublicKeyPem: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    requests,
    deliveries,
    trade: (no) => findTrade(no),
    refundOf: (no) => [...refunds.values()].find((r) => r.out_refund_no === no),
    async pay(outTradeNo, payOptions = {}) {
      const trade = findTrade(outTradeNo);
      if (trade === undefined) throw new Error(`no trade ${outTradeNo}`);
      if (trade.trade_state !== 'NOTPAY') throw new Error(`trade ${outTradeNo} is ${trade.trade_state}, not payable`);
      if (trade.time_expire !== undefined && clock() > Date.parse(trade.time_expire)) throw new Error(`trade ${outTradeNo} expired at ${trade.time_expire}`);
      trade.trade_state = 'SUCCESS';
      trade.transaction_id = `42000${randomDigits(23)}`;
      trade.success_time = beijing(clock());
      trade.openid ??= payOptions.openid ?? `o${randomBytes(14).toString('base64url')}`;
      return deliver(trade.notify_url, 'TRANSACTION.SUCCESS', transactionJson(outTradeNo, trade.mchid));
    },
    async settleRefund(outRefundNo, status = 'SUCCESS') {
      const refund = [...refunds.values()].find((r) => r.out_refund_no === outRefundNo);
      if (refund === undefined) throw new Error(`no refund ${outRefundNo}`);
      refund.status = status;
      if (status === 'SUCCESS') refund.success_time = beijing(clock());
      if (refund.notify_url === undefined) return null;
      const plaintext: Record<string, unknown> = {
        mchid: refund.mchid,
        out_trade_no: refund.out_trade_no,
        transaction_id: refund.transaction_id,
        out_refund_no: refund.out_refund_no,
        refund_id: refund.refund_id,
        refund_status: status,
        user_received_account: '支付用户零钱',
        amount: { total: refund.total, refund: refund.refund, payer_total: refund.total, payer_refund: refund.refund },
      };
      if (refund.success_time !== undefined) plaintext.success_time = refund.success_time;
      return deliver(refund.notify_url, `REFUND.${status}`, plaintext);
    },
    buildNotification,
    signBody,
    transactionJson: (no) => transactionJson(no),
    async payJsapi(params) {
      if (!emulator.checkJsapiPaySign(params)) throw new Error('the JSAPI parameters do not carry a valid paySign');
      const prepayId = params.package.slice('prepay_id='.length);
      const trade = [...trades.values()].find((t) => t.prepay_id === prepayId) as EmulatedTrade;
      return emulator.pay(trade.out_trade_no);
    },
    checkJsapiPaySign(params) {
      const prepayId = /^prepay_id=(.+)$/.exec(params.package)?.[1];
      const trade = [...trades.values()].find((t) => t.trade_type === 'JSAPI' && t.prepay_id === prepayId);
      if (trade === undefined || trade.appid !== params.appId || params.signType !== 'RSA' || !/^\d{1,12}$/.test(params.timeStamp)) return false;
      const merchant = merchants.get(trade.mchid);
      if (merchant === undefined) return false;
      const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
      try {
        return verify('sha256', Buffer.from(message), merchant.key, Buffer.from(params.paySign, 'base64'));
      } catch {
        return false;
      }
    },
    interfereNext(method, pathPrefix, interference) {
      interferences.push({ method, pathPrefix, interference });
    },
    async close() {
      closed = true;
      // Pending retries end at once: their deliveries resolve as given up.
      for (const entry of waits) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return emulator;
}

function randomDigits(count: number): string {
  let out = '';
  for (const byte of randomBytes(count)) out += String(byte % 10);
  return out;
}
