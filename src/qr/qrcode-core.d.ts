// The qrcode package's encoder alone, without its canvas and SVG renderers, which the widget does not use.
declare module 'qrcode/lib/core/qrcode' {
  /** A run of data in one encoding mode; a list of them skips the package's search for the shortest split. */
  interface Segment {
    data: string;
    mode: 'byte' | 'alphanumeric' | 'numeric' | 'kanji';
  }
  /** The QR symbol for `data`; without `maskPattern`, the package tries all eight masks. */
  export function create(
    data: string | Segment[],
    options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H'; maskPattern?: number },
  ): {
    maskPattern: number;
    /** Row-major modules, 1 for dark; `reservedBit` marks the function patterns that masks leave alone. */
    modules: { size: number; data: Uint8Array; reservedBit: Uint8Array };
  };
}

declare module 'qrcode/lib/core/format-info' {
  /** The 15 format bits for an error-correction level (`{ bit }`, as the package numbers them) and a mask. */
  export function getEncodedBits(level: { bit: number }, mask: number): number;
}
