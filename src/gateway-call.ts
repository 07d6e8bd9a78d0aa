import type { RestChannel } from './core/channels';
import { type Checked, fail, ok } from './core/errors';
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

/** What the gateway sent back, before anyone reads its meaning: the HTTP status and the body as JSON. */
export interface GatewayReply {
  status: number;
  /** False when the body was not JSON (a proxy's error page, a cut connection). */
  isJson: boolean;
  json: unknown;
}

export const GATEWAY_TIMEOUT_MS = 15000;

/**
 * Sends the bill request: the one round trip between choosing a channel and leaving. Sent as
 * text/plain so the browser needs no CORS preflight. Lives in the script-tag bundle so it can start
 * while the steps that read its answer are still loading.
 */
export function sendBill(apiBase: string, body: BillRequest, signal?: AbortSignal): Promise<Checked<GatewayReply>> {
  return callGateway(`${apiBase}/bill`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(body),
    signal,
  });
}

/** Fetches a gateway URL and reads its JSON, within GATEWAY_TIMEOUT_MS; network faults become NETWORK errors. */
export async function callGateway(url: string, init: RequestInit): Promise<Checked<GatewayReply>> {
  // A plain controller rather than AbortSignal.timeout/any, which iOS before 17.4 lacks.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, GATEWAY_TIMEOUT_MS);
  const forward = () => controller.abort();
  init.signal?.addEventListener('abort', forward);
  if (init.signal?.aborted) controller.abort();
  try {
    const response = await fetch(url, { ...init, signal: controller.signal, credentials: 'omit', mode: 'cors' });
    try {
      return ok({ status: response.status, isJson: true, json: await response.json() });
    } catch {
      return ok({ status: response.status, isJson: false, json: undefined });
    }
  } catch (error) {
    return fail(
      'NETWORK',
      timedOut
        ? `the payment gateway did not answer within ${GATEWAY_TIMEOUT_MS / 1000} s`
        : `the payment gateway could not be reached (${(error as Error)?.message || 'network error'})`,
    );
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', forward);
  }
}
