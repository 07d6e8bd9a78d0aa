import { RestResponseError } from './rest-response-error';
import { signRestApp } from './sign';

/** Where and as whom the client calls: the gateway's base URL and the app's id and secrets. */
export interface RestClientOptions {
  /** The gateway's origin (and path prefix, if any), e.g. `https://pay.example.com`: the one thing a BeeCloud integration changes. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Needed for refunds in live mode. */
  masterSecret?: string;
  /** Needed in test mode. */
  testSecret?: string;
  /** Test mode: every call goes to `/2/rest/sandbox/…`, signed with `testSecret`. */
  test?: boolean;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
  /** The clock for `timestamp` (default Date.now). */
  now?: () => number;
}

/** What every answer carries: `result_code` 0 and `result_msg` "OK" on success, else the code, its name and a sentence. */
export interface RestResult {
  result_code: number;
  result_msg: string;
  err_detail: string;
  /** The field a refusal is about, when it is about one. */
  field?: string;
}

/** A bill request (manual 4.2.1); the app_id, timestamp and app_sign are added by the client. */
export interface RestBillParams {
  channel: string;
  total_fee: number;
  bill_no: string;
  title: string;
  return_url?: string;
  notify_url?: string;
  bill_timeout?: number;
  optional?: Record<string, string | number | boolean>;
  openid?: string;
  buyer_id?: string;
  use_app?: boolean;
  identity_id?: string;
  [field: string]: unknown;
}

/** A bill answer: its `id` and the channel's fields (`html`, `url`, `code_url`, or WeChat JSAPI's). */
export interface RestBillAnswer extends RestResult {
  id?: string;
  html?: string;
  url?: string;
  code_url?: string;
  app_id?: string;
  package?: string;
  nonce_str?: string;
  timestamp?: string;
  pay_sign?: string;
  sign_type?: string;
}

/** A bill as the queries show it (manual 4.4.1). */
export interface RestBillRecord {
  id: string;
  bill_no: string;
  total_fee: number;
  trade_no: string;
  channel: string;
  sub_channel: string;
  title: string;
  spay_result: boolean;
  create_time: number;
  /** The same as create_time, for the Java SDK. */
  created_time: number;
  success_time?: number;
  /** A JSON string. */
  optional: string;
  /** A JSON string, with `need_detail` (always by id). */
  message_detail?: string;
  revert_result: boolean;
  refund_result: boolean;
}

/** Bill query filters (manual 4.4.1); times are creation times in ms; `limit` 1-50, default 10. */
export interface RestBillFilter {
  channel?: string;
  bill_no?: string;
  spay_result?: boolean;
  refund_result?: boolean;
  start_time?: number;
  end_time?: number;
  skip?: number;
  limit?: number;
  need_detail?: boolean;
}

/** A refund request (manual 4.3.1): refund_no is the date (YYYYMMDD, China time) then 3-24 letters or digits. */
export interface RestRefundParams {
  refund_no: string;
  bill_no: string;
  refund_fee: number;
  channel?: string;
  optional?: Record<string, string | number | boolean>;
  [field: string]: unknown;
}

/** A refund as the queries show it (manual 4.4.3). */
export interface RestRefundRecord {
  id: string;
  bill_no: string;
  refund_no: string;
  total_fee: number;
  refund_fee: number;
  title: string;
  channel: string;
  sub_channel: string;
  finish: boolean;
  result: boolean;
  optional: string;
  message_detail?: string;
  create_time: number;
  created_time: number;
}

/** Refund query filters (manual 4.4.3). */
export interface RestRefundFilter {
  channel?: string;
  bill_no?: string;
  refund_no?: string;
  start_time?: number;
  end_time?: number;
  skip?: number;
  limit?: number;
  need_detail?: boolean;
}

/** The REST v2 calls, each signed with the right secret; a refusal is an answer with result_code ≠ 0, never a throw. */
export interface RestClient {
  bill(params: RestBillParams): Promise<RestBillAnswer>;
  billById(id: string): Promise<RestResult & { pay?: RestBillRecord }>;
  bills(filter?: RestBillFilter): Promise<RestResult & { bills?: RestBillRecord[]; count?: number }>;
  billsCount(filter?: Omit<RestBillFilter, 'skip' | 'limit' | 'need_detail'>): Promise<RestResult & { count?: number }>;
  refund(params: RestRefundParams): Promise<RestResult & { id?: string }>;
  refundById(id: string): Promise<RestResult & { refund?: RestRefundRecord }>;
  refunds(filter?: RestRefundFilter): Promise<RestResult & { refunds?: RestRefundRecord[]; count?: number }>;
  refundsCount(filter?: Omit<RestRefundFilter, 'skip' | 'limit' | 'need_detail'>): Promise<RestResult & { count?: number }>;
  refundStatus(params: { refund_no: string; channel?: string }): Promise<RestResult & { refund_status?: 'SUCCESS' | 'PROCESSING' | 'FAIL' }>;
}

/**
 * A typed client for the gateway's BeeCloud REST v2 API, on `fetch` with no dependency. Each call gets a fresh
 * millisecond `timestamp` and its `app_sign`: md5(app_id + timestamp + secret), the secret being the app secret,
 * the master secret for refunds, or the test secret in test mode. Throws a SignInputError when a needed secret is
 * missing, a RestResponseError when the answer is not the API's JSON, and whatever fetch throws on a network error.
 */
export function createRestClient(options: RestClientOptions): RestClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const prefix = options.test === true ? '/2/rest/sandbox' : '/2/rest';

  const signed = (fields: object, refund: boolean): Record<string, unknown> => {
    const timestamp = now();
    const secret = options.test === true ? options.testSecret : refund ? options.masterSecret : options.appSecret;
    return { ...fields, app_id: options.appId, timestamp, app_sign: signRestApp(options.appId, timestamp, secret as string) };
  };
  const answer = async <T>(path: string, response: Response): Promise<T> => {
    const text = await response.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new RestResponseError(path, response.status, `the body is not JSON (${text.length} chars)`);
    }
    if (typeof value !== 'object' || value === null || typeof (value as RestResult).result_code !== 'number') {
      throw new RestResponseError(path, response.status, 'the body has no numeric result_code');
    }
    return value as T;
  };
  const post = async <T>(path: string, fields: object, refund = false): Promise<T> => {
    const url = `${base}${prefix}${path}`;
    const body = JSON.stringify(signed(fields, refund));
    return answer<T>(`${prefix}${path}`, await doFetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body }));
  };
  const get = async <T>(path: string, fields: object = {}): Promise<T> => {
    const para = encodeURIComponent(JSON.stringify(signed(fields, false)));
    return answer<T>(`${prefix}${path}`, await doFetch(`${base}${prefix}${path}?para=${para}`));
  };
  const segment = (id: string): string => encodeURIComponent(id);

  return {
    bill: (params) => post('/bill', params),
    billById: (id) => get(`/bill/${segment(id)}`),
    bills: (filter = {}) => get('/bills', filter),
    billsCount: (filter = {}) => get('/bills/count', filter),
    refund: (params) => post('/refund', params, true),
    refundById: (id) => get(`/refund/${segment(id)}`),
    refunds: (filter = {}) => get('/refunds', filter),
    refundsCount: (filter = {}) => get('/refunds/count', filter),
    refundStatus: (params) => get('/refund/status', params),
  };
}
