import { currentEnvironment, type Environment } from './core/environment';
import { type SpayError, spayError } from './core/errors';
import { resolveChannels } from './core/resolve-channels';
import { checkFlag, validateClickData } from './core/validate';
import type { WidgetConfig } from './config';
import { deliverError } from './deliver-error';
import { PaySession } from './session';
import { type Lang, pickLang } from './ui/strings';
import type { ClickEvent, ClickOutcome } from './types';

/** Options of a payment button instance. */
export interface ButtonOptions {
  config: WidgetConfig;
  /** Receives every error after the event's own dataError; BC.err in the script-tag build. */
  onError(error: SpayError): void;
  lang?: Lang;
  environment?: Environment;
  navigate?(url: string): void;
  alert?(message: string): void;
}

/** A payment button: `click` runs one order; `close` removes an open modal (for unmounting pages). */
export interface PayButton {
  click(data: unknown, event?: unknown): Promise<ClickOutcome>;
  close(): void;
}

const SECRET_FIELDS = ['app_secret', 'appSecret', 'master_secret', 'masterSecret'];

/** Creates the button behind BC.click and the ES module's `click`. */
export function createPayButton(options: ButtonOptions): PayButton {
  let active: PaySession | null = null;

  function click(data: unknown, rawEvent?: unknown): Promise<ClickOutcome> {
    const event: ClickEvent = typeof rawEvent === 'object' && rawEvent !== null ? (rawEvent as ClickEvent) : {};
    try {
      return start(data, event);
    } catch (error) {
      // Never throw into the merchant's page: an unexpected fault is reported like any other error.
      return failed(spayError('GATEWAY', `the payment button failed unexpectedly: ${(error as Error)?.message}`), event);
    }
  }

  function start(data: unknown, event: ClickEvent): Promise<ClickOutcome> {
    const debugOn = isDebug(data);
    const debug = (step: string) => {
      if (debugOn) (options.alert ?? globalThis.alert)?.(`[秒支付] ${step}`);
    };
    if (debugOn && SECRET_FIELDS.some((field) => field in (data as object))) {
      debug('app_secret must never be put in a page: anyone can read it. It was not sent; sign on your server.');
    }
    if (active && !active.finished) {
      debug('a payment is already open; this click is ignored');
      return active.done;
    }
    const checked = validateClickData(data);
    if (!checked.ok) return failed(checked.error, event, debug);
    const order = checked.value;
    const { config } = options;
    if (config.appError) return failed(spayError('APP_INVALID', config.appError, 'appId'), event, debug);
    const env = options.environment ?? currentEnvironment();
    const resolved = resolveChannels(config.channels, env.place, { instantChannel: order.instantChannel, openid: order.openid });
    if (!resolved.ok) return failed(resolved.error, event, debug);
    debug(`order ${order.outTradeNo} ok, ${env.place}`);
    const lang = options.lang ?? pickLang(undefined, globalThis.document?.documentElement.lang);
    const session = new PaySession(order, resolved.value.kind === 'pick' ? resolved.value.channels : [resolved.value.channel], event, {
      config,
      lang,
      mobile: env.mobile,
      wechat: env.wechat,
      report: (error) => deliver(error, event),
      debug,
      navigate: options.navigate ?? ((url) => location.assign(url)),
      doc: document,
    });
    active = session;
    if (resolved.value.kind === 'pick') session.pick();
    else void session.choose(resolved.value.channel);
    return session.done;
  }

  function failed(error: SpayError, event: ClickEvent, debug?: (step: string) => void): Promise<ClickOutcome> {
    debug?.(`error: ${error.ERROR}`);
    deliver(error, event);
    return Promise.resolve({ status: 'failed', error });
  }

  function deliver(error: SpayError, event: ClickEvent): void {
    deliverError(error, event, options.onError);
  }

  return {
    click,
    close() {
      active?.close();
      active = null;
    },
  };
}

// Read before validation, so that debug mode can also report invalid data; same rule as the field check.
function isDebug(data: unknown): boolean {
  const flag = checkFlag('debug', typeof data === 'object' && data !== null ? (data as { debug?: unknown }).debug : undefined, false);
  return flag.ok && flag.value;
}
