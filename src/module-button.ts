import { type ChannelKey } from './core/channels';
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

/** Sets the app and gateway; call once before `click`. */
export function configure(next: ModuleOptions): void {
  button?.close();
  options = next;
  button = null;
  config = null;
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
  if (!opts) {
    const error = spayError('APP_INVALID', 'call configure({ appId, gateway }) before click()', 'appId');
    setTimeout(() => event?.dataError?.(error), 0);
    return { status: 'failed', error };
  }
  if (!button) {
    config ??= loadConfig(opts).catch((fault) => ({
      ...configForGateway(opts.gateway, opts.appId, []),
      appError: `the gateway's config could not be loaded (${(fault as Error).message})`,
    }));
    const loaded = await config;
    if (options !== opts) return { status: 'cancelled' };
    button ??= createPayButton({ config: loaded, lang: opts.lang, onError: (error) => opts.onError?.(error) });
  }
  return button.click(data, event);
}

/** Closes an open payment modal, e.g. when the component that opened it unmounts. */
export function closePayment(): void {
  button?.close();
}
