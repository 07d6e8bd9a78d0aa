/**
 * The gateway's answer codes: BeeCloud REST v2's table (0-14), then ours from 20.
 * `status` is the HTTP status an answer with that code carries unless the caller says otherwise.
 */
export const RESULT_CODES = {
  OK: { code: 0, status: 200 },
  APP_INVALID: { code: 1, status: 400 },
  PAY_FACTOR_NOT_SET: { code: 2, status: 400 },
  CHANNEL_INVALID: { code: 3, status: 400 },
  MISS_PARAM: { code: 4, status: 400 },
  PARAM_INVALID: { code: 5, status: 400 },
  CHANNEL_ERROR: { code: 7, status: 502 },
  NO_SUCH_BILL: { code: 8, status: 404 },
  BILL_UNSUCCESS: { code: 9, status: 409 },
  ALREADY_REFUNDING: { code: 11, status: 409 },
  REFUND_AMOUNT_TOO_LARGE: { code: 12, status: 409 },
  NO_SUCH_REFUND: { code: 13, status: 404 },
  RUNTIME_ERROR: { code: 14, status: 500 },
  SIGN_INVALID: { code: 20, status: 403 },
  BILL_NOT_FOUND: { code: 21, status: 404 },
  PAYLOAD_INVALID: { code: 22, status: 400 },
  ROUTE_NOT_FOUND: { code: 23, status: 404 },
} as const satisfies Record<string, { code: number; status: number }>;

/** The name of a result code, as sent in `result_msg`. */
export type ResultName = keyof typeof RESULT_CODES;

/** The numeric `result_code` for a name. */
export function resultCode(name: ResultName): number {
  return RESULT_CODES[name].code;
}

/** The default HTTP status for a name. */
export function resultStatus(name: ResultName): number {
  return RESULT_CODES[name].status;
}
