import { type ChannelKey, isChannelKey } from './core/channels';

/** The app's public configuration, served with the widget by the gateway. Never holds a secret. */
export interface WidgetConfig {
  appId: string;
  channels: ChannelKey[];
  /** Base of the button API, e.g. `https://pay.example.com/1/pay/jsbutton`. */
  apiBase: string;
  /** Where lazily loaded files (the QR encoder) live, ending in `/`. */
  assetBase: string;
  sandbox: boolean;
  /** Set when the gateway did not know the appId: every click reports APP_INVALID. */
  appError?: string;
}

const API_PATH = '/1/pay/jsbutton';

/** Builds a config for a gateway origin such as `https://pay.example.com`. */
export function configForGateway(gateway: string, appId: string, channels: ChannelKey[]): WidgetConfig {
  const origin = gateway.replace(/\/+$/, '').replace(/\/1\/pay\/jsbutton$/, '');
  return {
    appId,
    channels,
    apiBase: origin + API_PATH,
    assetBase: `${origin}${API_PATH}/assets/`,
    sandbox: false,
  };
}

/**
 * Reads the config from the widget's own script tag when it is served as a plain static file:
 * `data-app-id`, `data-gateway` (origin; defaults to the script's own) and `data-channels` ("ali,wxmp").
 */
export function readScriptTagConfig(script: HTMLScriptElement | null): WidgetConfig {
  const src = script?.src ? new URL(script.src, location.href) : null;
  const appId = script?.getAttribute('data-app-id') || src?.searchParams.get('appId') || '';
  const gateway = script?.getAttribute('data-gateway') || src?.origin || location.origin;
  const channels = (script?.getAttribute('data-channels') || '')
    .split(',')
    .map((key) => key.trim())
    .filter(isChannelKey);
  const config = configForGateway(gateway, appId, channels);
  if (!appId) config.appError = 'the script tag names no app: add data-app-id="…" to it';
  else if (channels.length === 0) config.appError = 'the script tag names no channel: add data-channels="ali,wxmp" to it';
  return config;
}
