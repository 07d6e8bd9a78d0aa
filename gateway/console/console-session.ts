import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { App } from '../apps';

/**
 * Console sessions are signed tokens, not server-side records: `appId.issued.seen.nonce.mac`, where `mac` is an
 * HMAC-SHA256 under a key derived from the app's master secret. Any gateway holding the same apps file verifies
 * it, so a session survives a load balancer moving the merchant to another gateway process, and changing the
 * master secret ends every session of that app. The CSRF token is an HMAC of the session's nonce under the same key.
 */
export interface ConsoleSession {
  appId: string;
  issuedAt: number;
  seenAt: number;
  nonce: string;
}

/** A session ends after this long without a request: 30 minutes. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** …and at the latest this long after sign-in: 12 hours. */
export const MAX_SESSION_MS = 12 * 60 * 60 * 1000;
/** The cookie's name. */
export const SESSION_COOKIE = 'spay_console';

const key = (app: App): Buffer => createHash('sha256').update(`spay-console-session\n${app.appId}\n${app.masterSecret}`).digest();
const mac = (app: App, text: string): string => createHmac('sha256', key(app)).update(text).digest('base64url');

/** Whether two strings are equal, in time that depends on their length only. */
export function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the length of the secret is not told by an early return either.
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** A new session of `app` at `now`. */
export function newSession(app: App, now: number): ConsoleSession {
  return { appId: app.appId, issuedAt: now, seenAt: now, nonce: randomBytes(16).toString('base64url') };
}

/** The session's token, as the cookie carries it. */
export function sessionToken(app: App, session: ConsoleSession): string {
  const text = `${encodeURIComponent(session.appId)}.${session.issuedAt}.${session.seenAt}.${session.nonce}`;
  return `${text}.${mac(app, text)}`;
}

/** The CSRF token of a session: what the pages send in X-CSRF-Token on every change. */
export function csrfToken(app: App, session: ConsoleSession): string {
  return mac(app, `csrf\n${session.nonce}`);
}

/** The session a token stands for at `now`, or why not (unknown app, bad signature, idle or too old). */
export function readSession(token: string, apps: ReadonlyMap<string, App>, now: number): { session: ConsoleSession; app: App } | { refused: string } {
  const parts = token.split('.');
  if (parts.length !== 5) return { refused: 'not a session token' };
  const [rawApp = '', issued = '', seen = '', nonce = '', given = ''] = parts;
  let appId: string;
  try {
    appId = decodeURIComponent(rawApp);
  } catch {
    return { refused: 'not a session token' };
  }
  const app = apps.get(appId);
  if (app === undefined) return { refused: 'the app is no longer served' };
  if (!sameSecret(given, mac(app, parts.slice(0, 4).join('.')))) return { refused: 'the signature does not match' };
  const session = { appId, issuedAt: Number(issued), seenAt: Number(seen), nonce };
  if (!(now - session.seenAt < IDLE_TIMEOUT_MS)) return { refused: 'idle for too long' };
  if (!(now - session.issuedAt < MAX_SESSION_MS)) return { refused: 'signed in too long ago' };
  return { session, app };
}

/** The Set-Cookie value for `token` (empty to sign out); Secure when the gateway's public URL is https. */
export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = token === '' ? 0 : Math.floor(IDLE_TIMEOUT_MS / 1000);
  return `${SESSION_COOKIE}=${token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** The session cookie's value in a Cookie header, or undefined. */
export function cookieToken(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}
