import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataWith, VALID_DATA } from '../test-support/orders';
import { CHANNEL_KEYS } from './channels';
import type { Checked, ErrorCode } from './errors';
import { checkOptional, type Order, titleUnits, validateClickData } from './validate';

const ABSENT = Symbol('absent');

/** Runs validateClickData on VALID_DATA with `field` set to `value` (or removed). */
function validateWith(field: string, value: unknown): Checked<Order> {
  return validateClickData(value === ABSENT ? dataWith({ [field]: undefined }) : dataWith({ [field]: value }));
}

function expectRefused(result: Checked<unknown>, code: ErrorCode, field: string): string {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error.code).toBe(code);
  expect(result.error.field).toBe(field);
  expect(typeof result.error.ERROR).toBe('string');
  expect(result.error.ERROR).toContain(field);
  return result.error.ERROR;
}

function expectAccepted(result: Checked<Order>): Order {
  if (!result.ok) throw new Error(`expected the data to pass, got ${result.error.ERROR}`);
  return result.value;
}

describe('out_trade_no', () => {
  it.each([
    ['8 letters and digits', 'ABCD1234', 'ABCD1234'],
    ['32 letters and digits', 'a'.repeat(16) + '0'.repeat(16), 'a'.repeat(16) + '0'.repeat(16)],
    ['lower and upper case', 'OrderNo20240601', 'OrderNo20240601'],
    ['a whole number, as its digits', 20240601001, '20240601001'],
    ['a digit string with leading zeros', '00001234', '00001234'],
  ])('accepts %s', (_, value, expected) => {
    expect(expectAccepted(validateWith('out_trade_no', value)).outTradeNo).toBe(expected);
  });

  it.each([
    ['7 chars', 'ABC1234', 'PARAM_INVALID'],
    ['33 chars', 'A'.repeat(33), 'PARAM_INVALID'],
    ['a hyphen', 'ORDER-2024-0601', 'PARAM_INVALID'],
    ['an underscore', 'ORDER_20240601', 'PARAM_INVALID'],
    ['a space', 'ORDER 20240601', 'PARAM_INVALID'],
    ['Chinese characters', '订单号码一二三四', 'PARAM_INVALID'],
    ['a fraction', 12345678.5, 'PARAM_INVALID'],
    ['a negative number', -12345678, 'PARAM_INVALID'],
    ['a number too short', 1234567, 'PARAM_INVALID'],
    ['NaN', Number.NaN, 'PARAM_INVALID'],
    ['Infinity', Number.POSITIVE_INFINITY, 'PARAM_INVALID'],
    ['a number beyond the safe integers', 2 ** 60, 'PARAM_INVALID'],
    ['an object', { id: 'ABCD1234' }, 'PARAM_INVALID'],
    ['a boolean', true, 'PARAM_INVALID'],
    ['an empty string', '', 'MISS_PARAM'],
    ['null', null, 'MISS_PARAM'],
    ['undefined', undefined, 'MISS_PARAM'],
    ['no field at all', ABSENT, 'MISS_PARAM'],
  ] as const)('refuses %s', (_, value, code) => {
    expectRefused(validateWith('out_trade_no', value), code, 'out_trade_no');
  });

  it('says what was given and the rule', () => {
    const message = expectRefused(validateWith('out_trade_no', 'abc'), 'PARAM_INVALID', 'out_trade_no');
    expect(message).toMatch(/8-32 letters or digits/);
    expect(message).toContain('"abc"');
  });
});

