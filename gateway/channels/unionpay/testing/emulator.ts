import { X509Certificate, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acpSignAsUnionpay, acpVerify, type AcpSigner } from './emulator-sign';

// A UnionPay online gateway (全渠道 5.1.0) on 127.0.0.1, written from UnionPay's public interface specification
// (frontTransReq.do consume, backTransReq.do refund, queryTrans.do, back notifies) for the connector's tests.
// It never reaches the network and the product never imports it.

/** A merchant the emulator knows: its number and its signing certificate (whose serial is the certId it sends). */
export interface EmulatedMerchant {
  merId: string;
  certPem: string;
}

/** One consume or refund as the emulator keeps it. */
export interface EmulatedTrade {
  merId: string;
  orderId: string;
  txnTime: string;
  txnType: '01' | '04';
  txnAmt: number;
  /** cashier: shown, not paid; paid: a consume paid; pending/success: a refund. */
  state: 'cashier' | 'paid' | 'pending' | 'success';
  queryId: string;
  channelType: string;
  backUrl: string;
  frontUrl?: string;
  payTimeout?: string;
  reqReserved?: string;
  origQryId?: string;
  refunded: number;
  traceNo: string;
  traceTime: string;
}

/** One back notify sent (or tried). */
export interface NotifyAttempt {
  url: string;
  fields: Record<string, string>;
  attempt: number;
  status?: number;
  error?: string;
}

/** A scripted fault for the next request to a path: a refusal, a non-200, an unsigned answer, or no answer at all. */
export type EmulatorFault =
  | { respCode: string; respMsg: string; signed?: boolean }
  | { status: number }
  | { hang: true };

/** The three interfaces a fault can be injected into: frontTransReq.do, backTransReq.do, queryTrans.do. */
export type Api = 'front' | 'back' | 'query';

/** Who the emulator knows, who it signs as, and how fast its notifies and refunds go (tests shrink the delays). */
export interface UnionpayEmulatorOptions {
  merchants: EmulatedMerchant[];
  /** UnionPay's signing certificate and key, chained to the root the connector trusts. */
  signer: AcpSigner;
  /** Waits before each resend of a back notify (the real gateway: 1, 2, 4, 5 minutes; ≤5 sends). */
  notifyRetryDelaysMs?: number[];
  /** How long the emulator waits for the merchant's answer to a notify (the real one: 10 s). */
  notifyTimeoutMs?: number;
  /** How long a refund stays pending before it succeeds and its notify goes out. */
  refundDelayMs?: number;
}

