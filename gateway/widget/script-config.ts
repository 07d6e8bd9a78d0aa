import { configForGateway, type WidgetConfig } from '../../src/config';
import type { App } from '../apps';

export type { WidgetConfig };

/** The config for `appId`; an unknown or missing app gets no channels and an `appError` for BC.click to report. */
export function widgetConfig(appId: string, app: App | undefined, base: string): WidgetConfig {
  const config: WidgetConfig = { ...configForGateway(base, appId, app === undefined ? [] : [...app.channels]), sandbox: true };
  if (app === undefined) config.appError = `appId ${JSON.stringify(appId)} is not a known app`;
  return config;
}

/** JSON that is safe inside a <script> element: no `<` (so no `</script>` or `<!--`), and no U+2028/U+2029. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
