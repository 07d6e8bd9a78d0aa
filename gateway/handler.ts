import { fileURLToPath } from 'node:url';
import type { App } from './apps';
import { type AppDirectory, createAppDirectory } from './app-settings';
import { CONSOLE_ROUTES } from './console/console-routes';
import { billStatus, createBill } from './bills/bill-routes';
import { receiveAlipayNotify, receiveAlipayReturn } from './channels/alipay/alipay-routes';
import { receiveChannelNotify, receiveChannelReturn } from './channels/notify-routes';
import { type LivePaymentOptions, createLivePayments } from './channels/live-payments';
import { createChannelRegistry } from './channels/registry';
import { openJournalStore } from './stores/journal/journal-store';
import { createMemoryStore } from './stores/memory/memory-store';
import type { Store } from './stores/store';
import { type GatewayContext, publicBase } from './context';
import { type Answer, answerWith, toWebResponse } from './http/answer';
import { CORS_HEADERS, refusal, refusalAnswer } from './http/api-answer';
import { type GatewayRequest, fromWebRequest } from './http/gateway-request';
import { showAlipayGuide } from './sandbox/alipay-guide';
import { type CashierAction, settleAtCashier, showCashier, showIndex, showResult } from './sandbox/cashier-routes';
import { createRestBill, restBillById, restBills, restBillsCount } from './rest/rest-bills';
import { restMode } from './rest/rest-auth';
import { createRestRefund, restRefundById, restRefundStatus, restRefunds, restRefundsCount } from './rest/rest-refunds';
import { payByJsapi } from './sandbox/jsapi-pay';
import { WEBHOOK_BACKOFF_MS } from './webhooks/backoff';
import { createWebhookDeliverer } from './webhooks/deliverer';
import { serveConfig, serveReturnScripts } from './widget/returnscripts';
import { createWidgetFiles, serveAsset, serveBundle } from './widget/widget-files';

/** How to build a gateway: the apps it serves, and where its widget, public URL, webhook timing, log and store come from. */
export interface GatewayOptions {
  apps: App[];
  /** Directory holding spay-button.js and assets/; default <repo>/dist. */
  widgetDir?: string;
  /** Base URL used in answers (cashier links, apiBase); default the request's own origin. */
  publicUrl?: string;
  /** First webhook retry delay in ms, doubling per retry; default 2000. */
  webhookBackoffMs?: number;
  /** How long a webhook attempt waits for the merchant, in ms; default 10000. */
  webhookTimeoutMs?: number;
  /** Where log lines go; default standard output, one line each. */
  log?: (line: string) => void;
  /** Where bills live; default the journal in `dataDir` when given, else a new memory store. The gateway closes it on close(). */
  store?: Store;
  /**
   * Directory for the durable bill journal (bills.jsonl, see openJournalStore): bills and pending webhooks survive
   * a restart. Created if missing; the gateway closes the journal on close(). Not together with `store`.
   */
  dataDir?: string;
  /** How long a gateway's claim on a webhook keeps others off it, and how often it looks at the shared queue (tests). */
  webhookLeaseMs?: number;
  webhookPollMs?: number;
  /** Where the merchant console's built pages are (index.html, assets/); default <widgetDir>/console. */
  consoleDir?: string;
  /** Live channels: how long a channel request may take (default 10000 ms), how often one bill may be queried, how the sweep runs. */
  live?: LivePaymentOptions & {
    channelTimeoutMs?: number;
    /** How often recent unpaid live bills are reconciled by query; default 60000 ms, 0 for never. */
    sweepMs?: number;
  };
}

/**
 * A gateway: a web Request → Response handler, the same over a GatewayRequest → Answer (what the node server binds,
 * with no web objects in between), its bill store, its webhook queue, and a close() that cancels retries.
 */
export interface Gateway {
  handle(request: Request): Promise<Response>;
  serve(request: GatewayRequest): Promise<Answer>;
  store: Store;
  /** The apps in effect: the apps file with the console's settings over it. */
  directory: AppDirectory;
  webhooks: { pending(): Promise<number>; idle(): Promise<void> };
  close(): Promise<void>;
}

/** The built widget's directory in this repository. */
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../dist', import.meta.url));

type RouteRun = (context: GatewayContext, request: GatewayRequest, params: string[], base: string) => Answer | Promise<Answer>;
type Route = readonly [methods: readonly string[], path: RegExp, run: RouteRun];

const API = '/1/pay/jsbutton';

