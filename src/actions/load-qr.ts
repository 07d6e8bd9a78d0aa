import type { QrMatrix } from '../qr/qr-matrix';

declare const __SCRIPT_TAG__: boolean;
/** The QR module's file name, with its content hash, set by the build. */
declare const __QR_FILE__: string;

type Encoder = { encodeQr(text: string): QrMatrix };
let pending: Promise<Encoder> | null = null;

/**
 * Loads the QR encoder once. The script-tag build fetches it as a separate module from the gateway
 * (so pages that never show a QR never download it); the ES module build lets the bundler split it.
 */
export function loadQrEncoder(assetBase: string): Promise<Encoder> {
  if (!pending) {
    pending = (
      __SCRIPT_TAG__
        ? (import(/* @vite-ignore */ `${assetBase}${__QR_FILE__}`) as Promise<Encoder>)
        : import('../qr/qr-matrix')
    ).catch((error) => {
      pending = null;
      throw error;
    });
  }
  return pending;
}
