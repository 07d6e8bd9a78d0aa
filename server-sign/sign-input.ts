import { describeSecret, describeValue } from './describe-value';
import { SignInputError } from './sign-input-error';

const POSITIVE_DIGITS = /^[1-9][0-9]*$/;
const WHOLE_DIGITS = /^(?:0|[1-9][0-9]*)$/;

/** Returns `value` when it is a non-empty string; throws SignInputError naming `field` otherwise. */
export function requireText(field: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new SignInputError(field, 'must be a non-empty string', describeValue(value));
}

/** As requireText, but the error shows only the kind of value given, never the value. */
export function requireSecret(field: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new SignInputError(field, 'must be a non-empty string', describeSecret(value));
}

/** Returns an order amount as it enters the sign (`String(amount)`); throws unless it is a positive whole number of fen. */
export function requireAmount(field: string, value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && POSITIVE_DIGITS.test(value)) return value;
  throw new SignInputError(field, 'must be a positive whole number of fen', describeValue(value));
}

/** Returns a fee as it enters the sign; throws unless it is a whole number (zero allowed) of fen given as a number. */
export function requireFee(field: string, value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new SignInputError(field, 'must be a whole number of fen', describeValue(value));
}

/** Returns a timestamp as it enters the sign; throws unless it is a whole number of milliseconds, as a number or digits. */
export function requireTimestamp(field: string, value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && WHOLE_DIGITS.test(value)) return value;
  throw new SignInputError(field, 'must be a whole number of milliseconds', describeValue(value));
}
