import { CHANNEL_KEYS, type ChannelKey, isChannelKey } from './channels';
import { describeValue } from './describe-value';
import { type Checked, fail, ok } from './errors';

/** A flat map the webhook carries back to the merchant untouched. */
export type Optional = Record<string, string | number | boolean>;

/** The fields of `data` that BC.click reads, in README's order; a type test keeps it equal to ClickData's keys. */
export const CLICK_DATA_FIELDS = [
  'out_trade_no',
  'title',
  'amount',
  'sign',
  'return_url',
  'optional',
  'instant_channel',
  'openid',
  'need_ali_guide',
  'use_app',
  'debug',
  'trace_id',
] as const;

/** `data` as pages pass it to BC.click; loose on purpose, since pages send numbers, strings and extras. */
export interface ClickData {
  out_trade_no: string | number;
  title: string;
  amount: number | string;
  sign: string;
  return_url?: string;
  optional?: Optional | string;
  instant_channel?: ChannelKey | '';
  openid?: string;
  need_ali_guide?: boolean | 'true' | 'false';
  use_app?: boolean | 'true' | 'false';
  debug?: boolean | 'true' | 'false';
  trace_id?: string;
  [extra: string]: unknown;
}

/** A validated order, normalized; `amount` stays exactly as the page gave it because it enters the sign so. */
export interface Order {
  outTradeNo: string;
  title: string;
  amount: number | string;
  sign: string;
  returnUrl?: string;
  optional?: Optional;
  instantChannel?: ChannelKey;
  openid?: string;
  needAliGuide: boolean;
  useApp: boolean;
  debug: boolean;
  buyerId?: string;
}

const OUT_TRADE_NO = /^[A-Za-z0-9]{8,32}$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;
// No leading zero: "007" would be signed as "007" by one side and refused by the other.
const DIGITS = /^[1-9][0-9]*$/;
export const TITLE_MAX_UNITS = 32;
export const BUYER_ID_MAX = 64;
export const OPENID_MAX = 128;
export const RETURN_URL_MAX = 1024;
export const OPTIONAL_MAX_KEYS = 50;
export const OPTIONAL_MAX_BYTES = 4096;

const isAbsent = (value: unknown): boolean => value === undefined || value === null;
const missing = (field: string): Checked<never> => fail('MISS_PARAM', `${field} is required (got nothing)`, field);

/** out_trade_no: 8-32 letters or digits; a whole JS number is taken as its digits. */
export function checkOutTradeNo(value: unknown): Checked<string> {
  if (isAbsent(value) || value === '') return missing('out_trade_no');
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text === 'string' && OUT_TRADE_NO.test(text)) return ok(text);
  return fail(
    'PARAM_INVALID',
    `out_trade_no must be 8-32 letters or digits (got ${describeValue(value)})`,
    'out_trade_no',
  );
}

/** Title length as the channels count it: ASCII 1, anything else 2 (so 16 汉字 fit in 32). */
export function titleUnits(title: string): number {
  let units = 0;
  for (const char of title) units += (char.codePointAt(0) as number) < 0x80 ? 1 : 2;
  return units;
}

/** title: a non-empty string of at most 32 units. */
export function checkTitle(value: unknown): Checked<string> {
  if (isAbsent(value) || value === '') return missing('title');
  if (typeof value !== 'string') {
    return fail('PARAM_INVALID', `title must be a string (got ${describeValue(value)})`, 'title');
  }
  if (value.trim() === '') {
    return fail('PARAM_INVALID', `title must not be blank (got ${describeValue(value)})`, 'title');
  }
  const units = titleUnits(value);
  if (units > TITLE_MAX_UNITS) {
    return fail(
      'PARAM_INVALID',
      `title must be at most ${TITLE_MAX_UNITS} units, a Chinese character counting 2 (got ${describeValue(value)}, ${units} units)`,
      'title',
    );
  }
  return ok(value);
}

