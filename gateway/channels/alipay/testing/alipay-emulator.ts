import { createSign, createVerify, generateKeyPairSync, randomInt } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fenToYuan, yuanToFen } from '../../connector';
import { formatChinaTime, parseChinaTime } from '../china-time';

/**
 * A test fixture playing Alipay's OpenAPI v2 gateway (gateway.do) as its public documentation describes it
 * (opendocs.alipay.com: common/02kf5q signing, page.pay, wap.pay, trade.query, trade.close, trade.refund,
 * trade.fastpay.refund.query, open/270/105902 async notify). It checks the merchant's RSA2 signatures with the
 * app's public key, shows a cashier with a pay button, signs its answers and notifies with its own key, and sends
 * each notify again until the answer is exactly `success`. Never imported by the product.
 */
export interface AlipayEmulator {
  /** The gateway.do URL, to use as the app's `endpoint`. */
  readonly endpoint: string;
  /** Alipay's public key (SPKI PEM): the app's `alipayPublicKey`. */
  readonly alipayPublicKey: string;
  /** Alipay's private key, for tests that forge a correctly signed notify. */
  readonly alipayPrivateKey: string;
  readonly trades: Map<string, EmulatedTrade>;
  /** Every request the gateway sent, method and the parameters as received (sign included). */
  readonly requests: Array<{ method: string; params: Record<string, string> }>;
  /** Every notify attempt: the trade, what was sent and what the gateway answered. */
  readonly notifies: Array<{ outTradeNo: string; params: Record<string, string>; answer: string }>;
  /** The next call of `method` answers this business error (code 40004) instead, or never answers (`hang`), or HTTP 502. */
  failNext(method: string, failure: { subCode: string; subMsg: string } | 'hang' | 'http-error'): void;
  /** Pays a trade as if the buyer had: also a closed one (`force`), to play a payment that raced a close. */
  pay(outTradeNo: string, options?: { force?: boolean }): Promise<void>;
  /** Stops sending a trade's notifies (a lost notify); the trade still pays. */
  loseNotifies(outTradeNo: string): void;
  /** Sends `params` (signed with `signWith`, default Alipay's key) to a notify URL once; answers the body. */
  sendNotify(url: string, params: Record<string, string>, signWith?: string): Promise<string>;
  /** Resolves once every scheduled notify was answered `success` or gave up. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A trade as the emulator keeps it. */
export interface EmulatedTrade {
  outTradeNo: string;
  tradeNo: string;
  appId: string;
  productCode: string;
  totalAmount: string;
  subject: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
  notifyUrl?: string;
  returnUrl?: string;
  timeExpire?: string;
  gmtCreate: string;
  gmtPayment?: string;
  refunds: Map<string, { amount: string; at: string }>;
  loseNotifies: boolean;
}

/** What the emulator is for: the app id and the app's public key (PEM) it checks signatures with; notify timing. */
export interface AlipayEmulatorOptions {
  appId: string;
  appPublicKey: string;
  /** First notify retry delay in ms (Alipay: 4 min), then ×2.5 …; default 100. */
  notifyRetryMs?: number;
  /** Attempts per notify before giving up; Alipay makes 8 within 25 h. */
  notifyAttempts?: number;
}

const PAGE_METHODS: Record<string, string> = { 'alipay.trade.page.pay': 'FAST_INSTANT_TRADE_PAY', 'alipay.trade.wap.pay': 'QUICK_WAP_WAY' };
const AMOUNT = /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/;

/** An RSA-2048 key pair in PEM (PKCS#8 private, SPKI public), as Alipay's key tool would make for an app. */
export function generateRsaKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

/** Alipay's notify signing: every field but sign and sign_type, non-empty, sorted, `k=v&…`, RSA-SHA256, base64. */
export function signNotify(params: Record<string, string>, privateKey: string): string {
  return createSign('RSA-SHA256').update(signContent(params, ['sign', 'sign_type']), 'utf8').sign(privateKey, 'base64');
}

/** Starts the emulator on 127.0.0.1 and a free port. */
export async function startAlipayEmulator(options: AlipayEmulatorOptions): Promise<AlipayEmulator> {
  const keys = generateRsaKeys();
  const trades = new Map<string, EmulatedTrade>();
  const requests: AlipayEmulator['requests'] = [];
  const notifies: AlipayEmulator['notifies'] = [];
  type Failure = { subCode: string; subMsg: string } | 'hang' | 'http-error';
  const failures = new Map<string, Failure>();
  const pending = new Set<Promise<void>>();
  const hanging = new Set<ServerResponse>();
  const retryMs = options.notifyRetryMs ?? 100;
  const attempts = options.notifyAttempts ?? 8;
  let closed = false;
  let base = '';

  const signAnswer = (method: string, answer: Record<string, unknown>): string => {
    const key = `${method.replaceAll('.', '_')}_response`;
    const json = JSON.stringify(answer);
    const sign = createSign('RSA-SHA256').update(json, 'utf8').sign(keys.privateKey, 'base64');
    return `{"${key}":${json},"sign":"${sign}"}`;
  };

  const sendNotify = async (url: string, params: Record<string, string>, signWith = keys.privateKey): Promise<string> => {
    const signed: Record<string, string> = { ...params, sign_type: 'RSA2' };
    signed.sign = signNotify(signed, signWith);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(signed).toString(),
        signal: AbortSignal.timeout(5000),
      });
      return await response.text();
    } catch (error) {
      return `(no answer: ${(error as Error).message})`;
    }
  };

  const tradeNotify = (trade: EmulatedTrade, extra: Record<string, string> = {}): Record<string, string> => {
    const now = formatChinaTime(new Date());
    const params: Record<string, string> = {
      notify_time: now,
      notify_type: 'trade_status_sync',
      notify_id: `${Date.now()}${randomInt(1e9)}`,
      app_id: trade.appId,
      auth_app_id: trade.appId,
      charset: 'utf-8',
      version: '1.0',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      trade_status: trade.status,
      total_amount: trade.totalAmount,
      receipt_amount: trade.totalAmount,
      buyer_pay_amount: trade.totalAmount,
      subject: trade.subject,
      gmt_create: trade.gmtCreate,
      seller_id: '2088101117955611',
      buyer_id: '2088102177846880',
      buyer_logon_id: 'buy***@example.com',
      ...extra,
    };
    if (trade.gmtPayment !== undefined) params.gmt_payment = trade.gmtPayment;
    return params;
  };

  // Alipay's schedule (4m, 10m, 10m, 1h, 2h, 6h, 15h) shrunk to `retryMs` and its multiples.
  const scheduleNotify = (trade: EmulatedTrade, params: Record<string, string>): void => {
    if (trade.notifyUrl === undefined || trade.loseNotifies) return;
    const url = trade.notifyUrl;
    const run = (async () => {
      for (let attempt = 0; attempt < attempts && !closed; attempt++) {
        if (trade.loseNotifies) return;
        const answer = await sendNotify(url, { ...params, notify_time: formatChinaTime(new Date()) });
        notifies.push({ outTradeNo: trade.outTradeNo, params, answer });
        if (answer === 'success') return;
        await new Promise((resolve) => setTimeout(resolve, retryMs * Math.min(2 ** attempt, 16)));
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };

  const pay = async (outTradeNo: string, payOptions: { force?: boolean } = {}): Promise<void> => {
    const trade = trades.get(outTradeNo);
    if (trade === undefined) throw new Error(`the emulator has no trade ${outTradeNo}`);
    if (trade.status === 'TRADE_SUCCESS') return;
    if (trade.status !== 'WAIT_BUYER_PAY' && !payOptions.force) throw new Error(`trade ${outTradeNo} is ${trade.status}`);
    trade.status = 'TRADE_SUCCESS';
    trade.gmtPayment = formatChinaTime(new Date());
    scheduleNotify(trade, tradeNotify(trade));
  };

  const returnParams = (trade: EmulatedTrade, method: string): Record<string, string> => {
    const params: Record<string, string> = {
      charset: 'utf-8',
      out_trade_no: trade.outTradeNo,
      method: `${method}.return`,
      total_amount: trade.totalAmount,
      trade_no: trade.tradeNo,
      auth_app_id: trade.appId,
      version: '1.0',
      app_id: trade.appId,
      sign_type: 'RSA2',
      seller_id: '2088101117955611',
      timestamp: formatChinaTime(new Date()),
    };
    params.sign = signNotify(params, keys.privateKey);
    return params;
  };

  const business = (method: string, subCode: string, subMsg: string, extra: Record<string, unknown> = {}): string =>
    signAnswer(method, { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg, ...extra });

  const handleApi = (method: string, biz: Record<string, unknown>): string => {
    const outTradeNo = typeof biz.out_trade_no === 'string' ? biz.out_trade_no : '';
    const trade = trades.get(outTradeNo);
    switch (method) {
      case 'alipay.trade.query': {
        if (trade === undefined) return business(method, 'ACQ.TRADE_NOT_EXIST', '交易不存在', { out_trade_no: outTradeNo });
        const answer: Record<string, unknown> = {
          code: '10000',
          msg: 'Success',
          trade_no: trade.tradeNo,
          out_trade_no: trade.outTradeNo,
          buyer_logon_id: 'buy***@example.com',
          trade_status: trade.status,
          total_amount: trade.totalAmount,
        };
        if (trade.gmtPayment !== undefined) answer.send_pay_date = trade.gmtPayment;
        return signAnswer(method, answer);
      }
      case 'alipay.trade.close': {
        if (trade === undefined) return business(method, 'ACQ.TRADE_NOT_EXIST', '交易不存在');
        if (trade.status !== 'WAIT_BUYER_PAY') return business(method, 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
        trade.status = 'TRADE_CLOSED';
        return signAnswer(method, { code: '10000', msg: 'Success', trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
      }
      case 'alipay.trade.refund': {
        if (trade === undefined) return business(method, 'ACQ.TRADE_NOT_EXIST', '交易不存在');
        const amount = typeof biz.refund_amount === 'string' ? biz.refund_amount : '';
        const requestNo = typeof biz.out_request_no === 'string' && biz.out_request_no !== '' ? biz.out_request_no : trade.outTradeNo;
        const refundedFen = () => [...trade.refunds.values()].reduce((sum, refund) => sum + (yuanToFen(refund.amount) ?? 0), 0);
        const common = { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, buyer_logon_id: 'buy***@example.com' };
        const existing = trade.refunds.get(requestNo);
        if (existing !== undefined) {
          return signAnswer(method, { code: '10000', msg: 'Success', ...common, fund_change: 'N', refund_fee: fenToYuan(refundedFen()), gmt_refund_pay: existing.at });
        }
        if (trade.status !== 'TRADE_SUCCESS') return business(method, 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
        const fen = AMOUNT.test(amount) ? yuanToFen(amount) : undefined;
        if (fen === undefined || fen <= 0) return signAnswer(method, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter', sub_msg: 'refund_amount 无效' });
        const total = yuanToFen(trade.totalAmount) ?? 0;
        if (biz.out_request_no === undefined && fen !== total) return business(method, 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '撤销或退款金额与订单金额不一致');
        if (refundedFen() + fen > total) return business(method, 'ACQ.REFUND_AMT_RESTRICTION', '退款金额超限');
        const at = formatChinaTime(new Date());
        trade.refunds.set(requestNo, { amount, at });
        const refunded = refundedFen();
        if (refunded === total) trade.status = 'TRADE_CLOSED';
        // Alipay notifies a refund of a page/wap trade too, naming the request in out_biz_no.
        scheduleNotify(trade, tradeNotify(trade, { out_biz_no: requestNo, refund_fee: fenToYuan(refunded), gmt_refund: `${at}.000` }));
        return signAnswer(method, { code: '10000', msg: 'Success', ...common, fund_change: 'Y', refund_fee: fenToYuan(refunded), gmt_refund_pay: at });
      }
      case 'alipay.trade.fastpay.refund.query': {
        const requestNo = typeof biz.out_request_no === 'string' ? biz.out_request_no : '';
        const refund = trade?.refunds.get(requestNo);
        // A refund Alipay does not know is answered 10000 without refund_status.
        if (trade === undefined || refund === undefined) return signAnswer(method, { code: '10000', msg: 'Success', out_trade_no: outTradeNo, out_request_no: requestNo });
        return signAnswer(method, {
          code: '10000',
          msg: 'Success',
          trade_no: trade.tradeNo,
          out_trade_no: trade.outTradeNo,
          out_request_no: requestNo,
          total_amount: trade.totalAmount,
          refund_amount: refund.amount,
          refund_status: 'REFUND_SUCCESS',
          gmt_refund_pay: refund.at,
        });
      }
      default:
        return signAnswer(method, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-method', sub_msg: `不存在的方法名 ${method}` });
    }
  };

  const openCashier = (method: string, params: Record<string, string>, biz: Record<string, unknown>): { status: number; html: string } => {
    const error = (subCode: string, subMsg: string) => ({ status: 200, html: page('支付宝 - 错误', `<h1>支付遇到问题</h1><p role="alert">${escape(subCode)} ${escape(subMsg)}</p>`) });
    const outTradeNo = String(biz.out_trade_no ?? '');
    const amount = String(biz.total_amount ?? '');
    if (!/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo)) return error('isv.invalid-parameter', 'out_trade_no 无效');
    const fen = AMOUNT.test(amount) ? yuanToFen(amount) : undefined;
    if (fen === undefined || fen < 1 || fen > 10_000_000_000) return error('isv.invalid-parameter', `total_amount 无效 (${amount})`);
    if (biz.product_code !== PAGE_METHODS[method]) return error('isv.invalid-parameter', `product_code ${String(biz.product_code)} 与接口不符`);
    if (typeof biz.subject !== 'string' || biz.subject === '') return error('isv.missing-parameter', '缺少 subject');
    if (typeof biz.time_expire === 'string') {
      const expiry = parseChinaTime(biz.time_expire);
      if (expiry === undefined) return error('isv.invalid-parameter', 'time_expire 格式错误');
      if (expiry.getTime() < Date.now()) return error('ACQ.TRADE_HAS_CLOSE', '交易已关闭');
    }
    let trade = trades.get(outTradeNo);
    if (trade !== undefined) {
      if (trade.status === 'TRADE_CLOSED') return error('ACQ.TRADE_HAS_CLOSE', '交易已关闭');
      if (trade.status !== 'WAIT_BUYER_PAY') return error('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (trade.totalAmount !== amount || trade.subject !== biz.subject) return error('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
    } else {
      trade = {
        outTradeNo,
        tradeNo: `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}2200${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`,
        appId: params.app_id ?? '',
        productCode: String(biz.product_code),
        totalAmount: amount,
        subject: biz.subject,
        status: 'WAIT_BUYER_PAY',
        gmtCreate: formatChinaTime(new Date()),
        refunds: new Map(),
        loseNotifies: false,
      };
      trades.set(outTradeNo, trade);
    }
    trade.productCode = String(biz.product_code);
    if (params.notify_url) trade.notifyUrl = params.notify_url;
    if (params.return_url) trade.returnUrl = params.return_url;
    const action = `${base}/cashier/${encodeURIComponent(outTradeNo)}/pay?method=${encodeURIComponent(method)}`;
    return {
      status: 200,
      html: page(
        '支付宝 - 网上支付 安全快速！',
        `<main><h1>支付宝收银台（模拟）</h1><p>${escape(trade.subject)}</p><p>订单号 <span>${escape(outTradeNo)}</span></p>` +
          `<p>应付金额 <strong aria-label="amount">¥${escape(amount)}</strong></p><p>${escape(trade.productCode)}</p>` +
          `<form method="POST" action="${escape(action)}"><button type="submit">确认付款</button></form></main>`,
      ),
    };
  };

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', base);
    const body = await readBody(request);
    const cashier = /^\/cashier\/([^/]+)\/pay$/.exec(url.pathname);
    if (cashier !== null && request.method === 'POST') {
      const outTradeNo = decodeURIComponent(cashier[1] ?? '');
      const trade = trades.get(outTradeNo);
      if (trade === undefined || trade.status !== 'WAIT_BUYER_PAY') {
        return send(response, 200, 'text/html; charset=utf-8', page('支付宝 - 错误', `<p role="alert">ACQ.TRADE_STATUS_ERROR 交易状态不合法</p>`));
      }
      await pay(outTradeNo);
      if (trade.returnUrl === undefined) return send(response, 200, 'text/html; charset=utf-8', page('支付宝', '<h1>支付成功</h1>'));
      const back = new URL(trade.returnUrl);
      for (const [key, value] of Object.entries(returnParams(trade, url.searchParams.get('method') ?? 'alipay.trade.page.pay'))) back.searchParams.set(key, value);
      response.writeHead(302, { Location: back.toString() });
      response.end();
      return;
    }
    if (url.pathname !== '/gateway.do') return send(response, 404, 'text/plain', 'not found');
    // The SDK puts the common parameters in the query string and the rest in the form body; a page form may put all in either.
    const params: Record<string, string> = {};
    for (const [key, value] of url.searchParams) params[key] = value;
    for (const [key, value] of new URLSearchParams(body)) params[key] = value;
    const method = params.method ?? '';
    requests.push({ method, params: { ...params } });
    const isPage = Object.hasOwn(PAGE_METHODS, method);
    const refuse = (subCode: string, subMsg: string, code = '40002') => {
      if (isPage) return send(response, 200, 'text/html; charset=utf-8', page('支付宝 - 错误', `<p role="alert">${escape(subCode)} ${escape(subMsg)}</p>`));
      return send(response, 200, 'application/json; charset=utf-8', signAnswer(method, { code, msg: 'Invalid Arguments', sub_code: subCode, sub_msg: subMsg }));
    };
    if (params.app_id !== options.appId) {
      // Alipay cannot know whose key to sign with: an unsigned error_response.
      if (isPage) return refuse('isv.invalid-app-id', '无效的AppID参数');
      return send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ error_response: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' } }));
    }
    for (const required of ['method', 'charset', 'sign_type', 'sign', 'timestamp', 'version']) {
      if (!params[required]) return refuse('isv.missing-parameter', `缺少参数 ${required}`);
    }
    if (params.sign_type !== 'RSA2') return refuse('isv.invalid-signature-type', `无效的签名类型 ${params.sign_type}`);
    if (params.charset?.toLowerCase() !== 'utf-8') return refuse('isv.invalid-charset', '字符集错误');
    const sentAt = parseChinaTime(params.timestamp ?? '');
    // Alipay checks the timestamp in China Standard Time and refuses one too far from its clock.
    if (sentAt === undefined || Math.abs(sentAt.getTime() - Date.now()) > 10 * 60_000) return refuse('isv.invalid-timestamp', `非法的时间戳参数 ${params.timestamp}`);
    const verified = createVerify('RSA-SHA256').update(signContent(params, ['sign']), 'utf8').verify(options.appPublicKey, params.sign ?? '', 'base64');
    if (!verified) return refuse('isv.invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.biz_content ?? '') as Record<string, unknown>;
    } catch {
      return refuse('isv.invalid-parameter', 'biz_content 不是 JSON');
    }
    const failure = failures.get(method);
    if (failure !== undefined) {
      failures.delete(method);
      if (failure === 'hang') {
        hanging.add(response);
        return;
      }
      if (failure === 'http-error') return send(response, 502, 'text/html', '<h1>502 Bad Gateway</h1>');
      return send(response, 200, 'application/json; charset=utf-8', business(method, failure.subCode, failure.subMsg));
    }
    if (isPage) {
      const opened = openCashier(method, params, biz);
      return send(response, opened.status, 'text/html; charset=utf-8', opened.html);
    }
    return send(response, 200, 'application/json; charset=utf-8', handleApi(method, biz));
  };

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => send(response, 500, 'text/plain', (error as Error).message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint: `${base}/gateway.do`,
    alipayPublicKey: keys.publicKey,
    alipayPrivateKey: keys.privateKey,
    trades,
    requests,
    notifies,
    failNext: (method: string, failure: Failure) => void failures.set(method, failure),
    pay,
    loseNotifies(outTradeNo) {
      const trade = trades.get(outTradeNo);
      if (trade === undefined) throw new Error(`the emulator has no trade ${outTradeNo}`);
      trade.loseNotifies = true;
    },
    sendNotify,
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      closed = true;
      for (const response of hanging) response.destroy();
      await Promise.all([...pending]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function signContent(params: Record<string, string>, without: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !without.includes(key) && params[key] !== '' && params[key] !== undefined)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type });
  response.end(body);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title></head><body>${body}</body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
