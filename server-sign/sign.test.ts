import { describe, expect, it } from 'vitest';
import { isMd5Hex, md5Hex, safeEqualHex, signOrder, signRestApp, verifyOrderSign, verifyRestAppSign, type OrderSignInput } from './sign';
import { SignInputError, isSignInputError } from './sign-input-error';

const ORDER: OrderSignInput = { appId: 'app-1', title: '白开水', amount: 1, outTradeNo: '201601011234', appSecret: 'top-secret' };
const SIGN = signOrder(ORDER);

describe('md5Hex', () => {
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['The quick brown fox jumps over the lazy dog', '9e107d9d372bb6826bd81d3542a419d6'],
  ])('hashes %j to the published RFC 1321 digest', (text, digest) => {
    expect(md5Hex(text)).toBe(digest);
  });
});

describe('safeEqualHex', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['equal lowercase', 'abcdef0123', 'abcdef0123', true],
    ['the same digest in another case', SIGN.toUpperCase(), SIGN, true],
    ['mixed case on both sides', 'AbCdEf', 'aBcDeF', true],
    ['one digit different', 'abcdef0123', 'abcdef0124', false],
    ['different lengths', 'abcdef', 'abcdef0', false],
    ['a prefix of the digest', SIGN.slice(0, 16), SIGN, false],
    ['two empty strings', '', '', false],
    ['non-hex strings of equal length', 'zz', 'zz', false],
    ['undefined', undefined, SIGN, false],
    ['null', SIGN, null, false],
    ['a number', 123, '123', false],
    ['a Buffer', Buffer.from(SIGN), SIGN, false],
  ])('answers %s with %s', (_case, a, b, expected) => {
    expect(safeEqualHex(a as string, b as string)).toBe(expected);
  });
});

describe('isMd5Hex', () => {
  it.each<[unknown, boolean]>([
    [SIGN, true],
    [SIGN.toUpperCase(), true],
    [SIGN.slice(1), false],
    [`${SIGN}0`, false],
    [`${SIGN.slice(1)}g`, false],
    [undefined, false],
  ])('answers %j with %s', (value, expected) => {
    expect(isMd5Hex(value)).toBe(expected);
  });
});