/** A running emulator: its endpoint, what it saw and sent, and the handles a test steers it by. */
export interface UnionpayEmulator {
  /** The endpoint for the connector's config, e.g. http://127.0.0.1:41234. */
  url: string;
  trades: EmulatedTrade[];
  notifies: NotifyAttempt[];
  /** Every form and request body the emulator received, decoded, with its path. */
  requests: Array<{ path: string; fields: Record<string, string> }>;
  /** Makes the next request to `api` fail as `fault` says. */
  inject(api: Api, fault: EmulatorFault): void;
  /** Signs fields as UnionPay does (signPubKeyCert + signature), with the emulator's signer or another. */
  sign(fields: Record<string, string>, signer?: AcpSigner): Record<string, string>;
  /** The consume for merId+orderId, if the buyer reached the cashier. */
  find(orderId: string, txnType?: '01' | '04'): EmulatedTrade | undefined;
  /** Resolves once every notify queued so far has been delivered or given up. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const OK_MSG = '成功[0000000]';
const nowChina = (): Date => new Date(Date.now() + 8 * 3600_000);
const pad = (n: number): string => String(n).padStart(2, '0');
const mmdd = (d: Date): string => pad(d.getUTCMonth() + 1) + pad(d.getUTCDate());
const traceTime = (): string => {
  const d = nowChina();
  return mmdd(d) + pad(d.getUTCHours()) + pad(d.getUTCMinutes()) + pad(d.getUTCSeconds());
};
const chinaStamp = (): string => String(nowChina().getUTCFullYear()) + traceTime();

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`;
}

function autoPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join('');
  return page('返回商户', `<form id="return_form" action="${escape(action)}" method="post">${inputs}<button type="submit">返回商户</button></form><script>document.forms[0].submit();</script>`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the emulator on 127.0.0.1 and a free port. */
export async function startUnionpayEmulator(options: UnionpayEmulatorOptions): Promise<UnionpayEmulator> {
  const merchants = new Map(
    options.merchants.map((m) => {
      const cert = new X509Certificate(m.certPem);
      return [m.merId, { certId: BigInt(`0x${cert.serialNumber}`).toString(10), publicKey: cert.publicKey }] as const;
    }),
  );
  const retryDelays = options.notifyRetryDelaysMs ?? [60_000, 120_000, 240_000, 300_000];
  const notifyTimeoutMs = options.notifyTimeoutMs ?? 10_000;
  const trades: EmulatedTrade[] = [];
  const notifies: NotifyAttempt[] = [];
  const requests: UnionpayEmulator['requests'] = [];
  const faults: Record<Api, EmulatorFault[]> = { front: [], back: [], query: [] };
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let sequence = 0;

  const sign = (fields: Record<string, string>, signer: AcpSigner = options.signer) => acpSignAsUnionpay(fields, signer);
  const newQueryId = (): string => chinaStamp() + String(++sequence).padStart(7, '0');

  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) run();
    }, ms);
    timers.add(timer);
  };

  /** Checks a merchant's request: the fixed fields, the merchant, certId and the signature; a respCode or null. */
  function check(fields: Record<string, string>, expected: Record<string, string | RegExp>): [string, string] | null {
    for (const [name, rule] of Object.entries(expected)) {
      const value = fields[name];
      const ok = value !== undefined && (typeof rule === 'string' ? value === rule : rule.test(value));
      if (!ok) return ['10', `报文格式错误[${name}]`];
    }
    const merchant = merchants.get(fields.merId ?? '');
    if (merchant === undefined) return ['10', '商户未开通[merId]'];
    if (fields.certId !== merchant.certId) return ['11', '验证签名失败[certId]'];
    if (!acpVerify(fields, merchant.publicKey)) return ['11', '验证签名失败'];
    return null;
  }

  const COMMON = {
    version: '5.1.0',
    encoding: /^utf-8$/i,
    signMethod: '01',
    accessType: '0',
    merId: /^[0-9A-Za-z]{15}$/,
    certId: /^\d+$/,
    orderId: /^[0-9A-Za-z]{8,40}$/,
    txnTime: /^\d{14}$/,
    signature: /./,
  };

  function echo(fields: Record<string, string>, names: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of names) if (fields[name] !== undefined) out[name] = fields[name] as string;
    return out;
  }

  function notifyFields(trade: EmulatedTrade): Record<string, string> {
    const fields: Record<string, string> = {
      version: '5.1.0',
      encoding: 'utf-8',
      signMethod: '01',
      accessType: '0',
      bizType: '000201',
      txnType: trade.txnType,
      txnSubType: trade.txnType === '01' ? '01' : '00',
      merId: trade.merId,
      orderId: trade.orderId,
      txnTime: trade.txnTime,
      txnAmt: String(trade.txnAmt),
      currencyCode: '156',
      queryId: trade.queryId,
      respCode: '00',
      respMsg: OK_MSG,
      settleAmt: String(trade.txnAmt),
      settleCurrencyCode: '156',
      settleDate: mmdd(nowChina()),
      traceNo: trade.traceNo,
      traceTime: trade.traceTime,
    };
    if (trade.txnType === '01') Object.assign(fields, { accNo: '6216***********0018', payCardType: '01', payType: '0001' });
    if (trade.origQryId !== undefined) fields.origQryId = trade.origQryId;
    if (trade.reqReserved !== undefined) fields.reqReserved = trade.reqReserved;
    return sign(fields);
  }

  /** Sends a back notify, resending on anything but HTTP 200 after each delay, at most 1 + delays.length times. */
  function sendNotify(url: string, fields: Record<string, string>, attempt = 1): void {
    const task = (async () => {
      const record: NotifyAttempt = { url, fields, attempt };
      notifies.push(record);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
          body: new URLSearchParams(fields).toString(),
          signal: AbortSignal.timeout(notifyTimeoutMs),
        });
        await response.arrayBuffer();
        record.status = response.status;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
      const delay = retryDelays[attempt - 1];
      if (record.status !== 200 && delay !== undefined) later(delay, () => sendNotify(url, fields, attempt + 1));
    })();
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  }

  function answer(res: ServerResponse, fields: Record<string, string>, signed = true): void {
    const body = Object.entries(signed ? sign(fields) : fields)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' }).end(body);
  }

  function refuse(res: ServerResponse, fields: Record<string, string>, [respCode, respMsg]: [string, string], signed = true): void {
    answer(res, { ...echo(fields, ['version', 'encoding', 'signMethod', 'txnType', 'txnSubType', 'bizType', 'accessType', 'merId', 'orderId', 'txnTime']), respCode, respMsg }, signed);
  }

  function front(fields: Record<string, string>, res: ServerResponse): void {
    const html = (status: number, title: string, body: string): void => void res.writeHead(status, { 'content-type': 'text/html;charset=UTF-8' }).end(page(title, body));
    const problem = check(fields, {
      ...COMMON,
      txnType: '01',
      txnSubType: '01',
      bizType: '000201',
      channelType: /^0[78]$/,
      currencyCode: '156',
      txnAmt: /^[1-9]\d{0,11}$/,
      frontUrl: /^https?:\/\//,
      backUrl: /^https?:\/\//,
    });
    if (problem !== null) return html(200, '交易失败', `<p role="alert" data-resp-code="${problem[0]}">respCode=${problem[0]} ${escape(problem[1])}</p>`);
    const existing = trades.find((t) => t.merId === fields.merId && t.orderId === fields.orderId && t.txnType === '01');
    if (existing !== undefined && (existing.txnTime !== fields.txnTime || existing.state === 'paid')) {
      return html(200, '交易失败', `<p role="alert" data-resp-code="12">respCode=12 重复交易</p>`);
    }
    const trade: EmulatedTrade = existing ?? {
      merId: fields.merId as string,
      orderId: fields.orderId as string,
      txnTime: fields.txnTime as string,
      txnType: '01',
      txnAmt: Number(fields.txnAmt),
      state: 'cashier',
      queryId: newQueryId(),
      channelType: fields.channelType as string,
      backUrl: fields.backUrl as string,
      frontUrl: fields.frontUrl,
      payTimeout: fields.payTimeout,
      reqReserved: fields.reqReserved,
      refunded: 0,
      traceNo: String(randomInt(100000, 999999)),
      traceTime: '',
    };
    if (existing === undefined) trades.push(trade);
    const yuan = `${Math.floor(trade.txnAmt / 100)}.${String(trade.txnAmt % 100).padStart(2, '0')}`;
    html(
      200,
      '银联在线支付（模拟）',
      `<main><h1>银联在线支付（模拟收银台）</h1><p>商户 ${escape(trade.merId)} · 订单 ${escape(trade.orderId)}</p>` +
        `<p>金额 ¥${yuan}</p><p>${trade.channelType === '08' ? '手机网页' : '电脑网页'}支付</p>` +
        `<form method="post" action="/emulator/pay"><input type="hidden" name="queryId" value="${trade.queryId}">` +
        `<button type="submit">确认付款</button></form></main>`,
    );
  }

  function pay(fields: Record<string, string>, res: ServerResponse): void {
    const trade = trades.find((t) => t.queryId === fields.queryId && t.txnType === '01');
    if (trade === undefined) return void res.writeHead(404).end('no such order');
    if (trade.payTimeout !== undefined && chinaStamp() > trade.payTimeout) {
      return void res.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' }).end(page('交易失败', '<p role="alert">订单已超时</p>'));
    }
    if (trade.state === 'cashier') {
      trade.state = 'paid';
      trade.traceTime = traceTime();
      sendNotify(trade.backUrl, notifyFields(trade));
    }
    res.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' }).end(autoPost(trade.frontUrl ?? '/', notifyFields(trade)));
  }

  function back(fields: Record<string, string>, res: ServerResponse): void {
    const problem = check(fields, {
      ...COMMON,
      txnType: '04',
      txnSubType: '00',
      bizType: '000201',
      channelType: /^0[78]$/,
      currencyCode: '156',
      txnAmt: /^[1-9]\d{0,11}$/,
      origQryId: /^\w{21}$/,
      backUrl: /^https?:\/\//,
    });
    if (problem !== null) return refuse(res, fields, problem);
    const duplicate = trades.find((t) => t.merId === fields.merId && t.orderId === fields.orderId);
    if (duplicate !== undefined) return refuse(res, fields, ['12', '重复交易']);
    const original = trades.find((t) => t.queryId === fields.origQryId && t.txnType === '01' && t.merId === fields.merId);
    if (original === undefined || original.state !== 'paid') return refuse(res, fields, ['35', '原交易不存在或状态不正确']);
    const amount = Number(fields.txnAmt);
    if (original.refunded + amount > original.txnAmt) return refuse(res, fields, ['33', '交易金额超限']);
    original.refunded += amount;
    const refund: EmulatedTrade = {
      merId: original.merId,
      orderId: fields.orderId as string,
      txnTime: fields.txnTime as string,
      txnType: '04',
      txnAmt: amount,
      state: 'pending',
      queryId: newQueryId(),
      channelType: fields.channelType as string,
      backUrl: fields.backUrl as string,
      reqReserved: fields.reqReserved,
      origQryId: original.queryId,
      refunded: 0,
      traceNo: String(randomInt(100000, 999999)),
      traceTime: traceTime(),
    };
    trades.push(refund);
    later(options.refundDelayMs ?? 0, () => {
      refund.state = 'success';
      sendNotify(refund.backUrl, notifyFields(refund));
    });
    answer(res, {
      ...echo(fields, ['version', 'encoding', 'signMethod', 'txnType', 'txnSubType', 'bizType', 'accessType', 'merId', 'orderId', 'txnTime', 'txnAmt', 'origQryId', 'reqReserved']),
      queryId: refund.queryId,
      respCode: '00',
      respMsg: OK_MSG,
    });
  }

  function query(fields: Record<string, string>, res: ServerResponse): void {
    const problem = check(fields, { ...COMMON, txnType: '00', txnSubType: '00', bizType: '000000' });
    if (problem !== null) return refuse(res, fields, problem);
    const trade = trades.find((t) => t.merId === fields.merId && t.orderId === fields.orderId && t.txnTime === fields.txnTime);
    // Until the buyer pays, UnionPay has no transaction for the order.
    if (trade === undefined || trade.state === 'cashier') return refuse(res, fields, ['34', '查无此交易']);
    const done = trade.state === 'paid' || trade.state === 'success';
    answer(res, {
      ...echo(fields, ['version', 'encoding', 'signMethod', 'txnType', 'txnSubType', 'bizType', 'accessType', 'merId', 'orderId', 'txnTime']),
      respCode: '00',
      respMsg: OK_MSG,
      origRespCode: done ? '00' : '05',
      origRespMsg: done ? OK_MSG : '交易处理中',
      queryId: trade.queryId,
      txnAmt: String(trade.txnAmt),
      currencyCode: '156',
      settleAmt: String(trade.txnAmt),
      settleCurrencyCode: '156',
      traceNo: trade.traceNo,
      traceTime: trade.traceTime,
      ...(trade.origQryId !== undefined ? { origQryId: trade.origQryId } : {}),
    });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const body = await readBody(req);
      const fields = Object.fromEntries(new URLSearchParams(body));
      requests.push({ path, fields });
      const api: Api | undefined =
        path === '/gateway/api/frontTransReq.do' ? 'front' : path === '/gateway/api/backTransReq.do' ? 'back' : path === '/gateway/api/queryTrans.do' ? 'query' : undefined;
      if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
      if (api !== undefined) {
        const fault = faults[api].shift();
        if (fault !== undefined) {
          if ('hang' in fault) return; // never answers: the connector's timeout must fire
          if ('status' in fault) return void res.writeHead(fault.status).end('error');
          return refuse(res, fields, [fault.respCode, fault.respMsg], fault.signed ?? true);
        }
      }
      if (api === 'front') return front(fields, res);
      if (api === 'back') return back(fields, res);
      if (api === 'query') return query(fields, res);
      if (path === '/emulator/pay') return pay(fields, res);
      res.writeHead(404).end('not found');
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    trades,
    notifies,
    requests,
    inject: (api, fault) => void faults[api].push(fault),
    sign,
    find: (orderId, txnType = '01') => trades.find((t) => t.orderId === orderId && t.txnType === txnType),
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