// The same for every preflight, so made once.
const PREFLIGHT: Answer = answerWith(
  null,
  204,
  Object.freeze({
    ...CORS_HEADERS,
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '86400',
  }),
);
const ROUTES: readonly Route[] = [
  [['GET'], /^\/1\/pay\/jsbutton\/returnscripts$/, (c, r, _p, b) => serveReturnScripts(c, r, r.url.searchParams.get('appId') ?? '', b)],
  [['GET'], /^\/1\/pay\/jsbutton\/config$/, (c, r, _p, b) => serveConfig(c, r.url.searchParams.get('appId') ?? '', b)],
  [['GET'], /^\/1\/pay\/jsbutton\/spay-button\.js$/, (c, r) => serveBundle(c.widget, r)],
  [['GET'], /^\/1\/pay\/jsbutton\/assets\/([^/]+)$/, (c, r, [name]) => serveAsset(c.widget, r, decodeSegment(name))],
  [['POST'], /^\/1\/pay\/jsbutton\/bill$/, (c, r, _p, b) => createBill(c, r, b)],
  [['GET'], /^\/1\/pay\/jsbutton\/bill\/([^/]+)$/, (c, _r, [id]) => billStatus(c, decodeSegment(id))],
  [['GET'], /^\/1\/pay\/jsbutton\/alipay-guide\/([^/]+)$/, (c, r, [id], b) => showAlipayGuide(c, r, decodeSegment(id), b)],
  [['GET'], /^\/sandbox\/?$/, (c, _r, _p, b) => showIndex(c, b)],
  [['GET', 'POST'], /^\/sandbox\/cashier\/([^/]+)$/, (c, _r, [id], b) => showCashier(c, decodeSegment(id), b)],
  [['GET'], /^\/sandbox\/qr\/([^/]+)$/, (c, _r, [id], b) => showCashier(c, decodeSegment(id), b)],
  [
    ['POST'],
    /^\/sandbox\/cashier\/([^/]+)\/(pay|cancel|fail)$/,
    (c, _r, [id, action], b) => settleAtCashier(c, decodeSegment(id), action as CashierAction, b),
  ],
  [['GET'], /^\/sandbox\/result\/([^/]+)$/, (c, _r, [id], b) => showResult(c, decodeSegment(id), b)],
  [['POST'], /^\/sandbox\/jsapi\/pay$/, (c, r) => payByJsapi(c, r)],
  // The merchant's server API, BeeCloud REST v2; `sandbox/` after /2/rest/ is test mode.
  [['POST'], /^\/2\/rest\/(sandbox\/)?bill$/, (c, r, [s], b) => createRestBill(c, r, restMode(s), b)],
  [['GET'], /^\/2\/rest\/(sandbox\/)?bill\/([^/]+)$/, (c, r, [s, id]) => restBillById(c, r, restMode(s), decodeSegment(id))],
  [['GET'], /^\/2\/rest\/(sandbox\/)?bills$/, (c, r, [s]) => restBills(c, r, restMode(s))],
  [['GET'], /^\/2\/rest\/(sandbox\/)?bills\/count$/, (c, r, [s]) => restBillsCount(c, r, restMode(s))],
  [['POST'], /^\/2\/rest\/(sandbox\/)?refund$/, (c, r, [s], b) => createRestRefund(c, r, restMode(s), b)],
  [['GET'], /^\/2\/rest\/(sandbox\/)?refund\/status$/, (c, r, [s], b) => restRefundStatus(c, r, restMode(s), b)],
  [['GET'], /^\/2\/rest\/(sandbox\/)?refund\/([^/]+)$/, (c, r, [s, id]) => restRefundById(c, r, restMode(s), decodeSegment(id))],
  [['GET'], /^\/2\/rest\/(sandbox\/)?refunds$/, (c, r, [s]) => restRefunds(c, r, restMode(s))],
  [['GET'], /^\/2\/rest\/(sandbox\/)?refunds\/count$/, (c, r, [s]) => restRefundsCount(c, r, restMode(s))],
  // The merchant console: its pages and its JSON API (see console/console-routes.ts).
  ...CONSOLE_ROUTES,
  [['POST'], /^\/notify\/alipay\/([^/]+)$/, (c, r, [appId]) => receiveAlipayNotify(c, r, decodeSegment(appId))],
  [['GET', 'POST'], /^\/return\/alipay\/([^/]+)\/([^/]+)$/, (c, r, [appId, id], b) => receiveAlipayReturn(c, r, decodeSegment(appId), decodeSegment(id), b)],
  [['POST'], /^\/notify\/wechat\/([^/]+)$/, (c, r, [appId], b) => receiveChannelNotify(c, r, 'WX', decodeSegment(appId), b)],
  [['GET'], /^\/return\/wechat\/([^/]+)\/([^/]+)$/, (c, r, [appId, id], b) => receiveChannelReturn(c, r, 'WX', decodeSegment(appId), decodeSegment(id), b)],
  [['POST'], /^\/notify\/unionpay\/([^/]+)$/, (c, r, [appId], b) => receiveChannelNotify(c, r, 'UN', decodeSegment(appId), b)],
  [['GET', 'POST'], /^\/return\/unionpay\/([^/]+)\/([^/]+)$/, (c, r, [appId, id], b) => receiveChannelReturn(c, r, 'UN', decodeSegment(appId), decodeSegment(id), b)],
];

