import { CHANNELS, type ChannelKey, JSAPI_CHANNELS, type Place, type RestChannel } from './channels';
import { type Checked, fail, ok } from './errors';

/** A channel the buyer can choose here: its key, label and the REST code it resolves to. */
export interface UsableChannel {
  key: ChannelKey;
  rest: RestChannel;
  label: string;
  labelEn: string;
}

/** What to do after resolution: show a picker, or go straight to one channel. */
export type Resolution = { kind: 'pick'; channels: UsableChannel[] } | { kind: 'go'; channel: UsableChannel };

const usable = (key: ChannelKey, place: Place): UsableChannel | null => {
  const spec = CHANNELS[key];
  const rest = spec[place];
  return rest ? { key, rest, label: spec.label, labelEn: spec.labelEn } : null;
};

/**
 * The app's enabled keys turned into what this buyer can use, in configured order.
 * QR keys give way to WeChat JSAPI inside WeChat when an openid is given, JSAPI keys are dropped
 * without one; duplicates collapse.
 */
export function usableChannels(enabled: readonly ChannelKey[], place: Place, openid?: string): UsableChannel[] {
  const jsapiKeys = enabled.filter((key) => key === 'wx' || key === 'bcwx');
  const jsapiReady = place === 'wechat' && jsapiKeys.length > 0 && Boolean(openid);
  const list: UsableChannel[] = [];
  for (const key of enabled) {
    if (jsapiReady && (key === 'wxmp' || key === 'bcwxmp')) continue;
    // Without the buyer's openid JSAPI cannot work, so the picker offers the QR instead.
    if (!openid && (key === 'wx' || key === 'bcwx')) continue;
    const channel = usable(key, place);
    if (channel && !list.some((seen) => seen.rest === channel.rest)) list.push(channel);
  }
  return list;
}

/**
 * Decides between the picker and going straight on: instant_channel, WeChat JSAPI with an openid,
 * or a single usable channel skip the picker. Errors name instant_channel when it cannot be used.
 */
export function resolveChannels(
  enabled: readonly ChannelKey[],
  place: Place,
  options: { instantChannel?: ChannelKey; openid?: string },
): Checked<Resolution> {
  const list = usableChannels(enabled, place, options.openid);
  if (options.instantChannel) {
    const key = jsapiInsteadOfQr(options.instantChannel, enabled, place, options.openid);
    if (!enabled.includes(key)) {
      return fail(
        'CHANNEL_UNAVAILABLE',
        `instant_channel "${key}" is not enabled for this app (enabled: ${enabled.join(', ') || 'none'})`,
        'instant_channel',
      );
    }
    const channel = usable(key, place);
    if (!channel) {
      return fail('CHANNEL_UNAVAILABLE', `instant_channel "${key}" works only inside WeChat`, 'instant_channel');
    }
    return ok({ kind: 'go', channel });
  }
  const jsapi = list.find((channel) => JSAPI_CHANNELS.includes(channel.rest));
  if (jsapi && place === 'wechat' && options.openid) return ok({ kind: 'go', channel: jsapi });
  if (list.length === 0) {
    if (place === 'wechat' && enabled.some((key) => key === 'wx' || key === 'bcwx')) {
      return fail('MISS_PARAM', 'openid is required for WeChat JSAPI payment, the only channel usable inside WeChat (got nothing)', 'openid');
    }
    return fail('CHANNEL_UNAVAILABLE', `no payment channel of this app can be used in this browser (${place})`);
  }
  if (list.length === 1) return ok({ kind: 'go', channel: list[0] as UsableChannel });
  return ok({ kind: 'pick', channels: list });
}

/** A JSAPI channel needs the buyer's openid; returns the error to report when it is missing. */
export function checkJsapiOpenid(channel: UsableChannel, openid?: string): Checked<true> {
  if (JSAPI_CHANNELS.includes(channel.rest) && !openid) {
    return fail('MISS_PARAM', `openid is required for WeChat JSAPI payment (${channel.rest}) (got nothing)`, 'openid');
  }
  return ok(true);
}

/** Inside WeChat, a QR key gives way to its JSAPI twin when that is enabled and the openid is known. */
function jsapiInsteadOfQr(key: ChannelKey, enabled: readonly ChannelKey[], place: Place, openid?: string): ChannelKey {
  const twin: ChannelKey | null = key === 'wxmp' ? 'wx' : key === 'bcwxmp' ? 'bcwx' : null;
  return twin && place === 'wechat' && openid && enabled.includes(twin) ? twin : key;
}
