import { readScriptTagConfig, type WidgetConfig } from './config';
import type { SpayError } from './core/errors';
import { createQueuedButton, type UiModule } from './queued-button';
import type { ClickOutcome } from './types';

/**
 * The script-tag entry, the loader: the only module that touches window. It defines BC, fires beecloud:onready and
 * starts fetching the UI module (script-ui.ts) in the next task, which the parser does not wait for; clicks made
 * before it arrives wait for it. Nothing else is in this file, because pages put it in <head>, where every byte delays them.
 */

declare const __SPAY_CONFIG__: WidgetConfig | undefined;
/** The UI module's file name, with its content hash, set by the build. */
declare const __UI_FILE__: string;
declare const __VERSION__: string;

interface BCGlobal {
  click(data: unknown, event?: unknown): Promise<ClickOutcome>;
  err(error: SpayError): void;
  version: string;
}

(() => {
  const win = window as unknown as { BC?: BCGlobal };
  if (win.BC && typeof win.BC.click === 'function') return;
  // The gateway wraps this file with the app's config; a static copy reads its own script tag.
  const config =
    typeof __SPAY_CONFIG__ !== 'undefined' ? __SPAY_CONFIG__ : readScriptTagConfig(document.currentScript as HTMLScriptElement | null);
  const button = createQueuedButton(
    (): Promise<UiModule> => import(/* @vite-ignore */ `${config.assetBase}${__UI_FILE__}`),
    { config, onError: (error) => BC.err(error) },
  );
  const BC: BCGlobal = {
    click: (data, event) => button.click(data, event),
    err: (error) => console.log(error),
    version: __VERSION__,
  };
  win.BC = BC;
  document.dispatchEvent(new Event('beecloud:onready'));
})();
