import { signRestApp } from '../../server-sign';
import { CHANNEL_KEYS } from '../../src/core/channels';
import type { App } from '../apps';
import { chinaDate } from '../rest/refund-no';

/** An app with every channel and a test secret, for REST tests. */
export const REST_APP: App = {
  appId: 'rest-app',
  appSecret: 'rest-app-secret',
  masterSecret: 'rest-master-secret',
  testSecret: 'rest-test-secret',
  channels: [...CHANNEL_KEYS],
};

/** An app without test mode, for REST tests. */
export const LIVE_ONLY_APP: App = {
  appId: 'rest-live-only',
  appSecret: 'live-only-secret',
  masterSecret: 'live-only-master',
  channels: ['ali'],
};

/** Which secret signs a REST call in a test. */
export type TestSecret = 'app' | 'master' | 'test';

/** `fields` with app_id, timestamp and the app_sign made with `secret`; `overrides` merged last. */
export function restSigned(
  fields: Record<string, unknown> = {},
  secret: TestSecret = 'app',
  app: App = REST_APP,
  timestamp: number = Date.now(),
): Record<string, unknown> {
  const key = secret === 'app' ? app.appSecret : secret === 'master' ? app.masterSecret : (app.testSecret as string);
  return { app_id: app.appId, timestamp, app_sign: signRestApp(app.appId, timestamp, key), ...fields };
}

let serial = 0;

/** A fresh bill_no. */
export function newBillNo(): string {
  serial += 1;
  return `R${Date.now()}${String(serial).padStart(5, '0')}`;
}

/** A fresh valid refund_no dated today in China Standard Time. */
export function newRefundNo(): string {
  serial += 1;
  return `${chinaDate(Date.now())}${String(serial).padStart(6, '0')}${Math.floor(Math.random() * 1e6)}`;
}

/** A POST of `body` as JSON to `path` at `base`, with the Content-Type the BeeCloud SDKs send. */
export function restPost(base: string, path: string, body: unknown, contentType = 'application/json;charset=utf-8;'): Request {
  return new Request(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A GET of `path` with `para` as URL-encoded JSON (or as given when a string). */
export function restGet(base: string, path: string, para: unknown): Request {
  const text = typeof para === 'string' ? para : JSON.stringify(para);
  return new Request(`${base}${path}?para=${encodeURIComponent(text)}`);
}
