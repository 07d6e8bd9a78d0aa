import { describe, expect, it } from 'vitest';
import { fenToYuan, yuanToFen } from './connector';

describe('money at a channel edge', () => {
  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [198999, '1989.99'],
    [100000000, '1000000.00'],
    [10000000000, '100000000.00'],
  ])('writes %i fen as %s yuan and reads it back', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each([[0], [-1], [1.5], [Number.NaN], [2 ** 60]])('refuses %s fen', (fen) => {
    expect(() => fenToYuan(fen)).toThrow(RangeError);
  });

  it.each([['5', 500], ['0.5', 50], [' 12.3 ', 1230]])('reads %j yuan as %i fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each([[''], ['1.001'], ['-1.00'], ['1e3'], ['01.00'], ['1,00'], ['abc'], ['1.']])('refuses %j as yuan', (yuan) => {
    expect(yuanToFen(yuan)).toBeUndefined();
  });
});
