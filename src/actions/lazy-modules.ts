declare const __SCRIPT_TAG__: boolean;
/** The lazily loaded files' names, with their content hashes, set by the build. */
declare const __QR_FILE__: string;
declare const __PAY_FILE__: string;

type Encoder = typeof import('../qr/index');
type PaySteps = typeof import('../pay/follow-bill');

/** Loads a module once; a failed load is forgotten, so a retry fetches it again. */
function once<T>(load: (assetBase: string) => Promise<T>): (assetBase: string) => Promise<T> {
  let pending: Promise<T> | null = null;
  return (assetBase) => {
    pending ??= load(assetBase).catch((error) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

// The script-tag build fetches these as separate modules from the gateway, so a page pays for them
// only when a buyer gets that far; the ES module build lets the merchant's bundler split them.

/** The QR encoder, for QR bills only. */
export const loadQrEncoder = once(
  (assetBase): Promise<Encoder> => (__SCRIPT_TAG__ ? import(/* @vite-ignore */ `${assetBase}${__QR_FILE__}`) : import('../qr/index')),
);

/** Everything after the bill request: reading the answer, then form, redirect, QR wait or WeChat. */
export const loadPaySteps = once(
  (assetBase): Promise<PaySteps> => (__SCRIPT_TAG__ ? import(/* @vite-ignore */ `${assetBase}${__PAY_FILE__}`) : import('../pay/follow-bill')),
);
