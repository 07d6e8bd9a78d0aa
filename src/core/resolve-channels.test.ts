import { describe, expect, it } from 'vitest';
import { CHANNEL_KEYS, type ChannelKey, type Place, type RestChannel } from './channels';
import type { Checked } from './errors';
import { checkJsapiOpenid, type Resolution, resolveChannels, usableChannels } from './resolve-channels';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const PLACES: Place[] = ['pc', 'mobile', 'wechat'];

// The design's channel table, row by row: key, label, then the REST code per place (null = hidden).
const TABLE: [ChannelKey, string, RestChannel | null, RestChannel | null, RestChannel | null][] = [
  ['ali', '支付宝', 'ALI_WEB', 'ALI_WAP', 'ALI_WAP'],
  ['wxmp', '微信扫码', 'WX_NATIVE', 'WX_NATIVE', 'WX_NATIVE'],
  ['bcwxmp', '微信扫码', 'BC_NATIVE', 'BC_NATIVE', 'BC_NATIVE'],
  ['wx', '微信支付', null, null, 'WX_JSAPI'],
  ['bcwx', '微信支付', null, null, 'BC_WX_JSAPI'],
  ['un', '银联', 'UN_WEB', 'UN_WAP', 'UN_WAP'],
  ['unwap', '银联手机支付', 'UN_WAP', 'UN_WAP', 'UN_WAP'],
  ['bckj', '银联快捷', 'BC_EXPRESS', 'BC_EXPRESS', 'BC_EXPRESS'],
  ['jd', '京东支付', 'JD_WEB', 'JD_WAP', 'JD_WAP'],
  ['bd', '百度钱包', 'BD_WEB', 'BD_WAP', 'BD_WAP'],
  ['yee', '易宝支付', 'YEE_WEB', 'YEE_WAP', 'YEE_WAP'],
];

const ROWS = TABLE.flatMap(([key, label, pc, mobile, wechat]) =>
  (
    [
      ['pc', pc],
      ['mobile', mobile],
      ['wechat', wechat],
    ] as const
  ).map(([place, rest]) => [key, place, rest, label] as const),
);

function resolution(result: Checked<Resolution>): Resolution {
  if (!result.ok) throw new Error(`expected a resolution, got ${result.error.ERROR}`);
  return result.value;
}

function restCodes(result: Checked<Resolution>): RestChannel[] {
  const value = resolution(result);
  return value.kind === 'go' ? [value.channel.rest] : value.channels.map((channel) => channel.rest);
}

