import type { App } from './apps';
import type { LivePayments } from './channels/live-payments';
import type { Store } from './stores/store';
import type { WebhookDeliverer } from './webhooks/deliverer';
import type { WidgetFiles } from './widget/widget-files';

/** What every route needs: apps by id (in configured order), bills, webhook delivery, the widget's files, public URL, log. */
export interface GatewayContext {
  apps: ReadonlyMap<string, App>;
  store: Store;
  webhooks: WebhookDeliverer;
  widget: WidgetFiles;
  publicUrl?: string;
  log: (line: string) => void;
  /** Live channels (apps with `live` credentials); absent or without a connector for a bill: the sandbox plays it. */
  live?: LivePayments;
}

/** The origin (and path prefix, if configured) the gateway's answers use: `publicUrl`, else the request's `origin`. */
export function publicBase(context: GatewayContext, origin: string): string {
  const base = context.publicUrl ?? origin;
  return base.endsWith('/') ? base.replace(/\/+$/, '') : base;
}

/** The path prefix of the public base ('' unless publicUrl has a path), for root-relative links. */
export function publicPath(base: string): string {
  return new URL(base).pathname.replace(/\/+$/, '');
}
