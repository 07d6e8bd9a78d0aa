// The qrcode package's encoder alone, without its canvas and SVG renderers, which the widget does not use.
declare module 'qrcode/lib/core/qrcode' {
  /** The QR symbol for `text`: its modules as a square matrix (dark when truthy). */
  export function create(
    text: string,
    options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' },
  ): { modules: { size: number; get(row: number, col: number): number | boolean } };
}
