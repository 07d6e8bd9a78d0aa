import { create } from 'qrcode/lib/core/qrcode';
import { bestMask, remask } from './best-mask';

/** A QR code as a square of dark modules, and an SVG path drawing them (crisp at any pixel ratio). */
export interface QrMatrix {
  size: number;
  path: string;
}

/**
 * Encodes `text` as bytes (medium error correction) and traces its dark modules as one SVG path.
 * The package lays out the symbol with a fixed mask; the mask is then chosen by `bestMask`, which
 * scores the same rules in far less time on an engine that has not yet compiled them.
 */
export function encodeQr(text: string): QrMatrix {
  const { modules } = create([{ data: text, mode: 'byte' }], { errorCorrectionLevel: 'M', maskPattern: 0 });
  remask(modules, 0, bestMask(modules, 0));
  const { size, data } = modules;
  let path = '';
  for (let y = 0; y < size; y++) {
    const row = y * size;
    let x = 0;
    while (x < size) {
      if (!data[row + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && data[row + x]) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { size, path };
}
