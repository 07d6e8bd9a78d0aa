import { alipayGuideUrl } from '../actions/alipay-guide';
import { pollBill } from '../actions/poll-bill';
import { redirectTo } from '../actions/redirect';
import { submitChannelForm } from '../actions/submit-form';
import { invokeWechatPay, isWechatPaid, jsapiParams, waitForBridge } from '../actions/wechat-jsapi';
import { JSAPI_CHANNELS } from '../core/channels';
import { type Checked, type SpayError, spayError } from '../core/errors';
import { withResultParams } from '../core/return-url';
import type { UsableChannel } from '../core/resolve-channels';
import type { Order } from '../core/validate';
import type { GatewayReply } from '../gateway-call';
import { afterPaint } from '../after-paint';
import { type BillAnswer, readReply } from '../gateway-client';
import type { SessionDeps } from '../session';
import type { ViewState } from '../ui/state';
import type { ClickEvent, ClickOutcome } from '../types';

/**
 * The steps after the bill request, loaded separately from the script-tag bundle: a buyer needs them
 * only once a channel is chosen, and they load while the buyer looks at the picker.
 */

/** What the steps need from the session that runs the order. */
export interface PayRun {
  readonly order: Order;
  readonly event: ClickEvent;
  readonly deps: SessionDeps;
  /** True once the buyer closed the modal: every step stops there. */
  readonly closed: boolean;
  readonly signal: AbortSignal;
  /** True while the modal is on the page (instant channels may never open it). */
  readonly isOpen: boolean;
  show(state: ViewState): void;
  fail(error: SpayError, canRetry: boolean): void;
  finish(outcome: ClickOutcome): void;
  unmount(): void;
}

export type QrEncoder = Promise<typeof import('../qr/index')>;

const RETRYABLE = new Set(['NETWORK', 'GATEWAY']);
const RETURN_DELAY_MS = 1200;

/** Reads the bill answer and goes on: WeChat JSAPI, the Alipay guide, a QR code, a form or a redirect. */
export async function followBill(run: PayRun, channel: UsableChannel, reply: Checked<GatewayReply>, encoder: QrEncoder | null): Promise<void> {
  const answer = readReply<BillAnswer>(reply);
  if (!answer.ok) return run.fail(answer.error, RETRYABLE.has(answer.error.code));
  const bill = answer.value;
  const { deps } = run;
  deps.debug(`bill ${bill.id} created`);
  if (JSAPI_CHANNELS.includes(channel.rest)) return payInWechat(run, channel, bill);
  if (channel.key === 'ali' && deps.wechat && run.order.needAliGuide) {
    return leave(run, channel, bill, redirectTo(alipayGuideUrl(deps.config.apiBase, bill.id), deps.navigate));
  }
  if (bill.code_url && encoder) return showQr(run, channel, bill, encoder);
  if (bill.html) return leave(run, channel, bill, submitChannelForm(bill.html, deps.doc));
  if (bill.url) return leave(run, channel, bill, redirectTo(bill.url, deps.navigate));
  run.fail(spayError('GATEWAY', `the payment gateway answered ${channel.rest} with no html, url or code_url`), true);
}

function leave(run: PayRun, channel: UsableChannel, bill: BillAnswer, result: Checked<unknown>): void {
  if (!result.ok) return run.fail(result.error, false);
  run.deps.debug(`leaving for ${channel.rest}`);
  if (run.isOpen) {
    run.show({ view: 'leaving', channel });
    // Back from the channel, the browser may restore this page as it was: drop the stale modal.
    run.deps.doc.defaultView?.addEventListener(
      'pageshow',
      (event) => {
        if ((event as PageTransitionEvent).persisted) run.unmount();
      },
      { once: true },
    );
  }
  run.finish({ status: 'redirected', channel: channel.rest, billId: bill.id });
}

async function showQr(run: PayRun, channel: UsableChannel, bill: BillAnswer, encoder: QrEncoder): Promise<void> {
  // Once the wait has ended, the view belongs to its outcome.
  let polled = false;
  try {
    // An encoder that has already loaded wins the race (its reaction is queued first): the QR is then
    // drawn in this task, with no "loading" render before it.
    const ready = await Promise.race([encoder, null]);
    if (!ready) run.show({ view: 'qr', channel, matrix: null });
    const { encodeQr, qrImage } = ready ?? (await encoder);
    if (run.closed) return;
    const matrix = encodeQr(bill.code_url as string);
    run.show({ view: 'qr', channel, matrix });
    if (run.deps.mobile) {
      // On a phone the buyer saves the code to scan it from WeChat's album, and only an image can be saved.
      // It replaces the SVG after that has painted, so the code shows no later for it.
      afterPaint(run.deps.doc.defaultView, () => {
        const image = polled || run.closed ? null : qrImage(matrix, run.deps.doc);
        if (image) run.show({ view: 'qr', channel, matrix, image });
      });
    }
  } catch {
    return run.fail(spayError('NETWORK', 'the QR code encoder could not be loaded from the payment gateway'), true);
  }
  const end = await pollBill({ apiBase: run.deps.config.apiBase, billId: bill.id, signal: run.signal });
  polled = true;
  if (end.kind === 'closed' || run.closed) return;
  if (end.kind === 'paid') return paid(run, channel, bill);
  const text =
    end.kind === 'expired'
      ? 'the QR code expired before it was paid'
      : `the payment was ${end.status === 'CANCELLED' ? 'cancelled' : 'not completed'} on the buyer's side`;
  run.fail(spayError('GATEWAY', text), true);
}

function paid(run: PayRun, channel: UsableChannel, bill: BillAnswer): void {
  const { order, deps } = run;
  run.show({ view: 'success', returning: Boolean(order.returnUrl) });
  deps.debug('paid');
  run.finish({ status: 'paid', channel: channel.rest, billId: bill.id });
  if (order.returnUrl) {
    const target = withResultParams(order.returnUrl, { out_trade_no: order.outTradeNo, trade_success: 'true', channel: channel.rest });
    setTimeout(() => deps.navigate(target), RETURN_DELAY_MS);
  }
}

async function payInWechat(run: PayRun, channel: UsableChannel, bill: BillAnswer): Promise<void> {
  const params = jsapiParams(bill);
  if (!params.ok) return run.fail(params.error, false);
  if (run.isOpen) run.show({ view: 'wechat' });
  const bridge = await waitForBridge(run.deps.doc.defaultView ?? window);
  if (run.closed) return;
  if (!bridge.ok) return run.fail(bridge.error, false);
  run.deps.debug('invoking getBrandWCPayRequest');
  const res = await invokeWechatPay(bridge.value, params.value);
  const isPaid = isWechatPaid(res);
  const { wxJsapiFinish, wxJsapiSuccess, wxJsapiFail } = run.event;
  safeCall(wxJsapiFinish, res);
  safeCall(isPaid ? wxJsapiSuccess : wxJsapiFail, res);
  run.unmount();
  const cancelled = /:cancel$/.test(String(res.err_msg));
  run.finish({ status: isPaid ? 'paid' : cancelled ? 'cancelled' : 'failed', channel: channel.rest, billId: bill.id, wechat: res });
}

function safeCall<T>(callback: ((value: T) => void) | undefined, value: T): void {
  if (typeof callback !== 'function') return;
  try {
    callback(value);
  } catch (error) {
    console.error(error);
  }
}
