import { create } from 'qrcode/lib/core/qrcode';

/** A QR code as a square of dark modules, and an SVG path drawing them (crisp at any pixel ratio). */
export interface QrMatrix {
  size: number;
  path: string;
}

/** Encodes `text` (medium error correction) and traces its dark modules as one SVG path. */
export function encodeQr(text: string): QrMatrix {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  let path = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules.get(y, x)) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { size, path };
}
