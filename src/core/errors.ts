/** Every error code the widget reports, as the original service named them. */
export const ERROR_CODES = [
  'MISS_PARAM',
  'PARAM_INVALID',
  'APP_INVALID',
  'CHANNEL_INVALID',
  'CHANNEL_UNAVAILABLE',
  'SIGN_INVALID',
  'NETWORK',
  'GATEWAY',
  'BRIDGE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error object pages receive: `ERROR` is a sentence naming the field and the rule. */
export interface SpayError {
  ERROR: string;
  code: ErrorCode;
  field?: string;
}

/** Builds an error object; `field` is left out when the error is not about one field. */
export function spayError(code: ErrorCode, message: string, field?: string): SpayError {
  return field === undefined ? { ERROR: message, code } : { ERROR: message, code, field };
}

/** True when `value` has the shape of a SpayError. */
export function isSpayError(value: unknown): value is SpayError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SpayError).ERROR === 'string' &&
    typeof (value as SpayError).code === 'string'
  );
}

/** A validation outcome: a normalized value, or the error to report. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: SpayError };

/** Shorthands for the two sides of Checked. */
export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, field?: string): Checked<never> => ({
  ok: false,
  error: spayError(code, message, field),
});
