import type { App } from '../apps';
import { type AlipayConnector, type AlipayConnectorOptions, createAlipayConnector, isAlipayChannel } from './alipay/alipay-connector';
import type { ChannelConnector } from './connector';

/**
 * Which connector takes a bill: an app's live connector for the channel's family when the app has credentials for
 * it (apps file `live`), else none, and the bill stays with the sandbox exactly as before. The sandbox itself is
 * not wrapped in a connector (yet): "no connector" means "sandbox".
 */
export interface ChannelRegistry {
  /** The live connector for `channel` of `appId`, or undefined for the sandbox. */
  connectorFor(appId: string, channel: string): ChannelConnector | undefined;
  /** The app's Alipay connector, when it has `live.alipay`. */
  alipay(appId: string): AlipayConnector | undefined;
  /** The ids of apps with at least one live channel. */
  liveAppIds(): string[];
}

/** Options for the connectors the registry makes (timeouts). */
export interface RegistryOptions {
  alipay?: AlipayConnectorOptions;
}

/** Makes each app's live connectors once, at start (the keys were parsed when the apps file was read). */
export function createChannelRegistry(apps: Iterable<App>, options: RegistryOptions = {}): ChannelRegistry {
  const alipay = new Map<string, AlipayConnector>();
  for (const app of apps) {
    if (app.live?.alipay !== undefined) alipay.set(app.appId, createAlipayConnector(app.live.alipay, options.alipay));
  }
  return {
    connectorFor: (appId, channel) => (isAlipayChannel(channel) ? alipay.get(appId) : undefined),
    alipay: (appId) => alipay.get(appId),
    liveAppIds: () => [...alipay.keys()],
  };
}
