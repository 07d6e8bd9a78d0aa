import type { App } from '../apps';
import { type GatewayContext, publicBase } from '../context';
import { type Answer, answerWith } from '../http/answer';
import type { GatewayRequest } from '../http/gateway-request';
import { readJsonBody } from '../http/read-json-body';
import { type ConsoleSession, cookieToken, csrfToken, readSession, sameSecret, sessionCookie, sessionToken } from './console-session';

/** Headers of every console JSON answer: never cached, never sniffed, never framed, no CORS. */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
});

/** A console JSON answer. */
export function consoleJson(body: unknown, status = 200, headers: Record<string, string> = {}): Answer {
  return answerWith(JSON.stringify(body), status, { ...JSON_HEADERS, ...headers });
}

/** A console refusal: `{ error, field? }` with its HTTP status. */
export function consoleError(status: number, error: string, field?: string, headers: Record<string, string> = {}): Answer {
  return consoleJson(field === undefined ? { error } : { error, field }, status, headers);
}

/** Whether cookies must be Secure: the gateway's public URL (SPAY_PUBLIC_URL) is https. */
export function secureCookies(context: GatewayContext): boolean {
  return context.publicUrl?.startsWith('https:') ?? false;
}

/** A signed-in request: its app (settings in effect), its session, and the cookie to send back (the idle clock restarted). */
export interface SignedIn {
  app: App;
  session: ConsoleSession;
  cookie: string;
  /** Who, for log lines: the session's short id and the peer's address. */
  by: string;
}

/**
 * The session of a console API request, or the 401 answer. A change (any method but GET) must carry the session's
 * CSRF token in X-CSRF-Token and, when the browser sends Origin, come from the gateway's own origin; else 403.
 */
export function signedIn(context: GatewayContext, request: GatewayRequest): SignedIn | Answer {
  const token = cookieToken(request.header('cookie'));
  const now = Date.now();
  const read = token === undefined ? { refused: 'no session' } : readSession(token, context.apps, now);
  if ('refused' in read) return consoleError(401, `sign in first (${read.refused})`, undefined, { 'Set-Cookie': sessionCookie('', secureCookies(context)) });
  const { app, session } = read;
  if (request.method !== 'GET') {
    const refused = changeRefusal(context, request, app, session);
    if (refused !== undefined) return refused;
  }
  const renewed = { ...session, seenAt: now };
  return {
    app,
    session: renewed,
    cookie: sessionCookie(sessionToken(app, renewed), secureCookies(context)),
    by: `session ${session.nonce.slice(0, 6)} from ${request.address ?? 'unknown'}`,
  };
}

/** Why a change request is refused (cross-origin, or without the right CSRF token), or undefined. */
export function changeRefusal(context: GatewayContext, request: GatewayRequest, app: App | undefined, session: ConsoleSession | undefined): Answer | undefined {
  const origin = request.header('origin');
  if (origin !== null && origin !== request.origin && origin !== new URL(publicBase(context, request.origin)).origin) {
    return consoleError(403, `a change must come from the console's own pages (Origin ${JSON.stringify(origin.slice(0, 100))})`);
  }
  if (app === undefined || session === undefined) return undefined;
  const given = request.header('x-csrf-token') ?? '';
  if (!sameSecret(given, csrfToken(app, session))) return consoleError(403, 'the CSRF token is missing or wrong: reload the page and try again', 'X-CSRF-Token');
  return undefined;
}

/** The JSON object body of a change, or the 400/413/415 answer. */
export async function changeBody(request: GatewayRequest): Promise<Record<string, unknown> | Answer> {
  const body = await readJsonBody(request);
  if (!body.ok) return consoleError(body.refusal.status ?? 400, body.refusal.detail, 'body');
  return body.value;
}

/** Whether `value` is an Answer rather than what was asked for. */
export function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && 'status' in value && 'headers' in value && 'body' in value;
}

/** `answer` with the session's renewed cookie added. */
export function withCookie(answer: Answer, who: SignedIn): Answer {
  return answerWith(answer.body, answer.status, { ...answer.headers, 'Set-Cookie': who.cookie });
}