/** amount: a positive whole number of fen, as a number or a digit string; returned exactly as given. */
export function checkAmount(value: unknown): Checked<number | string> {
  if (isAbsent(value) || value === '') return missing('amount');
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) return ok(value);
    if (Number.isFinite(value) && value > 0 && !Number.isInteger(value)) {
      return fail(
        'PARAM_INVALID',
        `amount must be a whole number of fen; round it first, e.g. Math.round(price * 100) (got ${value})`,
        'amount',
      );
    }
  }
  if (typeof value === 'string' && DIGITS.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value))) {
    return ok(value);
  }
  if (typeof value === 'string' && /^[0-9]*\.[0-9]+$/.test(value)) {
    return fail(
      'PARAM_INVALID',
      `amount must be a whole number of fen, not yuan with decimals; round it first (got ${describeValue(value)})`,
      'amount',
    );
  }
  return fail('PARAM_INVALID', `amount must be a positive whole number of fen (got ${describeValue(value)})`, 'amount');
}

/** The amount in fen as a number, for display and webhooks. */
export function amountInFen(amount: number | string): number {
  return typeof amount === 'number' ? amount : Number(amount);
}

/** sign: 32 hexadecimal characters, made on the merchant's server. */
export function checkSign(value: unknown): Checked<string> {
  if (isAbsent(value) || value === '') return missing('sign');
  if (typeof value === 'string' && HEX32.test(value)) return ok(value);
  return fail('PARAM_INVALID', `sign must be 32 hexadecimal characters (got ${describeValue(value)})`, 'sign');
}

/** return_url: optional absolute http(s) URL without a #fragment; its query is kept. */
export function checkReturnUrl(value: unknown): Checked<string | undefined> {
  if (isAbsent(value) || value === '') return ok(undefined);
  const rule = 'return_url must be an absolute http:// or https:// URL without a #fragment';
  if (typeof value !== 'string' || value.length > RETURN_URL_MAX) {
    return fail('PARAM_INVALID', `${rule}, at most ${RETURN_URL_MAX} chars (got ${describeValue(value)})`, 'return_url');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('PARAM_INVALID', `${rule} (got ${describeValue(value)})`, 'return_url');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !/^https?:\/\//i.test(value)) {
    return fail('PARAM_INVALID', `${rule} (got ${describeValue(value)})`, 'return_url');
  }
  if (value.includes('#')) {
    return fail('PARAM_INVALID', `${rule}; remove the fragment (got ${describeValue(value)})`, 'return_url');
  }
  return ok(value);
}

/** optional: a flat object of strings, numbers and booleans, or a JSON string of one; "" and {} mean none. */
export function checkOptional(value: unknown): Checked<Optional | undefined> {
  if (isAbsent(value) || value === '') return ok(undefined);
  const rule = 'optional must be a flat object of string, number or boolean values';
  let source = value;
  if (typeof value === 'string') {
    try {
      source = JSON.parse(value);
    } catch {
      return fail('PARAM_INVALID', `${rule}, or a JSON string of one (got ${describeValue(value)})`, 'optional');
    }
  }
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    return fail('PARAM_INVALID', `${rule} (got ${describeValue(value)})`, 'optional');
  }
  const kept: [string, string | number | boolean][] = [];
  const entries = Object.entries(source);
  if (entries.length > OPTIONAL_MAX_KEYS) {
    return fail('PARAM_INVALID', `${rule}, at most ${OPTIONAL_MAX_KEYS} keys (got ${entries.length} keys)`, 'optional');
  }
  for (const [key, item] of entries) {
    if (item === undefined) continue;
    if (typeof item === 'string' || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item))) {
      kept.push([key, item]);
      continue;
    }
    return fail('PARAM_INVALID', `${rule}; optional.${key} is not (got ${describeValue(item)})`, 'optional');
  }
  if (kept.length === 0) return ok(undefined);
  // fromEntries defines own properties, so even a key named "__proto__" survives.
  const flat: Optional = Object.fromEntries(kept);
  if (new TextEncoder().encode(JSON.stringify(flat)).length > OPTIONAL_MAX_BYTES) {
    return fail('PARAM_INVALID', `${rule}, at most ${OPTIONAL_MAX_BYTES} bytes as JSON`, 'optional');
  }
  return ok(flat);
}

