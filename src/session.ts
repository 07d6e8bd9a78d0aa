import { h } from 'preact';
import { alipayGuideUrl } from './actions/alipay-guide';
import { pollBill } from './actions/poll-bill';
import { redirectTo } from './actions/redirect';
import { submitChannelForm } from './actions/submit-form';
import { loadQrEncoder } from './actions/load-qr';
import { invokeWechatPay, isWechatPaid, jsapiParams, waitForBridge } from './actions/wechat-jsapi';
import { JSAPI_CHANNELS, QR_CHANNELS } from './core/channels';
import { withResultParams } from './core/return-url';
import { type SpayError, spayError } from './core/errors';
import { checkJsapiOpenid, type UsableChannel } from './core/resolve-channels';
import { amountInFen, type Order } from './core/validate';
import type { WidgetConfig } from './config';
import { type BillAnswer, createBill } from './gateway-client';
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

const RETRYABLE = new Set(['NETWORK', 'GATEWAY']);
const RETURN_DELAY_MS = 1200;

/**
 * One order on its way through the modal: owns the view state, the bill request and the QR poll.
 * Resolves `done` once with the outcome.
 */
export class PaySession {
  readonly done: Promise<ClickOutcome>;
  private settle!: (outcome: ClickOutcome) => void;
  private settled = false;
  private lastError: SpayError | null = null;
  private state: ViewState = { view: 'picking' };
  private mounted: Mounted | null = null;
  private opener: Element | null = null;
  private abort = new AbortController();
  private current: UsableChannel | null = null;
  private savedOverflow: string | null = null;
  private preconnect: HTMLLinkElement | null = null;

