import { readScriptTagConfig, type WidgetConfig } from '../../src/config';
import type { SpayError } from '../../src/core/errors';
import { createPayButton } from '../../src/create-button';
import type { ClickOutcome } from '../../src/types';

/**
 * The script-tag entry as it was before the loader (src/global.ts up to commit 2c573cc): one file holding the UI,
 * defining a BC whose clicks open the dialog at once. Only the bench builds it, to measure it beside the loader.
 */

declare const __SPAY_CONFIG__: WidgetConfig | undefined;

interface BCGlobal {
  click(data: unknown, event?: unknown): Promise<ClickOutcome>;
  err(error: SpayError): void;
  version: string;
}

declare const __VERSION__: string;

(() => {
  const win = window as unknown as { BC?: BCGlobal };
  if (win.BC && typeof win.BC.click === 'function') return;
  const config =
    typeof __SPAY_CONFIG__ !== 'undefined' ? __SPAY_CONFIG__ : readScriptTagConfig(document.currentScript as HTMLScriptElement | null);
  const button = createPayButton({ config, onError: (error) => BC.err(error) });
  const BC: BCGlobal = {
    click: (data, event) => button.click(data, event),
    err: (error) => console.log(error),
    version: __VERSION__,
  };
  win.BC = BC;
  document.dispatchEvent(new Event('beecloud:onready'));
})();
