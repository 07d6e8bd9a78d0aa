import type { App } from '../apps';
import { type AlipayConnector, type AlipayConnectorOptions, createAlipayConnector, isAlipayChannel } from './alipay/alipay-connector';
import type { ChannelConnector } from './connector';
import { type UnionpayConfig, createUnionpayConnector } from './unionpay';
import { type WechatConfig, createWechatConnector } from './wechat';
import { productOf } from './wechat/prepay';

/** The channel families a live connector serves, and the notify/return path segment of each. */
export type LiveFamily = 'ALI' | 'WX' | 'UN';
export const FAMILY_PATHS: Record<LiveFamily, string> = { ALI: 'alipay', WX: 'wechat', UN: 'unionpay' };

/**
 * Which connector takes a bill: an app's live connector for the channel's family when the app has credentials for
 * it (apps file `live`), else none, and the bill stays with the sandbox exactly as before. The sandbox itself is
 * not wrapped in a connector (yet): "no connector" means "sandbox".
 */
export interface ChannelRegistry {
  /**
   * The live connector for `channel` of `appId`, or undefined for the sandbox. `base` is the gateway's public base
   * for the notify URLs a connector hands out on its own (WeChat's refund notify_url, UnionPay's refund backUrl);
   * the configured publicUrl wins when there is one.
   */
  connectorFor(appId: string, channel: string, base?: string): ChannelConnector | undefined;
  /** The app's connector of one family, when it has that family live. */
  connectorOf(appId: string, family: LiveFamily, base?: string): ChannelConnector | undefined;
  /** The app's Alipay connector, when it has `live.alipay`. */
  alipay(appId: string): AlipayConnector | undefined;
  /** The app's parsed `live.wechat` (for its `h5` flag), when it has one. */
  wechatConfig(appId: string): WechatConfig | undefined;
  /** The app's parsed `live.unionpay` (to verify the buyer's return), when it has one. */
  unionpayConfig(appId: string): UnionpayConfig | undefined;
  /** The ids of apps with at least one live channel. */
  liveAppIds(): string[];
}

/** Options for the connectors the registry makes (timeouts, the public URL of notify routes). */
export interface RegistryOptions {
  alipay?: AlipayConnectorOptions;
  /** How long a WeChat or UnionPay request may take, in ms. */
  timeoutMs?: number;
  /** SPAY_PUBLIC_URL: the base of the notify URLs given to channels. */
  publicUrl?: string;
}

/** The live family of a REST channel code, or undefined for channels only the sandbox plays. */
export function liveFamilyOf(channel: string): LiveFamily | undefined {
  if (isAlipayChannel(channel)) return 'ALI';
  if (productOf(channel) !== null) return 'WX';
  if (channel === 'UN_WEB' || channel === 'UN_WAP') return 'UN';
  return undefined;
}

// Connectors with notify URLs under a request's own base (no publicUrl configured): bounded, since anyone picks the Host.
const BASES_KEPT = 8;

/** Makes each app's live connectors once, at start (the keys were parsed when the apps file was read). */
export function createChannelRegistry(apps: Iterable<App>, options: RegistryOptions = {}): ChannelRegistry {
  const alipay = new Map<string, AlipayConnector>();
  const wechat = new Map<string, WechatConfig>();
  const unionpay = new Map<string, UnionpayConfig>();
  for (const app of apps) {
    if (app.live?.alipay !== undefined) alipay.set(app.appId, createAlipayConnector(app.live.alipay, options.alipay));
    if (app.live?.wechat !== undefined) wechat.set(app.appId, app.live.wechat);
    if (app.live?.unionpay !== undefined) unionpay.set(app.appId, app.live.unionpay);
  }
  const timeouts = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const built = new Map<string, ChannelConnector>();
  const publicBase = options.publicUrl?.replace(/\/+$/, '');

  const make = (appId: string, family: 'WX' | 'UN', base: string | undefined): ChannelConnector | undefined => {
    const root = publicBase ?? base;
    const key = `${family} ${appId} ${root ?? ''}`;
    const known = built.get(key);
    if (known !== undefined) return known;
    const notifyUrl = root === undefined ? undefined : `${root}/notify/${FAMILY_PATHS[family]}/${encodeURIComponent(appId)}`;
    let connector: ChannelConnector | undefined;
    if (family === 'WX') {
      const config = wechat.get(appId);
      if (config !== undefined) connector = createWechatConnector(config, { ...timeouts, ...(notifyUrl === undefined ? {} : { refundNotifyUrl: notifyUrl }) });
    } else {
      const config = unionpay.get(appId);
      if (config !== undefined) connector = createUnionpayConnector(config, { ...timeouts, ...(notifyUrl === undefined ? {} : { notifyUrl }) });
    }
    if (connector === undefined) return undefined;
    if (built.size >= BASES_KEPT * Math.max(1, wechat.size + unionpay.size)) built.delete(built.keys().next().value as string);
    built.set(key, connector);
    return connector;
  };

  const connectorOf = (appId: string, family: LiveFamily, base?: string): ChannelConnector | undefined =>
    family === 'ALI' ? alipay.get(appId) : make(appId, family, base);

  return {
    connectorFor: (appId, channel, base) => {
      const family = liveFamilyOf(channel);
      return family === undefined ? undefined : connectorOf(appId, family, base);
    },
    connectorOf,
    alipay: (appId) => alipay.get(appId),
    wechatConfig: (appId) => wechat.get(appId),
    unionpayConfig: (appId) => unionpay.get(appId),
    liveAppIds: () => [...new Set([...alipay.keys(), ...wechat.keys(), ...unionpay.keys()])],
  };
}
