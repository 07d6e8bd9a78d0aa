import { describe, expect, it } from 'vitest';
import { ALI_APP, FULL_APP } from '../testing/fixtures';
import { IDLE_TIMEOUT_MS, MAX_SESSION_MS, cookieToken, csrfToken, newSession, readSession, sameSecret, sessionToken } from './console-session';

const apps = new Map([FULL_APP, ALI_APP].map((app) => [app.appId, app]));
const START = Date.UTC(2026, 0, 1);

describe('console sessions', () => {
  it('reads back the session a token stands for, and its CSRF token differs per session', () => {
    const session = newSession(FULL_APP, START);
    expect(readSession(sessionToken(FULL_APP, session), apps, START + 1000)).toEqual({ session, app: FULL_APP });
    expect(csrfToken(FULL_APP, session)).not.toBe(csrfToken(FULL_APP, newSession(FULL_APP, START)));
    expect(sessionToken(FULL_APP, session)).not.toContain(FULL_APP.masterSecret);
  });

  it.each([
    ['idle for too long', (token: string) => token, START + IDLE_TIMEOUT_MS, false],
    ['signed in too long ago', (token: string) => token, START + MAX_SESSION_MS, true],
    ['the signature does not match', (token: string) => token.replace(/\.[^.]+$/, '.AAAA'), START, false],
    ['the signature does not match', (token: string) => token.replace(FULL_APP.appId, ALI_APP.appId), START, false],
    ['the app is no longer served', (token: string) => token.replace(FULL_APP.appId, 'gone-app'), START, false],
    ['not a session token', () => 'garbage', START, false],
  ] as Array<[string, (token: string) => string, number, boolean]>)('refuses a token: %s', (reason, change, now, keepSeen) => {
    const session = newSession(FULL_APP, START);
    // A session still in use (seen a minute ago) still ends 12 hours after sign-in.
    const seen = keepSeen ? { ...session, seenAt: now - 60_000 } : session;
    expect(readSession(change(sessionToken(FULL_APP, seen)), apps, now)).toEqual({ refused: reason });
  });

  it('finds its cookie among others, and compares secrets whole', () => {
    expect(cookieToken('a=1; spay_console=x.y.z; b=2')).toBe('x.y.z');
    expect(cookieToken(null)).toBeUndefined();
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
  });
});
