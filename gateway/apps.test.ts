import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_APP, loadApps, parseApps } from './apps';

const dir = mkdtempSync(join(tmpdir(), 'spay-apps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function appsFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const good = { appId: 'shop-1', appSecret: 's1', masterSecret: 'm1', channels: ['ali', 'wxmp'] };

describe('loadApps', () => {
  it('serves the demo app when SPAY_APPS is not set', () => {
    expect(loadApps({})).toEqual([
      {
        appId: 'spay-demo-app',
        appSecret: 'spay-demo-app-secret',
        masterSecret: 'spay-demo-master-secret',
        channels: ['ali', 'wxmp', 'wx', 'un', 'jd', 'bd', 'yee'],
      },
    ]);
    expect(DEMO_APP.appId).toBe('spay-demo-app');
  });

  it('gives the demo app the webhook URL from SPAY_DEMO_WEBHOOK_URL', () => {
    const [demo] = loadApps({ SPAY_DEMO_WEBHOOK_URL: 'http://127.0.0.1:9/webhook' });
    expect(demo?.webhookUrl).toBe('http://127.0.0.1:9/webhook');
    expect(DEMO_APP).not.toHaveProperty('webhookUrl');
  });

  it('reads the apps from the JSON file named by SPAY_APPS, keeping channel order', () => {
    const path = appsFile('good.json', [good, { ...good, appId: 'shop-2', channels: ['un', 'ali'], webhookUrl: 'https://shop.example/hook' }]);
    const apps = loadApps({ SPAY_APPS: path });
    expect(apps.map((app) => app.appId)).toEqual(['shop-1', 'shop-2']);
    expect(apps[1]?.channels).toEqual(['un', 'ali']);
    expect(apps[1]?.webhookUrl).toBe('https://shop.example/hook');
  });

  it('names the file when it cannot be read or is not JSON', () => {
    expect(() => loadApps({ SPAY_APPS: join(dir, 'missing.json') })).toThrow(/missing\.json.*cannot be read \(ENOENT\)/);
    const path = appsFile('broken.json', '[{');
    expect(() => loadApps({ SPAY_APPS: path })).toThrow(/broken\.json must be JSON/);
  });

  it.each<[string, unknown, RegExp]>([
    ['not an array', { apps: [] }, /the apps must be a non-empty JSON array/],
    ['an empty array', [], /the apps must be a non-empty JSON array/],
    ['an app that is not an object', [good, 'x'], /apps\[1\] must be an object/],
    ['a missing appId', [{ ...good, appId: undefined }], /apps\[0\]\.appId must be a non-empty string \(got undefined\)/],
    ['a blank appSecret', [{ ...good, appSecret: '  ' }], /apps\[0\]\.appSecret must be a non-empty string \(got a blank string\)/],
    ['a numeric masterSecret', [{ ...good, masterSecret: 5 }], /apps\[0\]\.masterSecret must be a non-empty string \(got a number\)/],
    ['channels not an array', [{ ...good, channels: 'ali' }], /apps\[0\]\.channels must be a non-empty array of distinct channel keys/],
    ['no channels', [{ ...good, channels: [] }], /apps\[0\]\.channels must be a non-empty array/],
    ['an unknown channel key', [good, { ...good, appId: 'b', channels: ['ali', 'paypal'] }], /apps\[1\]\.channels\[1\] is not one \(got "paypal", 6 chars\)/],
    ['a repeated channel key', [{ ...good, channels: ['ali', 'ali'] }], /apps\[0\]\.channels\[1\] repeats "ali"/],
    ['a relative webhookUrl', [{ ...good, webhookUrl: '/hook' }], /apps\[0\]\.webhookUrl must be an absolute http:\/\/ or https:\/\/ URL/],
    ['an ftp webhookUrl', [{ ...good, webhookUrl: 'ftp://x/y' }], /apps\[0\]\.webhookUrl must be an absolute http/],
    ['an unknown field', [{ ...good, secret: 'x' }], /apps\[0\]\.secret is not a known field/],
    ['a duplicate appId', [good, good], /apps\[1\]\.appId must be unique \(got "shop-1" twice\)/],
  ])('refuses %s, naming the app index, field and rule', (_case, content, message) => {
    expect(() => parseApps(content)).toThrow(message);
    const path = appsFile('bad.json', content);
    expect(() => loadApps({ SPAY_APPS: path })).toThrow(/^SPAY_APPS file .*bad\.json: /);
    expect(() => loadApps({ SPAY_APPS: path })).toThrow(message);
  });

  it('never puts a secret value into an error', () => {
    expect(() => parseApps([{ ...good, appSecret: ['hunter2'] }])).toThrow(/got an array\)/);
    expect(() => parseApps([{ ...good, masterSecret: 31337 }])).not.toThrow(/31337/);
    expect(() => parseApps([{ ...good, appSecret: ['hunter2'] }])).not.toThrow(/hunter2/);
  });
});
