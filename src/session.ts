import { h } from 'preact';
import { loadPaySteps, loadQrEncoder } from './actions/lazy-modules';
import { afterPaint } from './after-paint';
import { JSAPI_CHANNELS, QR_CHANNELS } from './core/channels';
import { type SpayError, spayError } from './core/errors';
import { checkJsapiOpenid, type UsableChannel } from './core/resolve-channels';
import { amountInFen, type Order } from './core/validate';
import type { WidgetConfig } from './config';
import { type BillRequest, sendBill } from './gateway-call';
import type { PayRun } from './pay/follow-bill';
import { mountModal, type Mounted } from './ui/mount';
import { PayDialog } from './ui/PayDialog';
import type { ViewState } from './ui/state';
import type { Lang } from './ui/strings';
import type { ClickEvent, ClickOutcome } from './types';

/** What a session needs from its surroundings; tests and the two entries fill it in. */
export interface SessionDeps {
  config: WidgetConfig;
  lang: Lang;
  mobile: boolean;
  /** Inside WeChat's browser, where Alipay needs the guide. */
  wechat: boolean;
  report(error: SpayError): void;
  debug(step: string): void;
  navigate(url: string): void;
  doc: Document;
}

/**
 * One order on its way through the modal: owns the view state and the bill request. What follows the
 * bill lives in pay/follow-bill, loaded while the buyer picks. Resolves `done` once with the outcome.
 */
export class PaySession implements PayRun {
  readonly done: Promise<ClickOutcome>;
  readonly #channels: UsableChannel[];
  #settle!: (outcome: ClickOutcome) => void;
  #settled = false;
  #lastError: SpayError | null = null;
  #state: ViewState = { view: 'picking' };
  #mounted: Mounted | null = null;
  #opener: Element | null = null;
  #abort = new AbortController();
  #current: UsableChannel | null = null;
  #savedOverflow: string | null = null;
  #preconnect: HTMLLinkElement | null = null;

