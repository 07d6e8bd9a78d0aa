import { describe, expect, it } from 'vitest';
import { RESULT_CODES, type ResultName, resultCode, resultStatus } from './result-codes';

describe('result codes', () => {
  it.each<[ResultName, number, number]>([
    ['OK', 0, 200],
    ['APP_INVALID', 1, 400],
    ['PAY_FACTOR_NOT_SET', 2, 400],
    ['CHANNEL_INVALID', 3, 400],
    ['MISS_PARAM', 4, 400],
    ['PARAM_INVALID', 5, 400],
    ['CHANNEL_ERROR', 7, 502],
    ['NO_SUCH_BILL', 8, 404],
    ['BILL_UNSUCCESS', 9, 409],
    ['ALREADY_REFUNDING', 11, 409],
    ['REFUND_AMOUNT_TOO_LARGE', 12, 409],
    ['NO_SUCH_REFUND', 13, 404],
    ['RUNTIME_ERROR', 14, 500],
    ['SIGN_INVALID', 20, 403],
    ['BILL_NOT_FOUND', 21, 404],
    ['PAYLOAD_INVALID', 22, 400],
    ['ROUTE_NOT_FOUND', 23, 404],
  ])('answers %s with result_code %i and HTTP %i', (name, code, status) => {
    expect(resultCode(name)).toBe(code);
    expect(resultStatus(name)).toBe(status);
  });

  it('keeps BeeCloud REST v2 codes and gives every name its own number', () => {
    const codes = Object.values(RESULT_CODES).map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(RESULT_CODES)).toHaveLength(17);
  });
});
