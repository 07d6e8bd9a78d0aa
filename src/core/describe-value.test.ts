import { describe, expect, it } from 'vitest';
import { describeValue } from './describe-value';

describe('describeValue', () => {
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    ['abc', '"abc", 3 chars'],
    ['', '"", 0 chars'],
    ['汉字', '"汉字", 2 chars'],
    ['say "hi"', '"say \\"hi\\"", 8 chars'],
    [42, '42'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [true, 'true'],
    [10n, '10'],
    [[1, 2, 3], 'an array of 3'],
    [{ a: 1 }, 'an object'],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
  ])('describes %s as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('cuts a long string to 40 chars but gives its full length', () => {
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(40)}…", 100 chars`);
  });

  it('never shows the fields of an object, which may hold secrets', () => {
    expect(describeValue({ app_secret: 'topsecret' })).not.toContain('topsecret');
  });
});
