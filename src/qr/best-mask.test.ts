import { createRequire } from 'node:module';
import fc from 'fast-check';
import { create } from 'qrcode/lib/core/qrcode';
import { describe, expect, it } from 'vitest';
import { bestMask, penalty, remask } from './best-mask';

// The package's own scoring and matrix, to hold ours against; the widget never loads these.
const require = createRequire(import.meta.url);
const scoring = require('qrcode/lib/core/mask-pattern') as Record<`getPenaltyN${1 | 2 | 3 | 4}`, (matrix: unknown) => number>;
const BitMatrix = require('qrcode/lib/core/bit-matrix') as new (size: number) => { size: number; data: Uint8Array };

function packagePenalty(cells: Uint8Array, size: number): number {
  const matrix = new BitMatrix(size);
  matrix.data.set(cells);
  return scoring.getPenaltyN1(matrix) + scoring.getPenaltyN2(matrix) + scoring.getPenaltyN3(matrix) + scoring.getPenaltyN4(matrix);
}

const byteSymbol = (text: string, maskPattern?: number) =>
  create([{ data: text, mode: 'byte' }], maskPattern === undefined ? { errorCorrectionLevel: 'M' } : { errorCorrectionLevel: 'M', maskPattern });

describe('penalty', () => {
  it('scores any square of modules as the qrcode package does', () => {
    const square = fc
      .integer({ min: 1, max: 45 })
      .chain((size) => fc.tuple(fc.constant(size), fc.uint8Array({ minLength: size * size, maxLength: size * size, max: 1 })));
    fc.assert(
      fc.property(square, ([size, cells]) => {
        expect(penalty(cells, size)).toBe(packagePenalty(cells, size));
      }),
      { numRuns: 300 },
    );
  });

  it('scores the runs, blocks and finder-like patterns of a hand-made square', () => {
    // 11 modules a side: row 0 is the pattern 1011101 then four light; all other rows are light.
    const size = 11;
    const cells = new Uint8Array(size * size);
    [1, 0, 1, 1, 1, 0, 1].forEach((bit, col) => (cells[col] = bit));
    expect(penalty(cells, size)).toBe(packagePenalty(cells, size));
    expect(penalty(cells, size)).toBeGreaterThan(40);
  });
});

describe('remask', () => {
  it('turns a symbol made with one mask into the one the package makes with another', () => {
    const text = 'weixin://wxpay/bizpayurl?pr=8ZQpZmAzz';
    for (let to = 0; to < 8; to++) {
      const { modules } = byteSymbol(text, 0);
      remask(modules, 0, to);
      expect(Array.from(modules.data)).toEqual(Array.from(byteSymbol(text, to).modules.data));
    }
  });
});

describe('bestMask', () => {
  it('picks the mask the qrcode package picks, for texts of every length and script', () => {
    const text = fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }), fc.webUrl());
    fc.assert(
      fc.property(text, (value) => {
        const { modules } = byteSymbol(value, 3);
        expect(bestMask(modules, 3)).toBe(byteSymbol(value).maskPattern);
      }),
      { numRuns: 200 },
    );
  });
});
