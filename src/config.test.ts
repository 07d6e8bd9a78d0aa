import { afterEach, describe, expect, it } from 'vitest';
import { configForGateway, readScriptTagConfig } from './config';

function scriptTag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
}

afterEach(() => {
  document.head.replaceChildren();
});

describe('configForGateway', () => {
  it.each([
    ['https://pay.example.com'],
    ['https://pay.example.com/'],
    ['https://pay.example.com//'],
    ['https://pay.example.com/1/pay/jsbutton'],
    ['https://pay.example.com/1/pay/jsbutton/'],
  ])('builds the API and asset bases from %s', (gateway) => {
    expect(configForGateway(gateway, 'app_1', ['ali'])).toEqual({
      appId: 'app_1',
      channels: ['ali'],
      apiBase: 'https://pay.example.com/1/pay/jsbutton',
      assetBase: 'https://pay.example.com/1/pay/jsbutton/assets/',
      sandbox: false,
    });
  });

  it('keeps a path prefix the gateway is mounted under', () => {
    expect(configForGateway('https://example.com/pay', 'app_1', []).apiBase).toBe('https://example.com/pay/1/pay/jsbutton');
  });
});

describe('readScriptTagConfig', () => {
  it('reads the app, gateway and channels from data attributes', () => {
    const config = readScriptTagConfig(
      scriptTag({ src: 'https://cdn.example.com/spay.js', 'data-app-id': 'app_1', 'data-gateway': 'https://pay.example.com', 'data-channels': 'ali, wxmp,un' }),
    );
    expect(config).toEqual({
      appId: 'app_1',
      channels: ['ali', 'wxmp', 'un'],
      apiBase: 'https://pay.example.com/1/pay/jsbutton',
      assetBase: 'https://pay.example.com/1/pay/jsbutton/assets/',
      sandbox: false,
    });
  });

  it("takes the appId from the script's query and the gateway from its origin", () => {
    const config = readScriptTagConfig(scriptTag({ src: 'https://pay.example.com/spay.js?appId=app_2', 'data-channels': 'ali' }));
    expect(config).toMatchObject({ appId: 'app_2', apiBase: 'https://pay.example.com/1/pay/jsbutton' });
    expect(config).not.toHaveProperty('appError');
  });

  it('drops unknown channel keys', () => {
    const config = readScriptTagConfig(scriptTag({ 'data-app-id': 'app_1', 'data-channels': 'ali,paypal,,ALI,wx' }));
    expect(config.channels).toEqual(['ali', 'wx']);
  });

  it.each([
    ['no app id', { 'data-channels': 'ali' }, /data-app-id/],
    ['no channel', { 'data-app-id': 'app_1' }, /data-channels/],
    ['only unknown channels', { 'data-app-id': 'app_1', 'data-channels': 'paypal' }, /data-channels/],
  ])('sets appError for %s', (_, attributes, message) => {
    expect(readScriptTagConfig(scriptTag(attributes)).appError).toMatch(message);
  });

  it("falls back to the page's origin without a script", () => {
    const config = readScriptTagConfig(null);
    expect(config.apiBase).toBe(`${location.origin}/1/pay/jsbutton`);
    expect(config.appError).toBeTruthy();
  });
});
