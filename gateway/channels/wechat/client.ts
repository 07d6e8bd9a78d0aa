import { ChannelError } from '../connector';
import type { WechatConfig } from './config';
import { WechatRequestError } from './request-error';
import { answerMessage, authorizationHeader, newNonce, requestMessage, signSha256Rsa, verifySha256Rsa } from './crypto';

/** How far a signed timestamp may be from our clock (WeChat Pay's own rule for notifications, 5 minutes). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Knobs of the HTTP client; all optional. */
export interface WechatClientOptions {
  /** The fetch to use (tests may wrap it); the global fetch by default. */
  fetch?: typeof fetch;
  /** How long one request may take, answer body included; 10 s by default. */
  timeoutMs?: number;
  /** Milliseconds since the epoch, for request timestamps and the skew check of answers; Date.now by default. */
  clock?: () => number;
  /** The User-Agent header (WeChat Pay asks for one that names the caller). */
  userAgent?: string;
}

/** A verified 2xx answer: its status and its parsed JSON (undefined for an empty body, as a 204 has). */
export interface WechatAnswer {
  status: number;
  data: unknown;
}

/** Sends signed API v3 requests to `config.endpoint` and verifies every answer with the WeChat Pay public key. */
export interface WechatClient {
  /** Sends `method path` with `body` as JSON; resolves a verified 2xx answer, rejects with a ChannelError otherwise. */
  request(method: 'GET' | 'POST', pathWithQuery: string, body?: unknown): Promise<WechatAnswer>;
}

/** A client for the merchant `config`. */
export function createWechatClient(config: WechatConfig, options: WechatClientOptions = {}): WechatClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = options.clock ?? Date.now;
  const userAgent = options.userAgent ?? `spay-button-gateway (WeChatPay-APIv3; node/${process.version})`;

  async function request(method: 'GET' | 'POST', pathWithQuery: string, body?: unknown): Promise<WechatAnswer> {
    const url = new URL(config.endpoint + pathWithQuery);
    const bodyText = body === undefined ? '' : JSON.stringify(body);
    const timestamp = String(Math.floor(clock() / 1000));
    const nonce = newNonce();
    const signature = signSha256Rsa(requestMessage(method, url.pathname + url.search, timestamp, nonce, bodyText), config.privateKey);
    const headers: Record<string, string> = {
      Authorization: authorizationHeader({ mchid: config.mchId, nonce, timestamp, serialNo: config.merchantSerialNo, signature }),
      Accept: 'application/json',
      'User-Agent': userAgent,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const what = `${method} ${url.pathname}`;
    let status: number;
    let answerHeaders: Headers;
    let bytes: Buffer;
    try {
      const response = await doFetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : bodyText,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      answerHeaders = response.headers;
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ChannelError('TIMEOUT', `WeChat Pay did not answer ${what} within ${timeoutMs} ms`);
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ChannelError('NETWORK_ERROR', `WeChat Pay could not be reached for ${what} (${cause})`);
    }
    const problem = checkAnswerSignature(config, answerHeaders, bytes, clock());
    if (status >= 200 && status < 300) {
      if (problem !== null) throw new ChannelError('INVALID_ANSWER_SIGNATURE', `WeChat Pay's answer to ${what} is not trusted: ${problem}`);
      return { status, data: bytes.length === 0 ? undefined : parseJson(bytes, what) };
    }
    const refusal = readRefusal(bytes);
    const code = refusal?.code ?? `HTTP_${status}`;
    const message = refusal?.message ?? `WeChat Pay answered ${what} with HTTP ${status}`;
    throw new WechatRequestError(code, problem === null ? message : `${message} (HTTP ${status}, answer not signed: ${problem})`, status, problem === null);
  }

  return { request };
}

/** Why a WeChat Pay answer or notification does not verify (serial, timestamp, signature), or null when it does. */
export function checkAnswerSignature(config: WechatConfig, headers: { get(name: string): string | null }, body: Uint8Array, nowMs: number): string | null {
  const timestamp = headers.get('Wechatpay-Timestamp');
  const nonce = headers.get('Wechatpay-Nonce');
  const signature = headers.get('Wechatpay-Signature');
  const serial = headers.get('Wechatpay-Serial');
  if (timestamp === null || nonce === null || signature === null || serial === null) {
    return 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial headers are required';
  }
  // The public key is picked by serial; a platform certificate serial (or another key) is not configured.
  if (serial !== config.platformPublicKeyId) return `Wechatpay-Serial ${JSON.stringify(serial.slice(0, 64))} is not the configured ${config.platformPublicKeyId}`;
  if (!/^\d{1,12}$/.test(timestamp)) return `Wechatpay-Timestamp must be whole seconds (got ${JSON.stringify(timestamp.slice(0, 20))})`;
  const skew = Math.abs(nowMs - Number(timestamp) * 1000);
  if (skew > MAX_CLOCK_SKEW_MS) return `Wechatpay-Timestamp is ${Math.round(skew / 1000)} s away from now (at most 300 s)`;
  if (!verifySha256Rsa(answerMessage(timestamp, nonce, body), signature, config.platformPublicKey)) return 'Wechatpay-Signature does not verify';
  return null;
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ChannelError('INVALID_ANSWER', `WeChat Pay's answer to ${what} is not JSON`);
  }
}

function readRefusal(bytes: Buffer): { code: string; message: string } | null {
  try {
    const data = JSON.parse(bytes.toString('utf8')) as { code?: unknown; message?: unknown };
    if (typeof data.code === 'string' && data.code !== '') {
      return { code: data.code, message: typeof data.message === 'string' ? data.message : data.code };
    }
  } catch {
    // Not WeChat's JSON error body (a proxy's HTML page, say): reported by HTTP status alone.
  }
  return null;
}