/**
 * Creates a gateway from its options; nothing listens until server.ts binds it to a port. Throws when both
 * `store` and `dataDir` are given, or when the journal in `dataDir` cannot be opened or holds a corrupt line.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const log = options.log ?? writeLine;
  const dataDir = options.dataDir === '' ? undefined : options.dataDir;
  if (options.store !== undefined && dataDir !== undefined) throw new Error('GatewayOptions takes a store or a dataDir, not both');
  const store = options.store ?? (dataDir === undefined ? createMemoryStore() : openJournalStore(dataDir, { log }));
  // The console's settings win over the apps file; every route and the deliverer read this one Map.
  const directory = createAppDirectory(options.apps, store, log);
  const apps = directory.apps;
  const webhooks = createWebhookDeliverer({
    store,
    apps,
    backoffMs: options.webhookBackoffMs ?? WEBHOOK_BACKOFF_MS,
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    log,
    freshApps: () => directory.fresh(),
    ...(options.webhookLeaseMs === undefined ? {} : { leaseMs: options.webhookLeaseMs }),
    ...(options.webhookPollMs === undefined ? {} : { pollMs: options.webhookPollMs }),
  });
  const widgetDir = options.widgetDir ?? DEFAULT_WIDGET_DIR;
  const context: GatewayContext = {
    apps,
    directory,
    store,
    webhooks,
    widget: createWidgetFiles(widgetDir),
    consoleFiles: createWidgetFiles(options.consoleDir ?? `${widgetDir}/console`),
    log,
  };
  if (options.publicUrl !== undefined && options.publicUrl !== '') context.publicUrl = options.publicUrl;
  const liveOptions = options.live ?? {};
  const registry = createChannelRegistry(options.apps, {
    alipay: { timeoutMs: liveOptions.channelTimeoutMs ?? 10_000 },
    timeoutMs: liveOptions.channelTimeoutMs ?? 10_000,
    ...(context.publicUrl === undefined ? {} : { publicUrl: context.publicUrl }),
  });
  let sweeper: ReturnType<typeof setInterval> | undefined;
  if (registry.liveAppIds().length > 0) {
    context.live = createLivePayments(registry, liveOptions);
    const sweepMs = liveOptions.sweepMs ?? 60_000;
    let sweeping = false;
    if (sweepMs > 0) {
      sweeper = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        void context.live
          ?.sweep(context, new Date())
          .catch((error: unknown) => log(`live: the sweep failed (${(error as Error).message})`))
          .finally(() => {
            sweeping = false;
          });
      }, sweepMs);
      sweeper.unref();
    }
  }

  const serve = async (request: GatewayRequest): Promise<Answer> => {
    const started = performance.now();
    const path = request.path;
    let answer: Answer;
    try {
      await directory.fresh();
      answer = await route(context, request);
    } catch (error) {
      log(`error in ${request.method} ${path}: ${(error as Error).message}`);
      answer = refusalAnswer(refusal('RUNTIME_ERROR', 'the gateway failed while handling this request; its log says why'));
    }
    // The path only: a query may carry anything, and bodies are never logged.
    log(`${request.method} ${path} ${answer.status} ${Math.round(performance.now() - started)}ms`);
    return answer;
  };
  return {
    store,
    directory,
    webhooks: { pending: () => webhooks.pending(), idle: () => webhooks.idle() },
    serve,
    handle: async (request) => toWebResponse(await serve(fromWebRequest(request))),
    async close() {
      if (sweeper !== undefined) clearInterval(sweeper);
      webhooks.close();
      await store.close();
    },
  };
}

// Not async: serve awaits whatever the route gives, so an extra promise per request would buy nothing.
function route(context: GatewayContext, request: GatewayRequest): Answer | Promise<Answer> {
  const path = request.path;
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS' && (path.startsWith(`${API}/`) || path === '/sandbox/jsapi/pay')) return PREFLIGHT;
  for (const [methods, pattern, run] of ROUTES) {
    // The method first: a list lookup is cheaper than a pattern, and either failing skips the route.
    if (!methods.includes(method)) continue;
    const match = pattern.exec(path);
    if (match !== null) return run(context, request, match.slice(1), publicBase(context, request.origin));
  }
  return refusalAnswer(refusal('ROUTE_NOT_FOUND', `no route answers ${method} ${path.slice(0, 200)}`, 'path'));
}

// One write of a finished line: cheaper than console.log, which formats its arguments first.
function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

function decodeSegment(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}