describe('title', () => {
  it.each([
    ['16 Chinese characters (32 units)', '汉'.repeat(16)],
    ['32 ASCII characters', 'x'.repeat(32)],
    ['15 Chinese characters and 2 ASCII (32 units)', '汉'.repeat(15) + 'ab'],
    ['a single character', 'a'],
    ['text with markup, kept as given', '<b>x</b>'],
  ])('accepts %s', (_, value) => {
    expect(expectAccepted(validateWith('title', value)).title).toBe(value);
  });

  it.each([
    ['17 Chinese characters (34 units)', '汉'.repeat(17), 'PARAM_INVALID'],
    ['33 ASCII characters', 'x'.repeat(33), 'PARAM_INVALID'],
    ['16 Chinese characters and 1 ASCII (33 units)', '汉'.repeat(16) + 'a', 'PARAM_INVALID'],
    ['31 ASCII and 1 Chinese character (33 units)', 'x'.repeat(31) + '汉', 'PARAM_INVALID'],
    ['only spaces', '   ', 'PARAM_INVALID'],
    ['only a tab and a newline', '\t\n', 'PARAM_INVALID'],
    ['a number', 12345, 'PARAM_INVALID'],
    ['an array', ['商品'], 'PARAM_INVALID'],
    ['an empty string', '', 'MISS_PARAM'],
    ['null', null, 'MISS_PARAM'],
    ['no field at all', ABSENT, 'MISS_PARAM'],
  ] as const)('refuses %s', (_, value, code) => {
    expectRefused(validateWith('title', value), code, 'title');
  });

  it.each([
    ['', 0],
    ['abc', 3],
    ['汉字', 4],
    ['a汉b', 4],
    ['é', 2],
    ['😀', 2],
    ['１２', 4],
  ])('counts %j as %i units', (title, units) => {
    expect(titleUnits(title)).toBe(units);
  });
});

describe('amount', () => {
  it.each([
    ['the number 1', 1],
    ['the string "1"', '1'],
    ['a large number of fen', 99_999_999],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER],
  ])('accepts %s and keeps it exactly as given', (_, value) => {
    expect(expectAccepted(validateWith('amount', value)).amount).toBe(value);
  });

  it.each([
    ['the string "0"', '0', 'PARAM_INVALID'],
    ['the number 0', 0, 'PARAM_INVALID'],
    ['-1', -1, 'PARAM_INVALID'],
    ['"-1"', '-1', 'PARAM_INVALID'],
    ['"abc"', 'abc', 'PARAM_INVALID'],
    ['" 1"', ' 1', 'PARAM_INVALID'],
    ['"1e3"', '1e3', 'PARAM_INVALID'],
    ['NaN', Number.NaN, 'PARAM_INVALID'],
    ['Infinity', Number.POSITIVE_INFINITY, 'PARAM_INVALID'],
    ['a number above the safe integers', 2 ** 53 + 2, 'PARAM_INVALID'],
    ['a digit string above the safe integers', '9007199254740993', 'PARAM_INVALID'],
    ['a boolean', true, 'PARAM_INVALID'],
    ['an empty string', '', 'MISS_PARAM'],
    ['null', null, 'MISS_PARAM'],
    ['no field at all', ABSENT, 'MISS_PARAM'],
  ] as const)('refuses %s', (_, value, code) => {
    expectRefused(validateWith('amount', value), code, 'amount');
  });

  it.each([
    ['1.5', 1.5],
    ['price × 100 in floating point', 19.899999999999998 * 100],
    ['1989.9999999999998', 1989.9999999999998],
    ['the string "1.00"', '1.00'],
    ['the string "19.90"', '19.90'],
  ])('refuses a fraction (%s) with a message that says to round it', (_, value) => {
    const message = expectRefused(validateWith('amount', value), 'PARAM_INVALID', 'amount');
    expect(message).toMatch(/round/i);
  });
});

describe('sign', () => {
  const hex = '0123456789abcdef0123456789abcdef';

  it.each([
    ['32 lower-case hex chars', hex],
    ['32 upper-case hex chars', hex.toUpperCase()],
    ['mixed case', 'ABCDEF0123456789abcdef0123456789'],
  ])('accepts %s', (_, value) => {
    expect(expectAccepted(validateWith('sign', value)).sign).toBe(value);
  });

  it.each([
    ['31 chars', hex.slice(1), 'PARAM_INVALID'],
    ['33 chars', `${hex}0`, 'PARAM_INVALID'],
    ['a non-hex letter', `g${hex.slice(1)}`, 'PARAM_INVALID'],
    ['surrounding spaces', ` ${hex} `, 'PARAM_INVALID'],
    ['a number', 12345678901234567890, 'PARAM_INVALID'],
    ['an empty string', '', 'MISS_PARAM'],
    ['no field at all', ABSENT, 'MISS_PARAM'],
  ] as const)('refuses %s', (_, value, code) => {
    expectRefused(validateWith('sign', value), code, 'sign');
  });
});

