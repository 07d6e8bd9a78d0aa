import type { GatewayContext } from '../context';
import { type Answer, answerWith } from '../http/answer';
import { encodedAnswer } from '../http/content-coding';
import type { GatewayRequest } from '../http/gateway-request';
import { showSession, signIn, signOut } from './console-auth';
import { listConsoleBills, refundConsoleBill, showConsoleBill } from './console-bills';
import { consoleError } from './console-http';
import { listFailingWebhooks, resendWebhook, showOverview } from './console-overview';
import { saveSettings, showSettings, tryOrder } from './console-settings';

type RouteRun = (context: GatewayContext, request: GatewayRequest, params: string[], base: string) => Answer | Promise<Answer>;

/**
 * The console's pages: scripts and styles from the gateway itself only, no inline code, nothing framed. The widget
 * (for "try it") comes from the same origin; its sandbox cashier is a same-origin form or link.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

async function servePage(context: GatewayContext, request: GatewayRequest): Promise<Answer> {
  const body = await context.consoleFiles?.encoded('index.html');
  if (body === undefined) return answerWith('The console is not built: run npm run build.', 503, { 'Content-Type': 'text/plain; charset=utf-8', ...PAGE_HEADERS });
  return encodedAnswer(request, body, 'text/html; charset=utf-8', { ...PAGE_HEADERS, 'Cache-Control': 'no-cache' });
}

async function serveConsoleAsset(context: GatewayContext, request: GatewayRequest, name: string): Promise<Answer> {
  if (!ASSET_NAME.test(name)) return consoleError(404, 'no such console file');
  const body = await context.consoleFiles?.encoded(`assets/${name}`);
  if (body === undefined) return consoleError(404, 'no such console file');
  const type = name.endsWith('.js') ? 'text/javascript; charset=utf-8' : name.endsWith('.css') ? 'text/css; charset=utf-8' : 'application/octet-stream';
  return encodedAnswer(request, body, type, { ...PAGE_HEADERS, 'Cache-Control': 'public, max-age=31536000, immutable' });
}

/** The console's routes, for the gateway's ROUTES table: pages under /console/, the JSON API under /console/api/. */
export const CONSOLE_ROUTES: ReadonlyArray<readonly [readonly string[], RegExp, RouteRun]> = [
  [['GET'], /^\/console$/, () => answerWith(null, 308, { Location: 'console/' })], // relative: kept under a path prefix
  [['GET'], /^\/console\/$/, (c, r) => servePage(c, r)],
  [['GET'], /^\/console\/assets\/([^/]+)$/, (c, r, [name]) => serveConsoleAsset(c, r, name ?? '')],
  [['POST'], /^\/console\/api\/sign-in$/, (c, r) => signIn(c, r)],
  [['POST'], /^\/console\/api\/sign-out$/, (c, r) => signOut(c, r)],
  [['GET'], /^\/console\/api\/session$/, (c, r) => showSession(c, r)],
  [['GET'], /^\/console\/api\/overview$/, (c, r) => showOverview(c, r)],
  [['GET'], /^\/console\/api\/bills$/, (c, r) => listConsoleBills(c, r)],
  [['GET'], /^\/console\/api\/bills\/([^/]+)$/, (c, r, [id]) => showConsoleBill(c, r, decode(id))],
  [['POST'], /^\/console\/api\/bills\/([^/]+)\/refund$/, (c, r, [id]) => refundConsoleBill(c, r, decode(id))],
  [['GET'], /^\/console\/api\/webhooks$/, (c, r) => listFailingWebhooks(c, r)],
  [['POST'], /^\/console\/api\/webhooks\/resend$/, (c, r) => resendWebhook(c, r)],
  [['GET'], /^\/console\/api\/settings$/, (c, r, _p, b) => showSettings(c, r, b)],
  [['POST'], /^\/console\/api\/settings$/, (c, r, _p, b) => saveSettings(c, r, b)],
  [['POST'], /^\/console\/api\/try$/, (c, r, _p, b) => tryOrder(c, r, b)],
];

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}
