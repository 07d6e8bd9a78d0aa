import { COMPILE_HINT } from '../../src/compile-hint';
import type { GatewayContext } from '../context';
import { CORS_HEADERS } from '../http/api-answer';
import { type Answer, answerWith } from '../http/answer';
import { BEST_BROTLI, FAST_BROTLI, encodeBody, encodedAnswer } from '../http/content-coding';
import type { GatewayRequest } from '../http/gateway-request';
import { PLACEHOLDER_SCRIPT } from './placeholder';
import { scriptSafeJson, widgetConfig } from './script-config';
import { BUNDLE_FILE, SCRIPT_CACHE_CONTROL } from './widget-files';

/**
 * GET /1/pay/jsbutton/returnscripts?appId=…: the widget bundle wrapped with the app's public config, in one script,
 * after V8's compile hint (see COMPILE_HINT).
 * Built and compressed once per version of the bundle and config, cached briefly and then revalidated by ETag
 * (SCRIPT_CACHE_CONTROL). Without a built bundle, a placeholder that says so.
 */
export async function serveReturnScripts(context: GatewayContext, request: GatewayRequest, appId: string, base: string): Promise<Answer> {
  const app = context.apps.get(appId);
  const config = scriptSafeJson(widgetConfig(appId, app, base));
  const bundle = await context.widget.read(BUNDLE_FILE);
  // A known app at the configured public URL has one script per build; any other appId or Host header makes a new
  // one, which anyone can ask for, so those get the fast brotli rather than ~40 ms of the smallest each.
  const brotliQuality = app !== undefined && context.publicUrl !== undefined ? BEST_BROTLI : FAST_BROTLI;
  const body = await context.widget.derived(`returnscripts ${bundle?.stamp ?? 'placeholder'} ${config}`, () => {
    const source = bundle === undefined ? PLACEHOLDER_SCRIPT : bundle.bytes.toString('utf8');
    const script = `${COMPILE_HINT}\n(function(__SPAY_CONFIG__){\n${source}\n})(${config});\n`;
    return encodeBody(Buffer.from(script, 'utf8'), { compress: true, brotliQuality });
  });
  return encodedAnswer(request, body, 'application/javascript; charset=utf-8', {
    // The placeholder must give way to the widget as soon as it is built.
    'Cache-Control': bundle === undefined ? 'no-cache' : SCRIPT_CACHE_CONTROL,
    'X-Content-Type-Options': 'nosniff',
    ...CORS_HEADERS,
  });
}

/** GET /1/pay/jsbutton/config?appId=…: the same public config as JSON, for the ES module build. */
export function serveConfig(context: GatewayContext, appId: string, base: string): Answer {
  return answerWith(JSON.stringify(widgetConfig(appId, context.apps.get(appId), base)), 200, {
    'Cache-Control': SCRIPT_CACHE_CONTROL,
    ...CORS_HEADERS,
    // What Response.json sets.
    'Content-Type': 'application/json',
  });
}