describe('return_url', () => {
  it.each([
    ['http', 'http://shop.example.com/done'],
    ['https', 'https://shop.example.com/done'],
    ['https with a port', 'https://shop.example.com:8443/done'],
    ['a query, kept as given', 'https://shop.example.com/done?order=7&from=pay'],
    ['an upper-case scheme', 'HTTPS://shop.example.com/done'],
  ])('accepts %s', (_, value) => {
    expect(expectAccepted(validateWith('return_url', value)).returnUrl).toBe(value);
  });

  it.each([
    ['no field at all', ABSENT],
    ['an empty string', ''],
    ['null', null],
  ])('treats %s as no return_url', (_, value) => {
    expect(expectAccepted(validateWith('return_url', value))).not.toHaveProperty('returnUrl');
  });

  it.each([
    ['a #fragment', 'https://shop.example.com/done#top'],
    ['an empty fragment', 'https://shop.example.com/done#'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', '/done'],
    ['a protocol-relative URL', '//shop.example.com/done'],
    ['ftp', 'ftp://shop.example.com/done'],
    ['a single slash after the scheme', 'https:/shop.example.com/done'],
    ['a leading space', ' https://shop.example.com/done'],
    ['over 1024 chars', `https://shop.example.com/${'a'.repeat(1024)}`],
    ['a number', 42],
  ])('refuses %s', (_, value) => {
    expectRefused(validateWith('return_url', value), 'PARAM_INVALID', 'return_url');
  });

  it('names the fragment in the message', () => {
    const message = expectRefused(validateWith('return_url', 'https://a.example/#x'), 'PARAM_INVALID', 'return_url');
    expect(message).toMatch(/fragment/);
  });
});

describe('optional', () => {
  it.each([
    ['a flat object', { a: 'x', n: 1, b: true }, { a: 'x', n: 1, b: true }],
    ['an object with an undefined value, which is dropped', { a: 'x', gone: undefined }, { a: 'x' }],
    ['a JSON string of a flat object', '{"a":"x","n":1,"b":false}', { a: 'x', n: 1, b: false }],
    ['an empty string value', { note: '' }, { note: '' }],
    ['zero and false values', { n: 0, b: false }, { n: 0, b: false }],
  ])('accepts %s', (_, value, expected) => {
    expect(expectAccepted(validateWith('optional', value)).optional).toEqual(expected);
  });

  it.each([
    ['""', ''],
    ['{}', {}],
    ['"{}"', '{}'],
    ['an object whose only value is undefined', { gone: undefined }],
    ['null', null],
    ['no field at all', ABSENT],
  ])('treats %s as none', (_, value) => {
    expect(expectAccepted(validateWith('optional', value))).not.toHaveProperty('optional');
  });

  it.each([
    ['a nested object', { a: { b: 1 } }],
    ['a nested array', { list: [1, 2] }],
    ['a null value', { a: null }],
    ['a NaN value', { a: Number.NaN }],
    ['a function value', { a: () => 1 }],
    ['an array', ['a', 'b']],
    ['an invalid JSON string', '{a:1}'],
    ['a JSON string of an array', '[1,2]'],
    ['a JSON string of a nested object', '{"a":{"b":1}}'],
    ['a JSON string of a number', '42'],
    ['a JSON string of null', 'null'],
    ['a number', 42],
    ['a boolean', true],
    ['more than 50 keys', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))],
    ['more than 4096 bytes', { big: 'x'.repeat(5000) }],
  ])('refuses %s', (_, value) => {
    expectRefused(validateWith('optional', value), 'PARAM_INVALID', 'optional');
  });

  it('names the nested key in the message', () => {
    const message = expectRefused(validateWith('optional', { deep: { b: 1 } }), 'PARAM_INVALID', 'optional');
    expect(message).toContain('optional.deep');
  });

  // Bug: checkOptional copies entries with `flat[key] = item`; for the key "__proto__" that assignment
  // sets the prototype (a no-op for a primitive) instead of an own property, so the merchant's value is
  // silently lost. Fix: build `flat` with Object.create(null) or Object.fromEntries, or use defineProperty.
  it('keeps a key named "__proto__" given in a JSON string', () => {
    const result = checkOptional('{"__proto__":"x","a":"1"}');
    expect(result.ok && result.value && Object.keys(result.value)).toEqual(['__proto__', 'a']);
  });
});

