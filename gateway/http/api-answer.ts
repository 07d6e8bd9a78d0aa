import { type ResultName, resultCode, resultStatus } from '../result-codes';
import { type Answer, answerWith } from './answer';

/** Open CORS for the API: the order sign, not the origin, protects a bill. */
export const CORS_HEADERS: Readonly<Record<string, string>> = { 'Access-Control-Allow-Origin': '*' };

/** A refused request: the result name, a sentence naming the field and the rule, and the field. */
export interface Refusal {
  result: Exclude<ResultName, 'OK'>;
  detail: string;
  field?: string;
  /** Overrides the result's default HTTP status (413 and 415 share PAYLOAD_INVALID). */
  status?: number;
}

/** Builds a Refusal; `field` is left out when the refusal is not about one field. */
export function refusal(result: Refusal['result'], detail: string, field?: string, status?: number): Refusal {
  const built: Refusal = { result, detail };
  if (field !== undefined) built.field = field;
  if (status !== undefined) built.status = status;
  return built;
}

// The headers of most JSON answers: one frozen object, so that the node bridge lays them out once.
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  ...CORS_HEADERS,
});

/** Answers JSON with CORS open and no caching unless `headers` says otherwise. */
export function jsonAnswer(body: unknown, status: number, headers?: Record<string, string>): Answer {
  return answerWith(JSON.stringify(body), status, headers === undefined ? JSON_HEADERS : { ...JSON_HEADERS, ...headers });
}

/** A result_code 0 answer carrying `fields` after the three common ones. */
export function okAnswer(fields: Record<string, unknown>, headers?: Record<string, string>): Answer {
  return jsonAnswer({ result_code: 0, result_msg: 'OK', err_detail: '', ...fields }, 200, headers);
}

/** The JSON answer for a refusal, with its `field` when it has one. */
export function refusalAnswer(refused: Refusal): Answer {
  const body: Record<string, unknown> = {
    result_code: resultCode(refused.result),
    result_msg: refused.result,
    err_detail: refused.detail,
  };
  if (refused.field !== undefined) body.field = refused.field;
  return jsonAnswer(body, refused.status ?? resultStatus(refused.result));
}
