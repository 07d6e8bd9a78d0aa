import type { App } from './apps';
import type { BillStore } from './bills/store';
import type { WebhookDeliverer } from './webhooks/deliverer';

/** What every route needs: apps by id (in configured order), bills, webhook delivery, widget files, public URL, log. */
export interface GatewayContext {
  apps: ReadonlyMap<string, App>;
  store: BillStore;
  webhooks: WebhookDeliverer;
  widgetDir: string;
  publicUrl?: string;
  log: (line: string) => void;
}

/** The origin (and path prefix, if configured) the gateway's answers use: `publicUrl`, else the request's own origin. */
export function publicBase(context: GatewayContext, request: Request): string {
  return (context.publicUrl ?? new URL(request.url).origin).replace(/\/+$/, '');
}

/** The path prefix of the public base ('' unless publicUrl has a path), for root-relative links. */
export function publicPath(base: string): string {
  return new URL(base).pathname.replace(/\/+$/, '');
}