describe('flags', () => {
  it.each([
    ['need_ali_guide', 'needAliGuide', true],
    ['use_app', 'useApp', true],
    ['debug', 'debug', false],
  ] as const)('%s defaults to %s', (field, key, fallback) => {
    expect(expectAccepted(validateWith(field, ABSENT))[key]).toBe(fallback);
    expect(expectAccepted(validateWith(field, ''))[key]).toBe(fallback);
  });

  it.each(
    (['need_ali_guide', 'use_app', 'debug'] as const).flatMap((field) =>
      (
        [
          [true, true],
          ['true', true],
          [false, false],
          ['false', false],
        ] as const
      ).map(([value, expected]) => [field, value, expected] as const),
    ),
  )('%s accepts %j as %s', (field, value, expected) => {
    const key = { need_ali_guide: 'needAliGuide', use_app: 'useApp', debug: 'debug' } as const;
    expect(expectAccepted(validateWith(field, value))[key[field]]).toBe(expected);
  });

  it.each(
    (['need_ali_guide', 'use_app', 'debug'] as const).flatMap((field) =>
      ['yes', 'TRUE', 1, 0, {}].map((value) => [field, value] as const),
    ),
  )('%s refuses %j', (field, value) => {
    expectRefused(validateWith(field, value), 'PARAM_INVALID', field);
  });
});

describe('instant_channel', () => {
  it.each(CHANNEL_KEYS.map((key) => [key]))('accepts the key %s', (key) => {
    expect(expectAccepted(validateWith('instant_channel', key)).instantChannel).toBe(key);
  });

  it.each([
    ['""', ''],
    ['no field at all', ABSENT],
  ])('treats %s as none', (_, value) => {
    expect(expectAccepted(validateWith('instant_channel', value))).not.toHaveProperty('instantChannel');
  });

  it.each([
    ['an unknown key', 'alipay'],
    ['a REST code', 'ALI_WEB'],
    ['an upper-case key', 'ALI'],
    ['a number', 1],
  ])('refuses %s with CHANNEL_INVALID', (_, value) => {
    const message = expectRefused(validateWith('instant_channel', value), 'CHANNEL_INVALID', 'instant_channel');
    expect(message).toContain('ali, wxmp');
  });
});

