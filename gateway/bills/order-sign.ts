import { isSignInputError, safeEqualHex, signOrder } from '../../server-sign';
import type { App } from '../apps';
import { type Refusal, refusal } from '../http/api-answer';

// server-sign names its inputs in camelCase; answers use the request's field names.
const SIGN_INPUT_FIELDS: Record<string, string> = { appId: 'app_id', title: 'title', amount: 'amount', outTradeNo: 'out_trade_no' };

/** The signed fields of an order, checked already, with the sign it carries. */
export interface SignedFields {
  title: string;
  amount: number | string;
  outTradeNo: string;
  sign: string;
}

/**
 * Checks an order's sign against md5(app_id + title + amount + out_trade_no + app_secret) in constant time.
 * Returns undefined when it matches, else the refusal: SIGN_INVALID, or PARAM_INVALID for an input server-sign
 * will not sign (such as amount "007").
 */
export function checkOrderSign(app: App, fields: SignedFields): Refusal | undefined {
  let expected: string;
  try {
    expected = signOrder({ appId: app.appId, title: fields.title, amount: fields.amount, outTradeNo: fields.outTradeNo, appSecret: app.appSecret });
  } catch (error) {
    const field = isSignInputError(error) ? SIGN_INPUT_FIELDS[error.field] : undefined;
    if (field === undefined || !isSignInputError(error)) throw error;
    return refusal('PARAM_INVALID', `${field} ${error.rule} (got ${error.given})`, field);
  }
  if (safeEqualHex(fields.sign, expected)) return undefined;
  return refusal('SIGN_INVALID', 'sign does not match md5(app_id + title + amount + out_trade_no + app_secret)', 'sign');
}
