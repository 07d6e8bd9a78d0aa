import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPILE_HINT } from '../../src/compile-hint';
import type { RunningGateway } from '../server';
import { ALI_APP, FULL_APP, fakeWidgetDir, testServer } from '../testing/fixtures';
import { type RawAnswer, rawRequest } from '../testing/raw-request';
import { SCRIPT_CACHE_CONTROL } from './widget-files';

const widget = fakeWidgetDir('globalThis.seenConfig = __SPAY_CONFIG__;');
const missing = fakeWidgetDir();
let server: RunningGateway;
let unbuilt: RunningGateway;

beforeAll(async () => {
  missing.remove();
  server = await testServer({ widgetDir: widget.dir });
  unbuilt = await testServer({ widgetDir: missing.dir });
});
afterAll(async () => {
  await server.close();
  await unbuilt.close();
  widget.remove();
});

const script = (base: string, appId?: string) =>
  fetch(`${base}/1/pay/jsbutton/returnscripts${appId === undefined ? '' : `?appId=${encodeURIComponent(appId)}`}`);

/** Runs a served script with a fake window/document and returns what it left behind. */
function runScript(source: string) {
  const events: string[] = [];
  const sandbox: Record<string, unknown> = {
    setTimeout,
    console,
    Event: class {
      constructor(readonly type: string) {}
    },
    document: { dispatchEvent: (event: { type: string }) => events.push(event.type) },
  };
  sandbox.window = sandbox;
  sandbox.globalThis = sandbox;
  runInNewContext(source, sandbox);
  return { sandbox, events };
}

describe('GET /1/pay/jsbutton/returnscripts', () => {
  it('wraps the widget bundle with the app public config', async () => {
    const response = await script(server.url, FULL_APP.appId);
    const text = await response.text();
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe(SCRIPT_CACHE_CONTROL);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const config = {
      appId: FULL_APP.appId,
      channels: FULL_APP.channels,
      apiBase: `${server.url}/1/pay/jsbutton`,
      assetBase: `${server.url}/1/pay/jsbutton/assets/`,
      sandbox: true,
    };
    expect(text).toBe(`${COMPILE_HINT}\n(function(__SPAY_CONFIG__){\nglobalThis.seenConfig = __SPAY_CONFIG__;\n})(${JSON.stringify(config)});\n`);
    expect(runScript(text).sandbox.seenConfig).toEqual(config);
  });

  it.each<[string, string | undefined, string]>([
    ['an unknown appId', 'who-am-i', 'appId "who-am-i" is not a known app'],
    ['no appId', undefined, 'appId "" is not a known app'],
  ])('answers %s with no channels and an appError', async (_case, appId, appError) => {
    const { sandbox } = runScript(await (await script(server.url, appId)).text());
    expect(sandbox.seenConfig).toMatchObject({ appId: appId ?? '', channels: [], sandbox: true, appError });
  });

  it('keeps the config JSON safe inside a script element', async () => {
    const text = await (await script(server.url, '</script><script>alert(1)//\u2028\u2029')).text();
    const config = text.slice(text.lastIndexOf('})(') + 3);
    expect(config).not.toMatch(/[<\u2028\u2029]/);
    expect(config).toContain('\\u003c/script>');
    expect(runScript(text).sandbox.seenConfig).toMatchObject({ appId: '</script><script>alert(1)//\u2028\u2029' });
  });

  it('never contains an app secret', async () => {
    for (const app of [FULL_APP, ALI_APP]) {
      const text = await (await script(server.url, app.appId)).text();
      expect(text).not.toContain(app.appSecret);
      expect(text).not.toContain(app.masterSecret);
    }
  });

  it('serves a placeholder that reports an unbuilt widget when the bundle is missing', async () => {
    const response = await script(unbuilt.url, FULL_APP.appId);
    // Not kept by the browser: the widget replaces it as soon as it is built.
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const text = await response.text();
    const { sandbox, events } = runScript(text);
    expect(events).toEqual(['beecloud:onready']);
    const BC = sandbox.BC as { click(data: unknown, event: unknown): void; err: (error: unknown) => void };
    const heard: unknown[] = [];
    BC.click({}, { dataError: (error: unknown) => heard.push(['dataError', error]) });
    BC.err = (error) => heard.push(['err', error]);
    expect(heard).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const error = { ERROR: 'the widget is not built; run npm run build', code: 'GATEWAY' };
    expect(heard).toEqual([
      ['dataError', error],
      ['err', error],
    ]);
  });
});