describe('signOrder input rules', () => {
  it.each<[string, Partial<Record<keyof OrderSignInput, unknown>>, string]>([
    ['appId missing', { appId: undefined }, 'appId must be a non-empty string (got undefined)'],
    ['appId empty', { appId: '' }, 'appId must be a non-empty string (got "")'],
    ['appId a number', { appId: 42 }, 'appId must be a non-empty string (got 42)'],
    ['title missing', { title: undefined }, 'title must be a non-empty string (got undefined)'],
    ['title empty', { title: '' }, 'title must be a non-empty string (got "")'],
    ['title null', { title: null }, 'title must be a non-empty string (got null)'],
    ['title an object', { title: { name: 'water' } }, 'title must be a non-empty string (got an object)'],
    ['amount missing', { amount: undefined }, 'amount must be a positive whole number of fen (got undefined)'],
    ['amount a fraction', { amount: 1.5 }, 'amount must be a positive whole number of fen (got 1.5)'],
    ['amount price × 100 in floating point', { amount: 19.9 * 100 }, 'amount must be a positive whole number of fen (got 1989.9999999999998)'],
    ['amount zero', { amount: 0 }, 'amount must be a positive whole number of fen (got 0)'],
    ['amount negative', { amount: -1 }, 'amount must be a positive whole number of fen (got -1)'],
    ['amount NaN', { amount: Number.NaN }, 'amount must be a positive whole number of fen (got NaN)'],
    ['amount Infinity', { amount: Number.POSITIVE_INFINITY }, 'amount must be a positive whole number of fen (got Infinity)'],
    ['amount beyond the safe integers', { amount: 2 ** 53 }, 'amount must be a positive whole number of fen (got 9007199254740992)'],
    ['amount an empty string', { amount: '' }, 'amount must be a positive whole number of fen (got "")'],
    ['amount a string with a leading zero', { amount: '01' }, 'amount must be a positive whole number of fen (got "01")'],
    ['amount the string "0"', { amount: '0' }, 'amount must be a positive whole number of fen (got "0")'],
    ['amount a decimal string', { amount: '1.00' }, 'amount must be a positive whole number of fen (got "1.00")'],
    ['amount a string with spaces', { amount: ' 1' }, 'amount must be a positive whole number of fen (got " 1")'],
    ['amount a signed string', { amount: '+1' }, 'amount must be a positive whole number of fen (got "+1")'],
    ['amount full-width digits', { amount: '１' }, 'amount must be a positive whole number of fen (got "１")'],
    ['amount a boolean', { amount: true }, 'amount must be a positive whole number of fen (got true)'],
    ['outTradeNo missing', { outTradeNo: undefined }, 'outTradeNo must be a non-empty string (got undefined)'],
    ['outTradeNo a number', { outTradeNo: 201601011234 }, 'outTradeNo must be a non-empty string (got 201601011234)'],
    ['appSecret missing', { appSecret: undefined }, 'appSecret must be a non-empty string (got undefined)'],
    ['appSecret empty', { appSecret: '' }, 'appSecret must be a non-empty string (got "")'],
    ['appSecret a number, shown by kind only', { appSecret: 123456 }, 'appSecret must be a non-empty string (got a number)'],
    ['appSecret an array, shown by kind only', { appSecret: ['s'] }, 'appSecret must be a non-empty string (got an array)'],
  ])('throws a SignInputError when %s', (_case, change, message) => {
    const field = Object.keys(change)[0];
    const act = () => signOrder({ ...ORDER, ...change } as OrderSignInput);
    expect(act).toThrow(SignInputError);
    expect(act).toThrow(TypeError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (error) {
      expect(isSignInputError(error)).toBe(true);
      expect((error as SignInputError).field).toBe(field);
      expect((error as Error).message.startsWith(`${field} `)).toBe(true);
    }
  });

  it('cuts a very long value in the message and says how long it was', () => {
    expect(() => signOrder({ ...ORDER, amount: '9'.repeat(40) + 'x'.repeat(60) })).toThrow(`(got "${'9'.repeat(40)}"…, 100 chars)`);
  });

  it('never shows a wrong secret in the message', () => {
    expect(() => signOrder({ ...ORDER, appSecret: 987654321 as unknown as string })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('987654321') }),
    );
  });
});

describe('isSignInputError', () => {
  it.each<[string, unknown, boolean]>([
    ['a SignInputError', new SignInputError('title', 'must be a non-empty string', '""'), true],
    ['an error of that name from another copy of the module', Object.assign(new TypeError('x'), { name: 'SignInputError' }), true],
    ['a plain TypeError', new TypeError('title'), false],
    ['an Error named SignInputError but not a TypeError', Object.assign(new Error('x'), { name: 'SignInputError' }), false],
    ['a string', 'SignInputError', false],
    ['undefined', undefined, false],
  ])('recognises %s: %s', (_case, value, expected) => {
    expect(isSignInputError(value)).toBe(expected);
  });

  it('carries the name SignInputError', () => {
    expect(new SignInputError('a', 'b', 'c').name).toBe('SignInputError');
  });
});

