import { type RestChannel, WECHAT_H5_CHANNELS } from '../../src/core/channels';
import { detectEnvironment } from '../../src/core/environment';
import type { App } from '../apps';

const WECHAT_KEYS = ['wxmp', 'wx', 'bcwxmp', 'bcwx'] as const;

/** Whether the app takes WeChat H5 bills: live WeChat with `"h5": true`, and a WeChat channel key enabled. */
export function hasWechatH5(app: App): boolean {
  return app.live?.wechat?.h5 === true && app.channels.some((key) => (WECHAT_KEYS as readonly string[]).includes(key));
}

/** Whether `channel` is WeChat H5 (WX_WAP, the manual's BC_WX_WAP). */
export function isWechatH5(channel: string): boolean {
  return (WECHAT_H5_CHANNELS as readonly string[]).includes(channel);
}

/**
 * The channel a button bill is made on. The widget resolves `wxmp` to WX_NATIVE everywhere outside WeChat (it does
 * not know the app's live settings); the gateway, which does, turns it into WeChat H5 (WX_WAP, answered with a
 * `url`) for a phone browser outside WeChat when the app has H5 enabled. Everything else stays as the widget chose.
 */
export function buttonChannel(app: App, channel: RestChannel, userAgent: string | null): RestChannel {
  if (channel !== 'WX_NATIVE' || !hasWechatH5(app)) return channel;
  const env = detectEnvironment(userAgent ?? '');
  return env.mobile && !env.wechat && !env.ipad ? 'WX_WAP' : channel;
}