  constructor(
    private readonly order: Order,
    private readonly channels: UsableChannel[],
    private readonly event: ClickEvent,
    private readonly deps: SessionDeps,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** Shows the picker. */
  pick(): void {
    this.show({ view: 'picking' });
  }

  /** Goes on with one channel: bill, then form, redirect, QR or WeChat. */
  async choose(channel: UsableChannel): Promise<void> {
    if (this.settled || this.closed || (this.state.view === 'picking' && this.state.busy)) return;
    this.current = channel;
    const openid = checkJsapiOpenid(channel, this.order.openid);
    if (!openid.ok) return this.fail(openid.error, false);
    this.deps.debug(`channel ${channel.key} → ${channel.rest}`);
    if (this.mounted) this.show({ view: 'picking', busy: channel });
    const isQr = QR_CHANNELS.includes(channel.rest);
    // Start fetching the QR encoder while the bill is created, so it adds no waiting.
    const encoder = isQr ? loadQrEncoder(this.deps.config.assetBase) : null;
    encoder?.catch(() => {});
    const answer = await createBill(this.deps.config.apiBase, this.billRequest(channel), this.abort.signal);
    if (this.closed) return;
    if (!answer.ok) return this.fail(answer.error, RETRYABLE.has(answer.error.code));
    this.deps.debug(`bill ${answer.value.id} created`);
    const bill = answer.value;
    if (JSAPI_CHANNELS.includes(channel.rest)) return this.payInWechat(bill);
    if (channel.key === 'ali' && this.deps.wechat && this.order.needAliGuide) {
      return this.leave(channel, bill, redirectTo(alipayGuideUrl(this.deps.config.apiBase, bill.id), this.deps.navigate));
    }
    if (bill.code_url && encoder) return this.showQr(bill, channel, encoder);
    if (bill.html) return this.leave(channel, bill, submitChannelForm(bill.html, this.deps.doc));
    if (bill.url) return this.leave(channel, bill, redirectTo(bill.url, this.deps.navigate));
    return this.fail(spayError('GATEWAY', `the payment gateway answered ${channel.rest} with no html, url or code_url`), true);
  }

  /** Closes the modal; an unfinished order ends as cancelled, or failed if its last try failed. */
  close(): void {
    this.abort.abort();
    this.unmount();
    const channel = this.current?.rest;
    this.finish(this.lastError ? { status: 'failed', channel, error: this.lastError } : { status: 'cancelled', channel });
  }

  private get closed(): boolean {
    return this.abort.signal.aborted;
  }

  private billRequest(channel: UsableChannel) {
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

  private leave(channel: UsableChannel, bill: BillAnswer, result: { ok: boolean; error?: SpayError }): void {
    if (!result.ok) return this.fail(result.error as SpayError, false);
    this.deps.debug(`leaving for ${channel.rest}`);
    if (this.mounted) {
      this.show({ view: 'leaving', channel });
      // Back from the channel, the browser may restore this page as it was: drop the stale modal.
      this.deps.doc.defaultView?.addEventListener(
        'pageshow',
        (event) => {
          if ((event as PageTransitionEvent).persisted) this.unmount();
        },
        { once: true },
      );
    }
    this.finish({ status: 'redirected', channel: channel.rest, billId: bill.id });
  }

  private async showQr(bill: BillAnswer, channel: UsableChannel, encoder: ReturnType<typeof loadQrEncoder>): Promise<void> {
    this.ensureMounted();
    this.show({ view: 'qr', channel, matrix: null });
    try {
      const { encodeQr } = await encoder;
      if (this.closed) return;
      this.show({ view: 'qr', channel, matrix: encodeQr(bill.code_url as string) });
    } catch {
      return this.fail(spayError('NETWORK', 'the QR code encoder could not be loaded from the payment gateway'), true);
    }
    const end = await pollBill({ apiBase: this.deps.config.apiBase, billId: bill.id, signal: this.abort.signal });
    if (end.kind === 'closed' || this.closed) return;
    if (end.kind === 'paid') return this.paid(channel, bill);
    const text = end.kind === 'expired' ? 'the QR code expired before it was paid' : `the payment was ${end.status === 'CANCELLED' ? 'cancelled' : 'not completed'} on the buyer's side`;
    this.fail(spayError('GATEWAY', text), true);
  }

  private paid(channel: UsableChannel, bill: BillAnswer): void {
    const returnUrl = this.order.returnUrl;
    this.show({ view: 'success', returning: Boolean(returnUrl) });
    this.deps.debug('paid');
    this.finish({ status: 'paid', channel: channel.rest, billId: bill.id });
    if (returnUrl) {
      const target = withResultParams(returnUrl, { out_trade_no: this.order.outTradeNo, trade_success: 'true', channel: channel.rest });
      setTimeout(() => this.deps.navigate(target), RETURN_DELAY_MS);
    }
  }

  private async payInWechat(bill: BillAnswer): Promise<void> {
    const params = jsapiParams(bill);
    if (!params.ok) return this.fail(params.error, false);
    if (this.mounted) this.show({ view: 'wechat' });
    const bridge = await waitForBridge(this.deps.doc.defaultView ?? window);
    if (this.closed) return;
    if (!bridge.ok) return this.fail(bridge.error, false);
    this.deps.debug('invoking getBrandWCPayRequest');
    const res = await invokeWechatPay(bridge.value, params.value);
    const paid = isWechatPaid(res);
    const { wxJsapiFinish, wxJsapiSuccess, wxJsapiFail } = this.event;
    safeCall(wxJsapiFinish, res);
    safeCall(paid ? wxJsapiSuccess : wxJsapiFail, res);
    this.unmount();
    const cancelled = /:cancel$/.test(String(res.err_msg));
    this.finish({ status: paid ? 'paid' : cancelled ? 'cancelled' : 'failed', channel: this.current?.rest, billId: bill.id, wechat: res });
  }

  /** Reports the error; a retryable one keeps the order open in the error view, others end it. */
  private fail(error: SpayError, canRetry: boolean): void {
    this.deps.debug(`error: ${error.ERROR}`);
    this.deps.report(error);
    this.lastError = error;
    if (canRetry || this.mounted) this.show({ view: 'error', error, canRetry });
    if (!canRetry) this.finish({ status: 'failed', channel: this.current?.rest, error });
  }

  private retry = () => {
    if (this.current) void this.choose(this.current);
  };

  private ensureMounted(): void {
    if (this.mounted) return;
    const doc = this.deps.doc;
    this.opener = doc.activeElement;
    this.mounted = mountModal(doc);
    this.preconnect = preconnectTo(doc, this.deps.config.apiBase);
    if (this.deps.mobile) {
      // Lock the page behind the bottom sheet so a swipe scrolls the sheet, not the shop.
      this.savedOverflow = doc.documentElement.style.overflow;
      doc.documentElement.style.overflow = 'hidden';
    }
  }

  private unmount(): void {
    if (!this.mounted) return;
    this.mounted.remove();
    this.mounted = null;
    this.preconnect?.remove();
    if (this.savedOverflow !== null) this.deps.doc.documentElement.style.overflow = this.savedOverflow;
    if (this.opener instanceof HTMLElement && this.opener.isConnected) this.opener.focus();
  }

  private show(state: ViewState): void {
    this.state = state;
    this.ensureMounted();
    (this.mounted as Mounted).render(
      h(PayDialog, {
        state,
        order: { title: this.order.title, fen: amountInFen(this.order.amount), outTradeNo: this.order.outTradeNo },
        channels: this.channels,
        lang: this.deps.lang,
        mobile: this.deps.mobile,
        sandbox: this.deps.config.sandbox,
        onChoose: (channel) => void this.choose(channel),
        onRetry: this.retry,
        onClose: () => this.close(),
        onDone: () => this.close(),
      }),
    );
  }

  private finish(outcome: ClickOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(outcome);
  }

  /** True once the outcome is known and the modal, if any, is gone. */
  get finished(): boolean {
    return this.settled && !this.mounted;
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

function safeCall<T>(callback: ((value: T) => void) | undefined, value: T): void {
  if (typeof callback !== 'function') return;
  try {
    callback(value);
  } catch (error) {
    console.error(error);
  }
}