describe('widget files', () => {
  it('serves assets as JavaScript with CORS and long caching', async () => {
    const response = await fetch(`${server.url}/1/pay/jsbutton/assets/qr-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toContain('max-age=31536000');
    expect(await response.text()).toContain('encodeQr');
  });

  it('serves the unwrapped bundle for merchants who host it', async () => {
    const response = await fetch(`${server.url}/1/pay/jsbutton/spay-button.js`);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toBe('globalThis.seenConfig = __SPAY_CONFIG__;');
  });

  it.each([
    ['/1/pay/jsbutton/assets/..%2Fsecret.txt'],
    ['/1/pay/jsbutton/assets/%2e%2e%2fsecret.txt'],
    ['/1/pay/jsbutton/assets/..'],
    ['/1/pay/jsbutton/assets/.hidden'],
    ['/1/pay/jsbutton/assets/../secret.txt'],
    ['/1/pay/jsbutton/assets/%2E%2E/secret.txt'],
    ['/1/pay/jsbutton/assets/missing.js'],
  ])('refuses %s', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for the web');
  });

  it('answers 404 for the unwrapped bundle when it is not built', async () => {
    expect((await fetch(`${unbuilt.url}/1/pay/jsbutton/spay-button.js`)).status).toBe(404);
  });
});

describe('GET /1/pay/jsbutton/config', () => {
  it('answers the public config as JSON with CORS, and no secret', async () => {
    const response = await fetch(`${server.url}/1/pay/jsbutton/config?appId=${encodeURIComponent(ALI_APP.appId)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe(SCRIPT_CACHE_CONTROL);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      appId: ALI_APP.appId,
      channels: [...ALI_APP.channels],
      apiBase: `${server.url}/1/pay/jsbutton`,
      assetBase: `${server.url}/1/pay/jsbutton/assets/`,
      sandbox: true,
    });
    expect(text).not.toContain(ALI_APP.appSecret);
    expect(text).not.toContain(ALI_APP.masterSecret);
  });

  it('names an unknown app in appError', async () => {
    const config = await (await fetch(`${server.url}/1/pay/jsbutton/config?appId=nobody`)).json();
    expect(config).toMatchObject({ channels: [], appError: 'appId "nobody" is not a known app' });
  });
});

/** A bundle and an asset big enough for compression to pay, as the real ones are. */
const BIG_BUNDLE = `globalThis.seenConfig = __SPAY_CONFIG__;\n${'function render(){return document.createElement("div");}\n'.repeat(300)}`;
const BIG_ASSET = `export const encodeQr = () => null;\n${'const row = [0,1,1,0,1,0,0,1];\n'.repeat(300)}`;

/** The body of a raw answer, decoded as its Content-Encoding says. */
function decoded(answer: RawAnswer): string {
  const coding = answer.headers['content-encoding'];
  const bytes = coding === 'br' ? brotliDecompressSync(answer.bytes) : coding === 'gzip' ? gunzipSync(answer.bytes) : answer.bytes;
  return bytes.toString('utf8');
}

