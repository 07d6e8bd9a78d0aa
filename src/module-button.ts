import type { ChannelKey } from './core/channels';
import { type SpayError, spayError } from './core/errors';
import type { ClickData } from './core/validate';
import { configForGateway, type WidgetConfig } from './config';
import { createPayButton, type PayButton } from './create-button';
import type { Lang } from './ui/strings';
import type { ClickEvent, ClickOutcome } from './types';

/** Settings for the ES module build; the script-tag build gets them from the gateway instead. */
export interface ModuleOptions {
  /** Your app id (public). */
  appId: string;
  /** The gateway's origin, e.g. `https://pay.example.com`. */
  gateway: string;
  /** Enabled channel keys in display order; fetched from the gateway when left out. */
  channels?: ChannelKey[];
  lang?: Lang;
  /** Receives every error, like BC.err. */
  onError?: (error: SpayError) => void;
}

let options: ModuleOptions | null = null;
let button: PayButton | null = null;
let config: Promise<WidgetConfig> | null = null;
// Bumped by closePayment and configure, so a click still waiting for the config knows it was called off.
let generation = 0;

const sameSetup = (a: ModuleOptions, b: ModuleOptions) =>
  a.appId === b.appId && a.gateway === b.gateway && a.lang === b.lang && String(a.channels) === String(b.channels);

/**
 * Sets the app and gateway and starts fetching the app's channels. Calling it again with the same
 * settings keeps what is loaded (safe in effects and StrictMode); other settings start afresh.
 */
export function configure(next: ModuleOptions): void {
  if (options && sameSetup(options, next)) {
    options = next;
    return;
  }
  closePayment();
  options = next;
  button = null;
  config = loadConfig(next).catch((fault) => ({
    ...configForGateway(next.gateway, next.appId, []),
    appError: `the gateway's config could not be loaded (${(fault as Error).message})`,
  }));
}

async function loadConfig(opts: ModuleOptions): Promise<WidgetConfig> {
  const base = configForGateway(opts.gateway, opts.appId, opts.channels ?? []);
  if (opts.channels) return base;
  const response = await fetch(`${base.apiBase}/config?appId=${encodeURIComponent(opts.appId)}`, { credentials: 'omit' });
  const remote = (await response.json()) as Partial<WidgetConfig>;
  return { ...base, channels: remote.channels ?? [], sandbox: Boolean(remote.sandbox), appError: remote.appError };
}

/** Starts a payment, exactly as BC.click does; resolves with how it ended. */
export async function click(data: ClickData, event?: ClickEvent): Promise<ClickOutcome> {
  const opts = options;
  if (!opts || !config) {
    const error = spayError('APP_INVALID', 'call configure({ appId, gateway }) before click()', 'appId');
    setTimeout(() => event?.dataError?.(error), 0);
    return { status: 'failed', error };
  }
  const called = generation;
  const loaded = await config;
  // Unmounted or reconfigured while the config was on its way: open nothing.
  if (called !== generation || options !== opts) return { status: 'cancelled' };
  button ??= createPayButton({ config: loaded, lang: opts.lang, onError: (error) => options?.onError?.(error) });
  return button.click(data, event);
}

/** Closes an open payment modal and calls off a click still starting, e.g. when the component that opened it unmounts. */
export function closePayment(): void {
  generation++;
  button?.close();
}
