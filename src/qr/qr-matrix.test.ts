import jsQR from 'jsqr';
import { create } from 'qrcode/lib/core/qrcode';
import { describe, expect, it } from 'vitest';
import { encodeQr, type QrMatrix } from './qr-matrix';

/** Rebuilds the dark modules from the SVG path: each run is `M{x} {y}h{w}v1h{-w}z`. */
function modulesOf(matrix: QrMatrix): boolean[][] {
  const grid = Array.from({ length: matrix.size }, () => Array<boolean>(matrix.size).fill(false));
  const run = /M(\d+) (\d+)h(\d+)v1h(-\d+)z/g;
  let consumed = 0;
  for (const match of matrix.path.matchAll(run)) {
    const [x, y, width, back] = match.slice(1).map(Number) as [number, number, number, number];
    expect(back).toBe(-width);
    for (let i = 0; i < width; i++) (grid[y] as boolean[])[x + i] = true;
    consumed += match[0].length;
  }
  expect(consumed).toBe(matrix.path.length);
  return grid;
}

/** Draws the modules as an RGBA image with a quiet zone, as the SVG does, and reads it back. */
function scan(matrix: QrMatrix, scale = 4, quiet = 4): string | null {
  const grid = modulesOf(matrix);
  const side = (matrix.size + quiet * 2) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < matrix.size; y++) {
    for (let x = 0; x < matrix.size; x++) {
      if (!grid[y]?.[x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const offset = (((y + quiet) * scale + dy) * side + (x + quiet) * scale + dx) * 4;
          pixels.fill(0, offset, offset + 3);
        }
      }
    }
  }
  return jsQR(pixels, side, side)?.data ?? null;
}

describe('encodeQr', () => {
  it.each([
    ['a WeChat Native code_url', 'weixin://wxpay/bizpayurl?pr=8ZQpZmAzz'],
    ['a sandbox cashier url', 'https://pay.example.com/sandbox/cashier/bill_9f1c2a7e4b6d8f0a1c3e5b7d9f1a3c5e'],
    ['a long url', `https://pay.example.com/x?${'a=1&'.repeat(60)}`],
  ])('draws %s so that a scanner reads it back', (_, text) => {
    expect(scan(encodeQr(text))).toBe(text);
  });

  it('draws exactly the symbol the qrcode package makes of the text as bytes, mask search included', () => {
    for (const text of ['weixin://wxpay/bizpayurl?pr=8ZQpZmAzz', '微信支付 ¥12.30 🧧', 'x'.repeat(500)]) {
      const { modules } = create([{ data: text, mode: 'byte' }], { errorCorrectionLevel: 'M' });
      const grid = modulesOf(encodeQr(text));
      expect(grid.flat().map(Number)).toEqual(Array.from(modules.data));
    }
  });

  it('is a square of 21 + 4n modules', () => {
    for (const text of ['a', 'weixin://wxpay/bizpayurl?pr=x', 'x'.repeat(300)]) {
      const { size } = encodeQr(text);
      expect((size - 21) % 4).toBe(0);
      expect(size).toBeGreaterThanOrEqual(21);
    }
  });

  it('draws the three finder patterns in the corners', () => {
    const matrix = encodeQr('weixin://wxpay/bizpayurl?pr=x');
    const grid = modulesOf(matrix);
    const last = matrix.size - 1;
    for (const [x, y] of [
      [0, 0],
      [last - 6, 0],
      [0, last - 6],
    ] as const) {
      // The outer ring of a finder pattern is dark, the ring inside it light.
      expect(grid[y]?.[x]).toBe(true);
      expect(grid[y + 6]?.[x + 6]).toBe(true);
      expect(grid[y + 1]?.[x + 1]).toBe(false);
      expect(grid[y + 3]?.[x + 3]).toBe(true);
    }
  });
});
