import { describe, expect, it } from 'vitest';
import { formatYuan, pickLang, STRINGS } from './strings';

describe('formatYuan', () => {
  it.each([
    [1, '¥0.01'],
    [10, '¥0.10'],
    [99, '¥0.99'],
    [100, '¥1.00'],
    [1005, '¥10.05'],
    [1234, '¥12.34'],
    [198999, '¥1989.99'],
    [123456789, '¥1234567.89'],
  ])('shows %i fen as %s', (fen, expected) => {
    expect(formatYuan(fen)).toBe(expected);
  });

  it('formats every amount up to ¥100 without floating-point drift', () => {
    const wrong: string[] = [];
    for (let fen = 1; fen <= 10_000; fen++) {
      const shown = formatYuan(fen);
      const [yuan, cents = ''] = shown.slice(1).split('.');
      if (Number(yuan) * 100 + Number(cents) !== fen || cents.length !== 2) wrong.push(`${fen} → ${shown}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('pickLang', () => {
  it.each([
    [undefined, undefined, 'zh'],
    ['', '', 'zh'],
    [undefined, 'zh-CN', 'zh'],
    [undefined, 'en', 'en'],
    [undefined, 'en-US', 'en'],
    [undefined, 'EN-gb', 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh', 'en-US', 'zh'],
    ['fr', undefined, 'zh'],
    [undefined, 'fr-FR', 'zh'],
  ])('option %j with page lang %j gives %s', (option, pageLang, expected) => {
    expect(pickLang(option, pageLang)).toBe(expected);
  });
});

describe('STRINGS', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(Object.keys(STRINGS.en).sort()).toEqual(Object.keys(STRINGS.zh).sort());
    for (const text of [...Object.values(STRINGS.zh), ...Object.values(STRINGS.en)]) expect(text.trim()).not.toBe('');
  });
});