  constructor(
    readonly order: Order,
    channels: UsableChannel[],
    readonly event: ClickEvent,
    readonly deps: SessionDeps,
  ) {
    this.#channels = channels;
    this.done = new Promise((resolve) => (this.#settle = resolve));
  }

  /** Shows the picker. */
  pick(): void {
    this.show({ view: 'picking' });
  }

  /** Goes on with one channel: bill, then form, redirect, QR or WeChat. */
  async choose(channel: UsableChannel): Promise<void> {
    if (this.#settled || this.closed || (this.#state.view === 'picking' && this.#state.busy)) return;
    this.#current = channel;
    const openid = checkJsapiOpenid(channel, this.order.openid);
    if (!openid.ok) return this.fail(openid.error, false);
    const { config } = this.deps;
    this.deps.debug(`channel ${channel.key} → ${channel.rest}`);
    // The next steps and the QR encoder load while the bill is created, so they add no waiting.
    const encoder = QR_CHANNELS.includes(channel.rest) ? loadQrEncoder(config.assetBase) : null;
    if (this.#mounted) this.show({ view: 'picking', busy: channel });
    // A QR bill always ends in the modal: open it now, so that its first render is not on the way to the QR.
    else if (encoder) this.show({ view: 'qr', channel, matrix: null });
    encoder?.catch(() => {});
    const steps = loadPaySteps(config.assetBase);
    const reply = sendBill(config.apiBase, this.#billRequest(channel), this.#abort.signal);
    const loaded = await steps.catch(() => null);
    if (this.closed) return;
    // Said at once rather than after the bill answers; a retry finds the same bill, so none is lost.
    if (!loaded) return this.fail(spayError('NETWORK', 'the payment steps could not be loaded from the payment gateway'), true);
    const answer = await reply;
    if (this.closed) return;
    return loaded.followBill(this, channel, answer, encoder);
  }

  /** Closes the modal; an unfinished order ends as cancelled, or failed if its last try failed. */
  close(): void {
    this.#abort.abort();
    this.unmount();
    const channel = this.#current?.rest;
    this.finish(this.#lastError ? { status: 'failed', channel, error: this.#lastError } : { status: 'cancelled', channel });
  }

  get closed(): boolean {
    return this.#abort.signal.aborted;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get isOpen(): boolean {
    return this.#mounted !== null;
  }

  #billRequest(channel: UsableChannel): BillRequest {
    const { order, deps } = this;
    return {
      app_id: deps.config.appId,
      channel: channel.rest,
      title: order.title,
      amount: order.amount,
      out_trade_no: order.outTradeNo,
      sign: order.sign,
      return_url: order.returnUrl,
      optional: order.optional,
      openid: JSAPI_CHANNELS.includes(channel.rest) ? order.openid : undefined,
      use_app: channel.rest === 'ALI_WAP' ? order.useApp : undefined,
      buyer_id: order.buyerId,
    };
  }

  /** Reports the error; a retryable one keeps the order open in the error view, others end it. */
  fail(error: SpayError, canRetry: boolean): void {
    this.deps.debug(`error: ${error.ERROR}`);
    this.deps.report(error);
    this.#lastError = error;
    if (canRetry || this.#mounted) this.show({ view: 'error', error, canRetry });
    if (!canRetry) this.finish({ status: 'failed', channel: this.#current?.rest, error });
  }

  #retry = () => {
    if (this.#current) void this.choose(this.#current);
  };

  #ensureMounted(): void {
    if (this.#mounted) return;
    const doc = this.deps.doc;
    this.#opener = doc.activeElement;
    const mounted = (this.#mounted = mountModal(doc));
    // Once the dialog has painted. While the buyer picks, the connection warms up and the next steps
    // load, so that choosing costs only the bill's round trip.
    afterPaint(doc.defaultView, () => {
      if (this.#mounted !== mounted) return;
      this.#preconnect = preconnectTo(doc, this.deps.config.apiBase);
      loadPaySteps(this.deps.config.assetBase).catch(() => {});
    });
    if (this.deps.mobile) {
      // Lock the page behind the bottom sheet so a swipe scrolls the sheet, not the shop.
      this.#savedOverflow = doc.documentElement.style.overflow;
      doc.documentElement.style.overflow = 'hidden';
    }
  }

  unmount(): void {
    if (!this.#mounted) return;
    this.#mounted.remove();
    this.#mounted = null;
    this.#preconnect?.remove();
    this.#preconnect = null;
    if (this.#savedOverflow !== null) this.deps.doc.documentElement.style.overflow = this.#savedOverflow;
    if (this.#opener instanceof HTMLElement && this.#opener.isConnected) this.#opener.focus();
  }

  show(state: ViewState): void {
    this.#state = state;
    this.#ensureMounted();
    (this.#mounted as Mounted).render(
      h(PayDialog, {
        state,
        order: { title: this.order.title, fen: amountInFen(this.order.amount), outTradeNo: this.order.outTradeNo },
        channels: this.#channels,
        lang: this.deps.lang,
        mobile: this.deps.mobile,
        sandbox: this.deps.config.sandbox,
        onChoose: (channel) => void this.choose(channel),
        onRetry: this.#retry,
        onClose: () => this.close(),
        onDone: () => this.close(),
      }),
    );
  }

  finish(outcome: ClickOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle(outcome);
  }

  /** True once the outcome is known and the modal, if any, is gone. */
  get finished(): boolean {
    return this.#settled && !this.#mounted;
  }
}

/** Warms up the connection to the gateway while the buyer picks, so the bill costs one round trip. */
function preconnectTo(doc: Document, apiBase: string): HTMLLinkElement | null {
  const link = doc.createElement('link');
  link.rel = 'preconnect';
  link.href = new URL(apiBase, doc.baseURI).origin;
  link.crossOrigin = 'anonymous';
  doc.head?.appendChild(link);
  return link;
}
