import { describeValue } from '../../src/core/describe-value';
import { type FieldResult, accept, refuseField } from './rest-fields';

const REFUND_NO = /^([0-9]{8})([A-Za-z0-9]{3,24})$/;
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The date `at` falls on in China Standard Time (UTC+8, no daylight saving), as YYYYMMDD. */
export function chinaDate(at: number): string {
  return new Date(at + CST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * Checks a `refund_no`: its date (8 digits) then a serial of 3-24 letters or digits, not all zeros. The date must be
 * today in China Standard Time or the day before or after, since merchants' servers date it in their own zone.
 */
export function checkRefundNo(value: unknown, now: number): FieldResult<string> {
  if (value === undefined || value === null || value === '') return refuseField('MISS_PARAM', 'refund_no is required (got nothing)', 'refund_no');
  const rule = 'refund_no must be the refund date (8 digits, YYYYMMDD) then a serial of 3-24 letters or digits';
  const match = typeof value === 'string' ? REFUND_NO.exec(value) : null;
  if (match === null) return refuseField('PARAM_INVALID', `${rule} (got ${describeValue(value)})`, 'refund_no');
  const [, date = '', serial = ''] = match;
  if (/^0+$/.test(serial)) return refuseField('PARAM_INVALID', `${rule}, not all zeros (got serial ${JSON.stringify(serial)})`, 'refund_no');
  const days = [chinaDate(now - DAY_MS), chinaDate(now), chinaDate(now + DAY_MS)];
  if (!days.includes(date)) {
    return refuseField(
      'PARAM_INVALID',
      `${rule}; the date must be today in China Standard Time or the day before or after (${days.join(', ')}) (got ${date})`,
      'refund_no',
    );
  }
  return accept(value as string);
}
