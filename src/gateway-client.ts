import type { RestChannel } from './core/channels';
import { type Checked, type ErrorCode, fail, ok } from './core/errors';
import { callGateway, type GatewayReply } from './gateway-call';

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

/** Reads a bill's payment state. */
export async function getBillStatus(apiBase: string, id: string, signal?: AbortSignal): Promise<Checked<BillStatus>> {
  return readReply<BillStatus>(await callGateway(`${apiBase}/bill/${encodeURIComponent(id)}`, { cache: 'no-store', signal }));
}

/** Turns the gateway's reply into its answer, or the error its result_code means. */
export function readReply<T>(reply: Checked<GatewayReply>): Checked<T> {
  if (!reply.ok) return reply;
  const { status, isJson, json: answer } = reply.value;
  if (!isJson) return fail('GATEWAY', `the payment gateway answered HTTP ${status} with something other than JSON`);
  if (typeof answer !== 'object' || answer === null || typeof (answer as { result_code?: unknown }).result_code !== 'number') {
    return fail('GATEWAY', `the payment gateway answered HTTP ${status} without a result_code`);
  }
  const result = answer as { result_code: number; result_msg?: string; err_detail?: string; field?: string };
  if (result.result_code !== 0) {
    const code = RESULT_CODES[result.result_msg ?? ''] ?? 'GATEWAY';
    const detail = typeof result.err_detail === 'string' && result.err_detail ? result.err_detail : result.result_msg;
    return fail(code, String(detail || `the payment gateway refused the request (result_code ${result.result_code})`), result.field);
  }
  return ok(answer as T);
}
