import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../server';
import { ALI_APP, FULL_APP, fakeWidgetDir, testServer } from '../testing/fixtures';

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
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const config = {
      appId: FULL_APP.appId,
      channels: FULL_APP.channels,
      apiBase: `${server.url}/1/pay/jsbutton`,
      assetBase: `${server.url}/1/pay/jsbutton/assets/`,
      sandbox: true,
    };
    expect(text).toBe(`(function(__SPAY_CONFIG__){\nglobalThis.seenConfig = __SPAY_CONFIG__;\n})(${JSON.stringify(config)});\n`);
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
    const text = await (await script(unbuilt.url, FULL_APP.appId)).text();
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
