import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CHANNEL_KEYS, type ChannelKey, isChannelKey } from '../src/core/channels';
import { describeValue } from '../src/core/describe-value';
import { type AlipayCredentials, parseAlipayCredentials } from './channels/alipay/credentials';
import { type UnionpayConfig, parseUnionpayConfig } from './channels/unionpay';
import { type WechatConfig, parseWechatConfig } from './channels/wechat';

/**
 * A merchant app: its public id, its secrets, the channel keys it enables (in display order), and where webhooks go.
 * `testSecret` signs REST test-mode calls (`/2/rest/sandbox/…`); without it the app has no test mode.
 */
export interface App {
  appId: string;
  appSecret: string;
  masterSecret: string;
  testSecret?: string;
  channels: ChannelKey[];
  webhookUrl?: string;
  /** The channel families this app takes live, with their credentials; the others stay with the sandbox. */
  live?: LiveCredentials;
}

/** An app's live channel credentials (apps file `live`), checked and with keys parsed at start. */
export interface LiveCredentials {
  alipay?: AlipayCredentials;
  wechat?: WechatConfig;
  unionpay?: UnionpayConfig;
}

/** Where relative key and certificate paths in `live` entries start: the apps file's folder (default the working directory). */
export interface ParseAppsOptions {
  baseDir?: string;
}

/** The app the gateway serves when no SPAY_APPS file is configured; its secrets are public on purpose (sandbox only). */
export const DEMO_APP: Readonly<App> = Object.freeze({
  appId: 'spay-demo-app',
  appSecret: 'spay-demo-app-secret',
  masterSecret: 'spay-demo-master-secret',
  channels: ['ali', 'wxmp', 'wx', 'un', 'jd', 'bd', 'yee'] as ChannelKey[],
});

const APP_FIELDS = ['appId', 'appSecret', 'masterSecret', 'testSecret', 'channels', 'webhookUrl', 'live'];
const LIVE_FIELDS = ['alipay', 'wechat', 'unionpay'];

/**
 * The apps to serve: the JSON array in the file named by `SPAY_APPS`, or the demo app (with
 * `SPAY_DEMO_WEBHOOK_URL` as its webhook URL when set). Throws an Error naming the file, app index, field and rule.
 */
export function loadApps(env: Record<string, string | undefined>): App[] {
  const file = env.SPAY_APPS;
  if (file === undefined || file === '') {
    const webhookUrl = env.SPAY_DEMO_WEBHOOK_URL;
    const demo: App = { ...DEMO_APP, channels: [...DEMO_APP.channels] };
    if (webhookUrl !== undefined && webhookUrl !== '') demo.webhookUrl = checkWebhookUrl(webhookUrl, 'SPAY_DEMO_WEBHOOK_URL');
    return [demo];
  }
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`SPAY_APPS names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`SPAY_APPS file ${path} must be JSON (${(error as Error).message})`);
  }
  try {
    return parseApps(value, { baseDir: dirname(path) });
  } catch (error) {
    throw new Error(`SPAY_APPS file ${path}: ${(error as Error).message}`);
  }
}

/** Checks a parsed apps list; returns fresh App objects, throws an Error naming the index, field and rule. */
export function parseApps(value: unknown, options: ParseAppsOptions = {}): App[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`the apps must be a non-empty JSON array of app objects (got ${kind(value)})`);
  }
  const apps = value.map((item, index) => parseApp(item, `apps[${index}]`, options));
  const seen = new Set<string>();
  apps.forEach((app, index) => {
    if (seen.has(app.appId)) throw new Error(`apps[${index}].appId must be unique (got ${JSON.stringify(app.appId)} twice)`);
    seen.add(app.appId);
  });
  return apps;
}

function parseApp(item: unknown, at: string, options: ParseAppsOptions): App {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new Error(`${at} must be an object with appId, appSecret, masterSecret, channels (got ${kind(item)})`);
  }
  const fields = item as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !APP_FIELDS.includes(key));
  if (unknown !== undefined) throw new Error(`${at}.${unknown} is not a known field (known: ${APP_FIELDS.join(', ')})`);
  const app: App = {
    appId: requireText(fields.appId, `${at}.appId`),
    appSecret: requireText(fields.appSecret, `${at}.appSecret`, true),
    masterSecret: requireText(fields.masterSecret, `${at}.masterSecret`, true),
    channels: requireChannels(fields.channels, `${at}.channels`),
  };
  if (fields.testSecret !== undefined) app.testSecret = requireText(fields.testSecret, `${at}.testSecret`, true);
  if (fields.webhookUrl !== undefined) app.webhookUrl = checkWebhookUrl(fields.webhookUrl, `${at}.webhookUrl`);
  if (fields.live !== undefined) {
    try {
      app.live = parseLive(fields.live, `${at}.live`, options);
    } catch (error) {
      // The index alone is hard to find in a long file: name the app too.
      throw new Error(`${(error as Error).message} (app ${JSON.stringify(app.appId)})`);
    }
  }
  return app;
}

function parseLive(value: unknown, at: string, options: ParseAppsOptions): LiveCredentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at} must be an object with a key per live channel family (got ${kind(value)})`);
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !LIVE_FIELDS.includes(key));
  if (unknown !== undefined) throw new Error(`${at}.${unknown} is not a live channel this gateway supports (known: ${LIVE_FIELDS.join(', ')})`);
  const live: LiveCredentials = {};
  if (fields.alipay !== undefined) live.alipay = parseAlipayCredentials(fields.alipay, `${at}.alipay`);
  const paths = options.baseDir === undefined ? {} : { baseDir: options.baseDir };
  if (fields.wechat !== undefined) live.wechat = parseWechatConfig(fields.wechat, `${at}.wechat`, paths);
  if (fields.unionpay !== undefined) live.unionpay = parseUnionpayConfig(fields.unionpay, `${at}.unionpay`, paths);
  return live;
}

function requireText(value: unknown, at: string, secret = false): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  // A wrong secret is described by its kind only, so that it never lands in a log.
  const given = secret ? secretKind(value) : kind(value);
  throw new Error(`${at} must be a non-empty string (got ${given})`);
}

function requireChannels(value: unknown, at: string): ChannelKey[] {
  const rule = `${at} must be a non-empty array of distinct channel keys (${CHANNEL_KEYS.join(', ')})`;
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${rule} (got ${kind(value)})`);
  value.forEach((key, index) => {
    if (!isChannelKey(key)) throw new Error(`${rule}; ${at}[${index}] is not one (got ${kind(key)})`);
    if (value.indexOf(key) !== index) throw new Error(`${rule}; ${at}[${index}] repeats ${JSON.stringify(key)}`);
  });
  return [...(value as ChannelKey[])];
}

function checkWebhookUrl(value: unknown, at: string): string {
  const rule = `${at} must be an absolute http:// or https:// URL`;
  if (typeof value !== 'string') throw new Error(`${rule} (got ${kind(value)})`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${rule} (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${rule} (got ${JSON.stringify(value)})`);
  return value;
}

function kind(value: unknown): string {
  return Array.isArray(value) ? `an array of ${value.length}` : describeValue(value);
}

function secretKind(value: unknown): string {
  if (typeof value === 'string') return 'a blank string';
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
