import { CHANNELS, CHANNEL_KEYS, type ChannelKey, isChannelKey } from '../../src/core/channels';
import { randomInt } from 'node:crypto';
import { signOrder } from '../../server-sign';
import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import type { GatewayRequest } from '../http/gateway-request';
import type { AppSettings } from '../stores/store';
import { SCRIPT_CACHE_CONTROL } from '../widget/widget-files';
import { changeBody, consoleError, consoleJson, isAnswer, signedIn, withCookie } from './console-http';

/** How long a page may keep the script it loaded before it asks again, in seconds (SCRIPT_CACHE_CONTROL's max-age). */
export const SCRIPT_MAX_AGE_S = Number(/max-age=(\d+)/.exec(SCRIPT_CACHE_CONTROL)?.[1] ?? 300);

/**
 * GET /console/api/settings: the app's channels (in order) and webhook URL as in effect, where each comes from (the
 * apps file or the console), every channel key there is, the script tag to copy, and whether the store keeps them.
 */
export function showSettings(context: GatewayContext, request: GatewayRequest, base: string): Answer {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  return withCookie(consoleJson(settingsView(context, who.app.appId, base)), who);
}

function settingsView(context: GatewayContext, appId: string, base: string) {
  const app = context.apps.get(appId);
  const settings = context.directory?.settingsOf(appId);
  const file = context.directory?.fileApps.get(appId) ?? app;
  return {
    channels: app?.channels ?? [],
    channels_from: settings?.channels === undefined ? 'file' : 'console',
    file_channels: file?.channels ?? [],
    webhook_url: app?.webhookUrl ?? null,
    webhook_url_from: settings?.webhook_url === undefined ? 'file' : 'console',
    file_webhook_url: file?.webhookUrl ?? null,
    all_channels: CHANNEL_KEYS.map((key) => ({ key, label: CHANNELS[key].label, label_en: CHANNELS[key].labelEn })),
    script_tag: `<script src="${base}/1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(appId)}"></script>`,
    script_max_age_s: SCRIPT_MAX_AGE_S,
    store: { kind: context.store.description.split(' ')[0], durable: context.store.durable },
    updated_at: settings?.updated_at ?? null,
  };
}

/**
 * POST /console/api/settings `{ channels?, webhook_url?, reset? }`: sets the enabled channel keys in order and the
 * webhook URL in the store, where they win over the apps file; `reset` names fields (`channels`, `webhook_url`) to
 * give back to the file. New bills see the change at once; scripts already cached within SCRIPT_MAX_AGE_S.
 */
export async function saveSettings(context: GatewayContext, request: GatewayRequest, base: string): Promise<Answer> {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const body = await changeBody(request);
  if (isAnswer(body)) return withCookie(body, who);
  const appId = who.app.appId;
  const current = (await context.store.getAppSettings(appId)) ?? { app_id: appId, updated_at: '' };
  const next: AppSettings = { ...current, updated_at: new Date().toISOString() };
  const changed: string[] = [];
  if (body.channels !== undefined) {
    const channels = body.channels;
    const rule = `channels must be a non-empty list of distinct channel keys (${CHANNEL_KEYS.join(', ')})`;
    if (!Array.isArray(channels) || channels.length === 0 || !channels.every(isChannelKey) || new Set(channels).size !== channels.length) {
      return withCookie(consoleError(400, `${rule} (got ${JSON.stringify(channels).slice(0, 100)})`, 'channels'), who);
    }
    next.channels = [...(channels as ChannelKey[])];
    changed.push(`channels ${next.channels.join(',')}`);
  }
  if (body.webhook_url !== undefined) {
    const url = typeof body.webhook_url === 'string' ? body.webhook_url.trim() : '';
    if (!isHttpUrl(url)) return withCookie(consoleError(400, `webhook_url must be an absolute http:// or https:// URL (got ${JSON.stringify(String(body.webhook_url).slice(0, 100))})`, 'webhook_url'), who);
    next.webhook_url = url;
    // The host only: a webhook URL may carry a token in its path or query.
    changed.push(`webhook URL to host ${new URL(url).host}`);
  }
  const reset = Array.isArray(body.reset) ? body.reset : [];
  if (reset.includes('channels')) {
    delete next.channels;
    changed.push('channels back to the apps file');
  }
  if (reset.includes('webhook_url')) {
    delete next.webhook_url;
    changed.push('webhook URL back to the apps file');
  }
  if (changed.length === 0) return withCookie(consoleError(400, 'nothing to change: give channels, webhook_url or reset'), who);
  await context.store.putAppSettings(next);
  context.directory?.apply(next);
  context.log(`console: app ${appId} (${who.by}) set ${changed.join('; ')}`);
  // Webhooks owed while the app had no URL may now be sent.
  context.webhooks.kick();
  return withCookie(consoleJson(settingsView(context, appId, base)), who);
}

/**
 * POST /console/api/try: a signed sandbox-sized order (0.01 yuan, out_trade_no starting TRY) for the settings page's
 * "try it" button, which opens the picker with it. Signed here, so the app secret never reaches the page.
 */
export function tryOrder(context: GatewayContext, request: GatewayRequest, base: string): Answer {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const title = '控制台试付';
  const amount = 1;
  const outTradeNo = `TRY${Date.now()}${randomInt(100_000, 1_000_000)}`;
  const sign = signOrder({ appId: who.app.appId, title, amount, outTradeNo, appSecret: who.app.appSecret });
  context.log(`console: app ${who.app.appId} (${who.by}) made a try-it order ${outTradeNo}`);
  return withCookie(consoleJson({ order: { title, amount, out_trade_no: outTradeNo, sign, return_url: `${base}/console/` }, script: `../1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(who.app.appId)}` }), who);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
