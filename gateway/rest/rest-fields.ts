import { describeValue } from '../../src/core/describe-value';
import type { Checked } from '../../src/core/errors';
import { type Refusal, refusal } from '../http/api-answer';
import type { ResultName } from '../result-codes';

/** A REST field read and checked, or the refusal naming the field and its rule. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/** A request's fields: the JSON body of a POST, or the `para` object of a GET. */
export type RestFields = Record<string, unknown>;

const isAbsent = (value: unknown): boolean => value === undefined || value === null || value === '';
const DIGITS = /^(0|[1-9][0-9]*)$/;

/** Shorthands for the two sides of a FieldResult. */
export const accept = <T>(value: T): FieldResult<T> => ({ ok: true, value });
export const refuseField = (result: Refusal['result'], detail: string, field: string): FieldResult<never> => ({
  ok: false,
  refusal: refusal(result, detail, field),
});

/**
 * A whole number (REST `Integer`/`Long`): a JSON number, or a digit string as some SDKs send it. Absent gives
 * `fallback` (undefined when the field is optional), or MISS_PARAM when `required`.
 */
export function readWhole(fields: RestFields, field: string, rule: { min: number; max?: number; required?: boolean }): FieldResult<number | undefined> {
  const value = fields[field];
  if (isAbsent(value)) return rule.required ? refuseField('MISS_PARAM', `${field} is required (got nothing)`, field) : accept(undefined);
  const number = typeof value === 'number' ? value : typeof value === 'string' && DIGITS.test(value) ? Number(value) : Number.NaN;
  const range = rule.max === undefined ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
  if (!Number.isSafeInteger(number) || number < rule.min || (rule.max !== undefined && number > rule.max)) {
    const hint = typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value) ? '; round it first' : '';
    return refuseField('PARAM_INVALID', `${field} must be a whole number ${range}${hint} (got ${describeValue(value)})`, field);
  }
  return accept(number);
}

/** A REST `Bool`: true/false, or the strings "true"/"false"; absent is undefined. */
export function readBool(fields: RestFields, field: string): FieldResult<boolean | undefined> {
  const value = fields[field];
  if (isAbsent(value)) return accept(undefined);
  if (value === true || value === 'true') return accept(true);
  if (value === false || value === 'false') return accept(false);
  return refuseField('PARAM_INVALID', `${field} must be true or false (got ${describeValue(value)})`, field);
}

/** A REST `String` of at most `max` chars matching `pattern` (described by `rule`); absent is undefined unless `required`. */
export function readText(
  fields: RestFields,
  field: string,
  rule: { max: number; pattern?: RegExp; describe?: string; required?: boolean },
): FieldResult<string | undefined> {
  const value = fields[field];
  if (isAbsent(value)) return rule.required ? refuseField('MISS_PARAM', `${field} is required (got nothing)`, field) : accept(undefined);
  const describe = rule.describe ?? `a string of 1-${rule.max} chars`;
  if (typeof value !== 'string' || value.length > rule.max || value.trim() === '' || (rule.pattern !== undefined && !rule.pattern.test(value))) {
    return refuseField('PARAM_INVALID', `${field} must be ${describe} (got ${describeValue(value)})`, field);
  }
  return accept(value);
}

/** An absolute http:// or https:// URL (REST `notify_url`); absent is undefined. */
export function readHttpUrl(fields: RestFields, field: string): FieldResult<string | undefined> {
  const value = fields[field];
  if (isAbsent(value)) return accept(undefined);
  const rule = `${field} must be an absolute URL starting with http:// or https://, at most 1024 chars`;
  if (typeof value !== 'string' || value.length > 1024 || !/^https?:\/\//i.test(value)) {
    return refuseField('PARAM_INVALID', `${rule} (got ${describeValue(value)})`, field);
  }
  try {
    new URL(value);
  } catch {
    return refuseField('PARAM_INVALID', `${rule} (got ${describeValue(value)})`, field);
  }
  return accept(value);
}

/**
 * A check from src/core/validate (written for the button's names) as a REST FieldResult; `rename` turns the
 * button's field name into REST's (out_trade_no → bill_no, amount → total_fee) in both the field and the sentence.
 */
export function fromChecked<T>(checked: Checked<T>, rename?: { from: string; to: string }): FieldResult<T> {
  if (checked.ok) return accept(checked.value);
  const { error } = checked;
  const result: ResultName = error.code === 'MISS_PARAM' || error.code === 'CHANNEL_INVALID' || error.code === 'APP_INVALID' ? error.code : 'PARAM_INVALID';
  let detail = error.ERROR;
  let field = error.field ?? 'body';
  if (rename !== undefined && field === rename.from) {
    field = rename.to;
    detail = detail.split(rename.from).join(rename.to);
  }
  return { ok: false, refusal: refusal(result as Refusal['result'], detail, field) };
}

/**
 * `optional` as the SDKs send it: PHP's json_encode turns an empty `array()` into `[]`, which means none here, as
 * `{}` and `""` do; anything else goes to the button's rule (a flat object, or a JSON string of one).
 */
export function optionalField(value: unknown): unknown {
  return Array.isArray(value) && value.length === 0 ? undefined : value;
}