describe('openid and trace_id', () => {
  it('keeps openid', () => {
    expect(expectAccepted(validateWith('openid', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')).openid).toBe('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
  });

  it('sends trace_id as the buyer id', () => {
    const order = expectAccepted(validateWith('trace_id', 'buyer-42'));
    expect(order.buyerId).toBe('buyer-42');
    expect(order).not.toHaveProperty('trace_id');
  });

  it.each([
    ['openid', 'x'.repeat(129)],
    ['openid', '   '],
    ['openid', 42],
    ['trace_id', 'x'.repeat(65)],
    ['trace_id', { id: 1 }],
  ])('%s refuses %j', (field, value) => {
    expectRefused(validateWith(field, value), 'PARAM_INVALID', field);
  });
});

describe('validateClickData', () => {
  it('normalizes a valid order and leaves out what was not given', () => {
    expect(validateClickData(VALID_DATA)).toEqual({
      ok: true,
      value: {
        outTradeNo: VALID_DATA.out_trade_no,
        title: VALID_DATA.title,
        amount: 1,
        sign: VALID_DATA.sign,
        needAliGuide: true,
        useApp: true,
        debug: false,
      },
    });
  });

  it('ignores unknown fields and never copies secrets into the order', () => {
    const order = expectAccepted(validateClickData(dataWith({ app_id: 'x', appId: 'y', app_secret: 'secret-value' })));
    expect(JSON.stringify(order)).not.toContain('secret-value');
  });

  // Every field invalid; fixing them one by one must reveal the errors in the design's field order,
  // the four signed fields first.
  const BROKEN = {
    out_trade_no: 'no!',
    title: '汉'.repeat(20),
    amount: 1.5,
    sign: 'not-a-sign',
    return_url: 'javascript:alert(1)',
    optional: { nested: { a: 1 } },
    instant_channel: 'paypal',
  };
  const FIXES: [string, unknown][] = [
    ['out_trade_no', VALID_DATA.out_trade_no],
    ['title', VALID_DATA.title],
    ['amount', VALID_DATA.amount],
    ['sign', VALID_DATA.sign],
    ['return_url', 'https://shop.example.com/done'],
    ['optional', { a: 1 }],
    ['instant_channel', 'ali'],
  ];
  it.each(FIXES.map(([field], index) => [field, index]))('reports %s first once the fields before it are fixed', (field, index) => {
    const data: Record<string, unknown> = { ...BROKEN };
    for (const [fixed, value] of FIXES.slice(0, index)) data[fixed] = value;
    const result = validateClickData(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.field).toBe(field);
  });

  it('reports out_trade_no first for an empty object', () => {
    expectRefused(validateClickData({}), 'MISS_PARAM', 'out_trade_no');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'out_trade_no=1'],
    ['a number', 42],
    ['an array', [VALID_DATA]],
    ['a function', () => VALID_DATA],
  ])('refuses %s as data', (_, value) => {
    expectRefused(validateClickData(value), 'PARAM_INVALID', 'data');
  });
});

describe('validateClickData on arbitrary input', () => {
  const check = (data: unknown) => {
    let result: Checked<Order> | undefined;
    expect(() => {
      result = validateClickData(data);
    }).not.toThrow();
    if (!result) return false;
    if (result.ok) return typeof result.value === 'object' && result.value !== null;
    const { error } = result;
    expect(typeof error.ERROR).toBe('string');
    expect(error.ERROR.length).toBeGreaterThan(0);
    expect(typeof error.code).toBe('string');
    if (error.field !== undefined) expect(error.ERROR).toContain(error.field);
    return true;
  };

  it('never throws and always answers ok or an error naming its field, for any value', () => {
    fc.assert(fc.property(fc.anything(), (data) => check(data)), { numRuns: 2000 });
  });

  it('never throws for objects whose fields are arbitrary values', () => {
    const field = (valid: fc.Arbitrary<unknown>) => fc.oneof(valid, fc.anything(), fc.string(), fc.double(), fc.integer());
    const data = fc.record(
      {
        out_trade_no: field(fc.stringMatching(/^[A-Za-z0-9]{8,32}$/)),
        title: field(fc.string({ minLength: 1, maxLength: 16 })),
        amount: field(fc.integer({ min: 1, max: 1_000_000 })),
        sign: field(fc.stringMatching(/^[0-9a-f]{32}$/)),
        return_url: field(fc.webUrl()),
        optional: field(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean()))),
        instant_channel: field(fc.constantFrom(...CHANNEL_KEYS)),
        openid: field(fc.string()),
        trace_id: field(fc.string()),
        need_ali_guide: field(fc.boolean()),
        use_app: field(fc.constantFrom('true', 'false')),
        debug: field(fc.boolean()),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(data, (value) => check(value)), { numRuns: 2000 });
  });

  it('accepts exactly the orders whose signed fields follow the rules', () => {
    const order = fc.record({
      out_trade_no: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{8,32}$/), fc.integer({ min: 10_000_000, max: Number.MAX_SAFE_INTEGER })),
      title: fc.string({ minLength: 1, maxLength: 16, unit: 'grapheme' }).filter((title) => title.trim() !== '' && titleUnits(title) <= 32),
      amount: fc.oneof(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 1e9 }).map(String)),
      sign: fc.stringMatching(/^[0-9a-fA-F]{32}$/),
    });
    fc.assert(
      fc.property(order, (data) => {
        const result = validateClickData(data);
        if (!result.ok) return false;
        return (
          result.value.outTradeNo === String(data.out_trade_no) &&
          result.value.title === data.title &&
          result.value.amount === data.amount &&
          result.value.sign === data.sign
        );
      }),
      { numRuns: 1000 },
    );
  });
});