describe('the channel table', () => {
  it('covers every channel key', () => {
    expect(TABLE.map(([key]) => key)).toEqual([...CHANNEL_KEYS]);
  });

  it.each(ROWS.filter(([, , rest]) => rest !== null))('%s in %s resolves to %s', (key, place, rest, label) => {
    // Alone, a usable key goes straight on (an openid is given so that JSAPI is usable inside WeChat).
    expect(resolveChannels([key], place, { openid: OPENID })).toEqual({
      ok: true,
      value: { kind: 'go', channel: expect.objectContaining({ key, rest, label }) },
    });
    expect(usableChannels([key], place, OPENID).map((channel) => channel.rest)).toEqual([rest]);
  });

  it.each(ROWS.filter(([, , rest]) => rest === null))('%s is hidden in %s', (key, place) => {
    expect(usableChannels([key], place, OPENID)).toEqual([]);
    const result = resolveChannels([key], place, { openid: OPENID });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('CHANNEL_UNAVAILABLE');
  });

  it.each(ROWS.filter(([, , rest]) => rest !== null))('%s in %s has an English label too', (key, place) => {
    const [channel] = usableChannels([key], place, OPENID);
    expect(channel?.labelEn).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('resolveChannels', () => {
  it.each(PLACES)('keeps the configured order in %s', (place) => {
    expect(restCodes(resolveChannels(['un', 'ali', 'jd'], place, {}))).toEqual(
      place === 'pc' ? ['UN_WEB', 'ALI_WEB', 'JD_WEB'] : ['UN_WAP', 'ALI_WAP', 'JD_WAP'],
    );
  });

  it.each([
    ['pc', ['ali', 'wx'], ['ALI_WEB']],
    ['mobile', ['wx', 'bcwx', 'un'], ['UN_WAP']],
  ] as const)('goes straight on in %s when a single channel is usable', (place, enabled, expected) => {
    const value = resolution(resolveChannels(enabled, place, {}));
    expect(value.kind).toBe('go');
    expect(restCodes(resolveChannels(enabled, place, {}))).toEqual(expected);
  });

  it.each([
    ['pc', ['ali', 'wxmp', 'un'], ['ALI_WEB', 'WX_NATIVE', 'UN_WEB']],
    ['mobile', ['ali', 'wxmp', 'un'], ['ALI_WAP', 'WX_NATIVE', 'UN_WAP']],
    ['wechat', ['ali', 'wxmp', 'un'], ['ALI_WAP', 'WX_NATIVE', 'UN_WAP']],
  ] as const)('shows the picker in %s when several channels are usable', (place, enabled, expected) => {
    expect(resolution(resolveChannels(enabled, place, {})).kind).toBe('pick');
    expect(restCodes(resolveChannels(enabled, place, {}))).toEqual(expected);
  });

  it('collapses keys that resolve to the same REST channel in one place', () => {
    // un and unwap are both UN_WAP on a phone.
    expect(restCodes(resolveChannels(['un', 'unwap', 'ali'], 'mobile', {}))).toEqual(['UN_WAP', 'ALI_WAP']);
    expect(restCodes(resolveChannels(['un', 'unwap', 'ali'], 'pc', {}))).toEqual(['UN_WEB', 'UN_WAP', 'ALI_WEB']);
  });

  it.each([
    ['wx', 'wxmp', 'WX_JSAPI'],
    ['bcwx', 'bcwxmp', 'BC_WX_JSAPI'],
  ] as const)('inside WeChat with %s enabled and an openid chooses JSAPI at once', (jsapi, qr, rest) => {
    const value = resolution(resolveChannels(['ali', qr, jsapi, 'un'], 'wechat', { openid: OPENID }));
    expect(value).toEqual({ kind: 'go', channel: expect.objectContaining({ key: jsapi, rest }) });
  });

  it.each([
    ['wxmp', 'WX_NATIVE'],
    ['bcwxmp', 'BC_NATIVE'],
  ] as const)('inside WeChat without an openid offers %s as a QR code', (qr, rest) => {
    expect(restCodes(resolveChannels([qr], 'wechat', {}))).toEqual([rest]);
    expect(restCodes(resolveChannels(['ali', qr, 'wx'], 'wechat', {}))).toContain(rest);
  });

  it.each([
    ['wx', 'wxmp', 'WX_NATIVE'],
    ['bcwx', 'bcwxmp', 'BC_NATIVE'],
  ] as const)('inside WeChat without an openid offers the QR code instead of %s', (jsapi, qr, rest) => {
    expect(restCodes(resolveChannels([qr, jsapi, 'ali'], 'wechat', {}))).toEqual([rest, 'ALI_WAP']);
  });

  it('inside WeChat with an openid lets JSAPI replace the QR channels in the list', () => {
    expect(usableChannels(['wxmp', 'wx', 'ali'], 'wechat', OPENID).map((channel) => channel.rest)).toEqual(['WX_JSAPI', 'ALI_WAP']);
  });

  it.each(['pc', 'mobile'] as const)('outside WeChat the openid changes nothing (%s)', (place) => {
    expect(restCodes(resolveChannels(['wxmp', 'wx', 'ali'], place, { openid: OPENID }))).toEqual(
      restCodes(resolveChannels(['wxmp', 'wx', 'ali'], place, {})),
    );
  });

  it.each([
    ['pc', []],
    ['mobile', []],
    ['pc', ['wx', 'bcwx']],
    ['mobile', ['wx']],
  ] as const)('reports CHANNEL_UNAVAILABLE in %s when no channel of %j is usable', (place, enabled) => {
    const result = resolveChannels(enabled, place, {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('CHANNEL_UNAVAILABLE');
      expect(result.error.ERROR).toContain(place);
    }
  });
});

describe('instant_channel', () => {
  it.each(PLACES)('skips the picker in %s for an enabled channel', (place) => {
    const value = resolution(resolveChannels(['ali', 'wxmp', 'un'], place, { instantChannel: 'un' }));
    expect(value).toEqual({ kind: 'go', channel: expect.objectContaining({ key: 'un' }) });
  });

  it.each([
    ['wxmp', 'WX_NATIVE'],
    ['bcwxmp', 'BC_NATIVE'],
  ] as const)('takes %s inside WeChat as a QR code when its JSAPI key is not enabled', (key, rest) => {
    const value = resolution(resolveChannels([key, 'ali'], 'wechat', { instantChannel: key, openid: OPENID }));
    expect(value).toEqual({ kind: 'go', channel: expect.objectContaining({ key, rest }) });
  });

  // Bug: the design's channel table says `wxmp` inside WeChat becomes `wx` "if enabled and openid given"
  // (and `bcwxmp` becomes `bcwx`), but the instant_channel branch of resolveChannels resolves the key by
  // itself and hands a buyer inside WeChat a QR code to scan on the phone it is shown on.
  // Fix: in resolveChannels, when place is 'wechat', an openid is given and the matching JSAPI key is
  // enabled, map instantChannel wxmp→wx and bcwxmp→bcwx before calling usable().
  it.each([
    ['wxmp', 'wx', 'WX_JSAPI'],
    ['bcwxmp', 'bcwx', 'BC_WX_JSAPI'],
  ] as const)('turns instant_channel %s into %s inside WeChat when it is enabled and an openid is given', (qr, jsapi, rest) => {
    const value = resolution(resolveChannels([qr, jsapi], 'wechat', { instantChannel: qr, openid: OPENID }));
    expect(value).toEqual({ kind: 'go', channel: expect.objectContaining({ rest }) });
  });

  it.each(PLACES)('refuses a channel the app has not enabled (%s)', (place) => {
    const result = resolveChannels(['ali', 'wxmp'], place, { instantChannel: 'jd' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'CHANNEL_UNAVAILABLE', field: 'instant_channel' });
      expect(result.error.ERROR).toContain('instant_channel');
      expect(result.error.ERROR).toContain('jd');
    }
  });

  it.each([
    ['wx', 'pc'],
    ['wx', 'mobile'],
    ['bcwx', 'pc'],
    ['bcwx', 'mobile'],
  ] as const)('refuses %s outside WeChat (%s)', (key, place) => {
    const result = resolveChannels(['ali', key], place, { instantChannel: key, openid: OPENID });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'CHANNEL_UNAVAILABLE', field: 'instant_channel' });
      expect(result.error.ERROR).toMatch(/instant_channel.*WeChat/);
    }
  });

  it('goes to JSAPI inside WeChat when asked for wx', () => {
    const value = resolution(resolveChannels(['ali', 'wx'], 'wechat', { instantChannel: 'wx', openid: OPENID }));
    expect(value).toEqual({ kind: 'go', channel: expect.objectContaining({ rest: 'WX_JSAPI' }) });
  });
});

describe('checkJsapiOpenid', () => {
  const channel = (key: ChannelKey, place: Place) => {
    const [found] = usableChannels([key], place, OPENID);
    if (!found) throw new Error(`${key} is not usable in ${place}`);
    return found;
  };

  it.each([
    ['wx', undefined],
    ['wx', ''],
    ['bcwx', undefined],
  ] as const)('requires an openid for %s (got %j)', (key, openid) => {
    const result = checkJsapiOpenid(channel(key, 'wechat'), openid);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'MISS_PARAM', field: 'openid' });
      expect(result.error.ERROR).toContain('openid');
    }
  });

  it.each([
    ['wx', 'wechat', OPENID],
    ['wxmp', 'wechat', undefined],
    ['ali', 'pc', undefined],
    ['un', 'mobile', undefined],
  ] as const)('lets %s in %s through (openid %j)', (key, place, openid) => {
    expect(checkJsapiOpenid(channel(key, place), openid)).toEqual({ ok: true, value: true });
  });
});