/** A yes/no option: a boolean or the strings "true"/"false"; absent means `fallback`. */
export function checkFlag(field: string, value: unknown, fallback: boolean): Checked<boolean> {
  if (isAbsent(value) || value === '') return ok(fallback);
  if (value === true || value === 'true') return ok(true);
  if (value === false || value === 'false') return ok(false);
  return fail('PARAM_INVALID', `${field} must be true or false (got ${describeValue(value)})`, field);
}

/** instant_channel: one of the channel keys; "" means none. */
export function checkInstantChannel(value: unknown): Checked<ChannelKey | undefined> {
  if (isAbsent(value) || value === '') return ok(undefined);
  if (isChannelKey(value)) return ok(value);
  return fail(
    'CHANNEL_INVALID',
    `instant_channel must be one of ${CHANNEL_KEYS.join(', ')} (got ${describeValue(value)})`,
    'instant_channel',
  );
}

/** A short optional identifier (openid, trace_id/buyer_id): a string of at most `max` chars. */
export function checkShortText(field: string, value: unknown, max: number): Checked<string | undefined> {
  if (isAbsent(value) || value === '') return ok(undefined);
  if (typeof value === 'string' && value.length <= max && value.trim() !== '') return ok(value);
  return fail('PARAM_INVALID', `${field} must be a string of 1-${max} chars (got ${describeValue(value)})`, field);
}

/**
 * Validates `data` from BC.click in the order pages expect errors: the four signed fields first.
 * Returns the normalized order, or the first error.
 */
export function validateClickData(data: unknown): Checked<Order> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('PARAM_INVALID', `data must be an object of order fields (got ${describeValue(data)})`, 'data');
  }
  const input = data as Record<string, unknown>;
  const outTradeNo = checkOutTradeNo(input.out_trade_no);
  if (!outTradeNo.ok) return outTradeNo;
  const title = checkTitle(input.title);
  if (!title.ok) return title;
  const amount = checkAmount(input.amount);
  if (!amount.ok) return amount;
  const sign = checkSign(input.sign);
  if (!sign.ok) return sign;
  const returnUrl = checkReturnUrl(input.return_url);
  if (!returnUrl.ok) return returnUrl;
  const optional = checkOptional(input.optional);
  if (!optional.ok) return optional;
  const instantChannel = checkInstantChannel(input.instant_channel);
  if (!instantChannel.ok) return instantChannel;
  const openid = checkShortText('openid', input.openid, OPENID_MAX);
  if (!openid.ok) return openid;
  const buyerId = checkShortText('trace_id', input.trace_id, BUYER_ID_MAX);
  if (!buyerId.ok) return buyerId;
  const needAliGuide = checkFlag('need_ali_guide', input.need_ali_guide, true);
  if (!needAliGuide.ok) return needAliGuide;
  const useApp = checkFlag('use_app', input.use_app, true);
  if (!useApp.ok) return useApp;
  const debug = checkFlag('debug', input.debug, false);
  if (!debug.ok) return debug;
  return ok(
    dropUndefined({
      outTradeNo: outTradeNo.value,
      title: title.value,
      amount: amount.value,
      sign: sign.value,
      returnUrl: returnUrl.value,
      optional: optional.value,
      instantChannel: instantChannel.value,
      openid: openid.value,
      buyerId: buyerId.value,
      needAliGuide: needAliGuide.value,
      useApp: useApp.value,
      debug: debug.value,
    }),
  );
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
