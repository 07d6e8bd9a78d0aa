import { join } from 'node:path';
import type { GatewayContext } from '../context';
import { CORS_HEADERS } from '../http/api-answer';
import { PLACEHOLDER_SCRIPT } from './placeholder';
import { scriptSafeJson, widgetConfig } from './script-config';
import { BUNDLE_FILE, readTextFile } from './widget-files';

/**
 * GET /1/pay/jsbutton/returnscripts?appId=…: the widget bundle wrapped with the app's public config, in one
 * script, read per request so that a rebuild shows at once. Without a built bundle, a placeholder that says so.
 */
export async function serveReturnScripts(context: GatewayContext, request: Request, base: string): Promise<Response> {
  const appId = new URL(request.url).searchParams.get('appId') ?? '';
  const config = widgetConfig(appId, context.apps.get(appId), base);
  const bundle = (await readTextFile(join(context.widgetDir, BUNDLE_FILE))) ?? PLACEHOLDER_SCRIPT;
  const script = `(function(__SPAY_CONFIG__){\n${bundle}\n})(${scriptSafeJson(config)});\n`;
  return new Response(script, {
    status: 200,
    headers: {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...CORS_HEADERS,
    },
  });
}

/** GET /1/pay/jsbutton/config?appId=…: the same public config as JSON, for the ES module build. */
export function serveConfig(context: GatewayContext, request: Request, base: string): Response {
  const appId = new URL(request.url).searchParams.get('appId') ?? '';
  return Response.json(widgetConfig(appId, context.apps.get(appId), base), {
    headers: { 'Cache-Control': 'no-cache', ...CORS_HEADERS },
  });
}