describe('compression and revalidation of widget files', () => {
  const big = fakeWidgetDir(BIG_BUNDLE);
  let gateway: RunningGateway;
  const scriptUrl = (appId = FULL_APP.appId) => `${gateway.url}/1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(appId)}`;
  const assetUrl = () => `${gateway.url}/1/pay/jsbutton/assets/qr-abc123.js`;
  const ask = (url: string, headers: Record<string, string> = {}) => rawRequest(url, { headers });

  beforeAll(async () => {
    writeFileSync(join(big.dir, 'assets', 'qr-abc123.js'), BIG_ASSET);
    gateway = await testServer({ widgetDir: big.dir });
  });
  afterAll(async () => {
    await gateway.close();
    big.remove();
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['brotli when offered', 'gzip, deflate, br', 'br'],
    ['gzip when brotli is not offered', 'gzip, deflate', 'gzip'],
    ['gzip when brotli is refused', 'br;q=0, gzip', 'gzip'],
    ['uncompressed when nothing is offered', undefined, undefined],
    ['uncompressed when only unknown codings are offered', 'zstd', undefined],
  ])('sends returnscripts %s, decoding to the same script', async (_case, acceptEncoding, coding) => {
    const plain = await ask(scriptUrl());
    const answer = await ask(scriptUrl(), acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe(coding);
    expect(answer.headers['content-length']).toBe(String(answer.bytes.byteLength));
    expect(decoded(answer)).toBe(plain.bytes.toString('utf8'));
    expect(decoded(answer)).toContain(BIG_BUNDLE);
    if (coding !== undefined) expect(answer.bytes.byteLength).toBeLessThan(plain.bytes.byteLength / 4);
    expect(answer.headers).toMatchObject({
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': SCRIPT_CACHE_CONTROL,
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    });
    expect(answer.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('answers 304 Not Modified when If-None-Match names the script it would send, and the script when not', async () => {
    const first = await ask(scriptUrl(), { 'Accept-Encoding': 'br' });
    const etag = first.headers.etag as string;
    const again = await ask(scriptUrl(), { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.byteLength).toBe(0);
    expect(again.headers).toMatchObject({ etag, 'cache-control': SCRIPT_CACHE_CONTROL, 'access-control-allow-origin': '*', vary: 'Accept-Encoding' });
    expect((await ask(scriptUrl(), { 'Accept-Encoding': 'br', 'If-None-Match': `W/${etag}` })).status).toBe(304);
    expect((await ask(scriptUrl(), { 'Accept-Encoding': 'br', 'If-None-Match': '"something-else"' })).status).toBe(200);
    const otherApp = await ask(scriptUrl(ALI_APP.appId), { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(otherApp.status).toBe(200);
    expect(otherApp.headers.etag).not.toBe(etag);
  });

  it('sends a new script with a new ETag once the bundle file changes, rewritten or replaced', async () => {
    const bundlePath = join(big.dir, 'spay-button.js');
    const before = await ask(scriptUrl(), { 'Accept-Encoding': 'gzip' });
    writeFileSync(bundlePath, `${BIG_BUNDLE}\n// rebuilt`);
    const rewritten = await ask(scriptUrl(), { 'Accept-Encoding': 'gzip', 'If-None-Match': before.headers.etag as string });
    expect(rewritten.status).toBe(200);
    expect(rewritten.headers.etag).not.toBe(before.headers.etag);
    expect(decoded(rewritten)).toContain('// rebuilt');
    writeFileSync(`${bundlePath}.next`, `${BIG_BUNDLE}\n// replaced`);
    renameSync(`${bundlePath}.next`, bundlePath);
    const replaced = await ask(scriptUrl(), { 'Accept-Encoding': 'gzip', 'If-None-Match': rewritten.headers.etag as string });
    expect(replaced.status).toBe(200);
    expect(decoded(replaced)).toContain('// replaced');
    expect(new Set([before.headers.etag, rewritten.headers.etag, replaced.headers.etag]).size).toBe(3);
    writeFileSync(bundlePath, BIG_BUNDLE);
  });

  it('compresses the script of a known app at the configured public URL as well', async () => {
    const behindProxy = await testServer({ widgetDir: big.dir, publicUrl: 'https://pay.example' });
    try {
      const answer = await ask(`${behindProxy.url}/1/pay/jsbutton/returnscripts?appId=${FULL_APP.appId}`, { 'Accept-Encoding': 'br' });
      expect(answer.headers['content-encoding']).toBe('br');
      expect(decoded(answer)).toContain('"apiBase":"https://pay.example/1/pay/jsbutton"');
      expect(decoded(answer)).toContain(BIG_BUNDLE);
    } finally {
      await behindProxy.close();
    }
  });

  it('serves assets compressed, with an ETag, cached for good', async () => {
    const plain = await ask(assetUrl());
    const answer = await ask(assetUrl(), { 'Accept-Encoding': 'gzip, br' });
    expect(answer.headers).toMatchObject({
      'content-encoding': 'br',
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    });
    expect(decoded(answer)).toBe(BIG_ASSET);
    expect(plain.bytes.toString('utf8')).toBe(BIG_ASSET);
    expect(plain.headers.etag).not.toBe(answer.headers.etag);
    const again = await ask(assetUrl(), { 'Accept-Encoding': 'gzip, br', 'If-None-Match': answer.headers.etag as string });
    expect(again.status).toBe(304);
  });

  it('serves the unwrapped bundle compressed, revalidated by ETag', async () => {
    const answer = await ask(`${gateway.url}/1/pay/jsbutton/spay-button.js`, { 'Accept-Encoding': 'gzip' });
    expect(answer.headers).toMatchObject({ 'content-encoding': 'gzip', 'cache-control': SCRIPT_CACHE_CONTROL, vary: 'Accept-Encoding' });
    expect(decoded(answer)).toBe(BIG_BUNDLE);
    const again = await ask(`${gateway.url}/1/pay/jsbutton/spay-button.js`, { 'Accept-Encoding': 'gzip', 'If-None-Match': answer.headers.etag as string });
    expect(again.status).toBe(304);
  });
});
