import type { Locator } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Decodes the QR code in a PNG file with a real QR decoder. */
export function decodePng(file: Buffer): string | null {
  const png = PNG.sync.read(file);
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return found?.data ?? null;
}

/** Screenshots a QR code as a phone camera would see it and decodes it. */
export async function decodeQr(code: Locator): Promise<string | null> {
  return decodePng(await code.screenshot());
}

/**
 * Screenshots a QR code in device pixels: its width, and how many pixels are neither black nor white.
 * Anti-aliased module edges would show as greys, which blur a camera's reading of the code.
 */
export async function greyPixels(code: Locator): Promise<{ width: number; grey: number }> {
  const shot = PNG.sync.read(await code.screenshot({ scale: 'device' }));
  let grey = 0;
  for (let index = 0; index < shot.data.length; index += 4) {
    const value = shot.data[index] as number;
    if (value !== 0 && value !== 255) grey++;
  }
  return { width: shot.width, grey };
}
