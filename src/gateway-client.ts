import type { RestChannel } from './core/channels';
import { type Checked, type ErrorCode, fail, ok } from './core/errors';
import type { Optional } from './core/validate';

/** The bill request body, in the gateway's field names. */
export interface BillRequest {
  app_id: string;
  channel: RestChannel;
  title: string;
  amount: number | string;
  out_trade_no: string;
  sign: string;
  return_url?: string;
  optional?: Optional;
  openid?: string;
  use_app?: boolean;
  buyer_id?: string;
}

/** What the gateway answers for a bill: one of the channel-specific shapes. */
export interface BillAnswer {
  id: string;
  channel?: RestChannel;
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

export type BillStatusName = 'UNPAID' | 'PAID' | 'CANCELLED' | 'FAILED';

/** A bill's payment state, for QR polling. */
export interface BillStatus {
  id: string;
  pay_result: boolean;
  status: BillStatusName;
}

const RESULT_CODES: Record<string, ErrorCode> = {
  APP_INVALID: 'APP_INVALID',
  PAY_FACTOR_NOT_SET: 'CHANNEL_UNAVAILABLE',
  CHANNEL_INVALID: 'CHANNEL_INVALID',
  MISS_PARAM: 'MISS_PARAM',
  PARAM_INVALID: 'PARAM_INVALID',
  SIGN_INVALID: 'SIGN_INVALID',
};

export const BILL_TIMEOUT_MS = 15000;

/** Creates (or finds again) the bill. Sent as text/plain so the browser needs no CORS preflight. */
export function createBill(apiBase: string, body: BillRequest, signal?: AbortSignal): Promise<Checked<BillAnswer>> {
  return callGateway<BillAnswer>(`${apiBase}/bill`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(body),
    signal,
  });
}

/** Reads a bill's payment state. */
export function getBillStatus(apiBase: string, id: string, signal?: AbortSignal): Promise<Checked<BillStatus>> {
  return callGateway<BillStatus>(`${apiBase}/bill/${encodeURIComponent(id)}`, { cache: 'no-store', signal });
}

async function callGateway<T>(url: string, init: RequestInit): Promise<Checked<T>> {
  // A plain controller rather than AbortSignal.timeout/any, which iOS before 17.4 lacks.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, BILL_TIMEOUT_MS);
  const forward = () => controller.abort();
  init.signal?.addEventListener('abort', forward);
  if (init.signal?.aborted) controller.abort();
  try {
    return await readAnswer<T>(await fetch(url, { ...init, signal: controller.signal, credentials: 'omit', mode: 'cors' }));
  } catch (error) {
    return fail(
      'NETWORK',
      timedOut
        ? `the payment gateway did not answer within ${BILL_TIMEOUT_MS / 1000} s`
        : `the payment gateway could not be reached (${(error as Error)?.message || 'network error'})`,
    );
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', forward);
  }
}

async function readAnswer<T>(response: Response): Promise<Checked<T>> {
  let answer: unknown;
  try {
    answer = await response.json();
  } catch {
    return fail('GATEWAY', `the payment gateway answered HTTP ${response.status} with something other than JSON`);
  }
  if (typeof answer !== 'object' || answer === null || typeof (answer as { result_code?: unknown }).result_code !== 'number') {
    return fail('GATEWAY', `the payment gateway answered HTTP ${response.status} without a result_code`);
  }
  const result = answer as { result_code: number; result_msg?: string; err_detail?: string; field?: string };
  if (result.result_code !== 0) {
    const code = RESULT_CODES[result.result_msg ?? ''] ?? 'GATEWAY';
    const detail = typeof result.err_detail === 'string' && result.err_detail ? result.err_detail : result.result_msg;
    return fail(code, String(detail || `the payment gateway refused the request (result_code ${result.result_code})`), result.field);
  }
  return ok(answer as T);
}
