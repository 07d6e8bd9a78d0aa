import type { App } from './apps';
import type { AppSettings, Store } from './stores/store';

/** The fields of an app that the console may set, by their name in the apps file. */
export const SETTABLE_FIELDS = ['channels', 'webhookUrl'] as const;

/** A field of an app the console may set. */
export type SettableField = (typeof SETTABLE_FIELDS)[number];

/**
 * The apps as the gateway serves them: each app of the apps file with the console's settings from the store laid
 * over it (a field set in the console wins over the file). `apps` is one Map, updated in place, so that every part
 * holding it (routes, the webhook deliverer) sees a change.
 */
export interface AppDirectory {
  /** The apps in effect, in the apps file's order. */
  readonly apps: ReadonlyMap<string, App>;
  /** The apps as the file gives them. */
  readonly fileApps: ReadonlyMap<string, App>;
  /** Re-reads the settings from the store when the last read is older than the refresh time; one read at a time. */
  fresh(): Promise<void>;
  /** Takes a settings record this gateway just stored, at once. */
  apply(settings: AppSettings): void;
  /** The settings in effect for an app (as last read), or undefined. */
  settingsOf(appId: string): AppSettings | undefined;
}

/** How often, at most, a gateway re-reads the console's settings that other gateways may have written: 1 s. */
export const SETTINGS_REFRESH_MS = 1000;

/** The app `file` with `settings` laid over it. */
export function effectiveApp(file: App, settings: AppSettings | undefined): App {
  const app: App = { ...file, channels: [...(settings?.channels ?? file.channels)] };
  const webhookUrl = settings?.webhook_url ?? file.webhookUrl;
  if (webhookUrl === undefined) delete app.webhookUrl;
  else app.webhookUrl = webhookUrl;
  return app;
}

/**
 * Creates the AppDirectory of `fileApps` over `store`. A failed read keeps the settings last read and is logged; the
 * next request tries again.
 */
export function createAppDirectory(fileApps: readonly App[], store: Store, log: (line: string) => void, refreshMs = SETTINGS_REFRESH_MS): AppDirectory {
  const file = new Map(fileApps.map((app) => [app.appId, app]));
  const apps = new Map(fileApps.map((app) => [app.appId, effectiveApp(app, undefined)]));
  const settings = new Map<string, AppSettings>();
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;

  const apply = (item: AppSettings): void => {
    const base = file.get(item.app_id);
    if (base === undefined) return;
    settings.set(item.app_id, item);
    apps.set(item.app_id, effectiveApp(base, item));
  };
  const read = async (): Promise<void> => {
    const started = Date.now();
    try {
      const all = await store.listAppSettings();
      const seen = new Set(all.map((item) => item.app_id));
      for (const item of all) apply(item);
      for (const appId of [...settings.keys()]) {
        if (seen.has(appId)) continue;
        settings.delete(appId);
        const base = file.get(appId);
        if (base !== undefined) apps.set(appId, effectiveApp(base, undefined));
      }
      readAt = started;
    } catch (error) {
      log(`app settings: the store could not be read (${(error as Error).message}); keeping the settings last read`);
      readAt = started;
    }
  };

  return {
    apps,
    fileApps: file,
    fresh() {
      if (Date.now() - readAt < refreshMs) return Promise.resolve();
      reading ??= read().finally(() => (reading = undefined));
      return reading;
    },
    apply,
    settingsOf: (appId) => settings.get(appId),
  };
}