describe('verifyOrderSign', () => {
  it.each([
    ['the sign as made', SIGN],
    ['the sign in uppercase', SIGN.toUpperCase()],
  ])('accepts %s', (_case, sign) => {
    expect(verifyOrderSign({ ...ORDER, sign })).toEqual({ ok: true });
  });

  it('accepts amount "1" for a sign made with amount 1', () => {
    expect(verifyOrderSign({ ...ORDER, amount: '1', sign: SIGN })).toEqual({ ok: true });
  });

  it.each<[string, Partial<OrderSignInput>]>([
    ['another amount', { amount: 2 }],
    ['another title', { title: '白开水 ' }],
    ['another out_trade_no', { outTradeNo: '201601011235' }],
    ['another app', { appId: 'app-2' }],
    ['another secret', { appSecret: 'guess' }],
  ])('refuses the sign for %s without revealing the expected sign', (_case, change) => {
    const input = { ...ORDER, ...change };
    const result = verifyOrderSign({ ...input, sign: SIGN });
    expect(result.ok).toBe(false);
    const error = result.ok ? '' : result.error;
    expect(error).toMatch(/^sign does not match /);
    expect(error).not.toContain(signOrder(input));
    expect(error).not.toContain(SIGN);
  });

  it.each<[string, unknown, string]>([
    ['missing', undefined, 'sign must be 32 hex characters (got undefined)'],
    ['too short', 'abc', 'sign must be 32 hex characters (got "abc", 3 chars)'],
    ['not hex', 'g'.repeat(32), `sign must be 32 hex characters (got "${'g'.repeat(32)}", 32 chars)`],
    ['a number', 12345, 'sign must be 32 hex characters (got 12345)'],
  ])('refuses a sign that is %s, naming sign', (_case, sign, error) => {
    expect(verifyOrderSign({ ...ORDER, sign })).toEqual({ ok: false, error });
  });

  it.each<[string, Partial<Record<keyof OrderSignInput, unknown>>, string]>([
    ['a fractional amount', { amount: 1.5 }, 'amount must be a positive whole number of fen (got 1.5)'],
    ['a missing secret', { appSecret: undefined }, 'appSecret must be a non-empty string (got undefined)'],
    ['an empty title', { title: '' }, 'title must be a non-empty string (got "")'],
  ])('reports %s as a result instead of throwing', (_case, change, error) => {
    expect(verifyOrderSign({ ...ORDER, ...change, sign: SIGN } as OrderSignInput & { sign: string })).toEqual({ ok: false, error });
  });
});

describe('signRestApp and verifyRestAppSign', () => {
  const APP_SIGN = signRestApp('app-1', 1_451_606_400_000, 'app-secret');

  it('signs timestamp as a number and as digits alike', () => {
    expect(signRestApp('app-1', '1451606400000', 'app-secret')).toBe(APP_SIGN);
  });

  it.each<[string, unknown[], string]>([
    ['appId empty', ['', 1, 's'], 'appId must be a non-empty string (got "")'],
    ['timestamp a fraction', ['a', 1.5, 's'], 'timestamp must be a whole number of milliseconds (got 1.5)'],
    ['timestamp negative', ['a', -1, 's'], 'timestamp must be a whole number of milliseconds (got -1)'],
    ['timestamp not digits', ['a', '2016-01-01', 's'], 'timestamp must be a whole number of milliseconds (got "2016-01-01")'],
    ['secret missing', ['a', 1, undefined], 'secret must be a non-empty string (got undefined)'],
  ])('throws a SignInputError naming the field when %s', (_case, args, message) => {
    const act = () => signRestApp(...(args as [string, number, string]));
    expect(act).toThrow(SignInputError);
    expect(act).toThrow(message);
  });

  it.each<[string, unknown, { ok: boolean; error?: RegExp }]>([
    ['the app_sign as made', APP_SIGN, { ok: true }],
    ['the app_sign in uppercase', APP_SIGN.toUpperCase(), { ok: true }],
    ['an app_sign made with another secret', signRestApp('app-1', 1_451_606_400_000, 'master-secret'), { ok: false, error: /^app_sign does not match / }],
    ['a malformed app_sign', 'nope', { ok: false, error: /^app_sign must be 32 hex characters/ }],
  ])('answers %s', (_case, appSign, expected) => {
    const result = verifyRestAppSign('app-1', 1_451_606_400_000, 'app-secret', appSign);
    expect(result.ok).toBe(expected.ok);
    if (!result.ok) expect(result.error).toMatch(expected.error ?? /./);
  });

  it('reports a bad timestamp as a result instead of throwing', () => {
    expect(verifyRestAppSign('app-1', 'soon', 'app-secret', APP_SIGN)).toEqual({
      ok: false,
      error: 'timestamp must be a whole number of milliseconds (got "soon")',
    });
  });
});
