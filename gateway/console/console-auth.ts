import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import type { GatewayRequest } from '../http/gateway-request';
import { changeBody, changeRefusal, consoleError, consoleJson, isAnswer, secureCookies, signedIn, withCookie } from './console-http';
import { csrfToken, newSession, sameSecret, sessionCookie, sessionToken } from './console-session';
import { type SignInThrottle, createSignInThrottle } from './sign-in-throttle';

// One throttle per gateway; the routes are a static table, so it hangs off the gateway's context.
const THROTTLES = new WeakMap<GatewayContext, SignInThrottle>();
const throttleOf = (context: GatewayContext): SignInThrottle => {
  let throttle = THROTTLES.get(context);
  if (throttle === undefined) THROTTLES.set(context, (throttle = createSignInThrottle()));
  return throttle;
};

/**
 * POST /console/api/sign-in `{ app_id, master_secret }`: a session for the app whose master secret this is. Whoever
 * holds it may refund by REST already, so the console grants nothing more. Failures are counted per app and address
 * (429 with Retry-After once throttled); the secret is compared in constant time and never logged.
 */
export async function signIn(context: GatewayContext, request: GatewayRequest): Promise<Answer> {
  const refused = changeRefusal(context, request, undefined, undefined);
  if (refused !== undefined) return refused;
  const body = await changeBody(request);
  if (isAnswer(body)) return body;
  const appId = typeof body.app_id === 'string' ? body.app_id.trim().slice(0, 64) : '';
  const secret = typeof body.master_secret === 'string' ? body.master_secret : '';
  if (appId === '') return consoleError(400, 'app_id is required', 'app_id');
  const address = request.address ?? 'unknown';
  const key = `${appId}\n${address}`;
  const now = Date.now();
  const throttle = throttleOf(context);
  const wait = throttle.waitFor(key, now);
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    context.log(`console: sign-in to app ${JSON.stringify(appId)} from ${address} refused: throttled for ${seconds} s`);
    return consoleError(429, `too many failed sign-ins for this app from your address; try again in ${Math.ceil(seconds / 60)} minutes`, undefined, {
      'Retry-After': String(seconds),
    });
  }
  const app = context.apps.get(appId);
  // The comparison runs for an unknown app too, so that its time does not tell which app ids exist.
  const matches = sameSecret(secret, app?.masterSecret ?? '\u0000no app');
  if (app === undefined || !matches || secret === '') {
    throttle.failed(key, now);
    context.log(`console: sign-in to app ${JSON.stringify(appId)} from ${address} failed`);
    return consoleError(401, 'the app id or master secret is wrong', 'master_secret');
  }
  throttle.succeeded(key);
  const session = newSession(app, now);
  context.log(`console: app ${app.appId} signed in from ${address}`);
  return consoleJson({ app_id: app.appId, csrf: csrfToken(app, session) }, 200, {
    'Set-Cookie': sessionCookie(sessionToken(app, session), secureCookies(context)),
  });
}

/** POST /console/api/sign-out: clears the cookie (the token itself stays valid until its idle timeout). */
export function signOut(context: GatewayContext, request: GatewayRequest): Answer {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  context.log(`console: app ${who.app.appId} (${who.by}) signed out`);
  return consoleJson({ signed_out: true }, 200, { 'Set-Cookie': sessionCookie('', secureCookies(context)) });
}

/** GET /console/api/session: who is signed in, the CSRF token for changes, and the store the console writes to. */
export function showSession(context: GatewayContext, request: GatewayRequest): Answer {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  return withCookie(
    consoleJson({
      app_id: who.app.appId,
      csrf: csrfToken(who.app, who.session),
      store: { description: context.store.description.split(' ')[0], durable: context.store.durable },
    }),
    who,
  );
}
