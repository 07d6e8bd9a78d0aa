import { readScriptTagConfig, type WidgetConfig } from './config';
import type { SpayError } from './core/errors';
import { createPayButton } from './create-button';
import type { ClickOutcome } from './types';

/** The script-tag entry, the only module that touches window: defines BC and fires beecloud:onready. */

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
  // The gateway wraps this file with the app's config; a static copy reads its own script tag.
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
