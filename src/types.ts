import type { RestChannel } from './core/channels';
import type { SpayError } from './core/errors';
import type { WechatPayResult } from './actions/wechat-jsapi';

/** The callbacks BC.click's `event` may carry; a type test keeps it equal to ClickEvent's keys. */
export const EVENT_CALLBACKS = ['dataError', 'wxJsapiFinish', 'wxJsapiSuccess', 'wxJsapiFail'] as const;
/** How a click can end; a type test keeps it equal to ClickOutcome['status']. */
export const OUTCOME_STATUSES = ['paid', 'redirected', 'cancelled', 'failed'] as const;

/** How a click can end, as ClickOutcome['status']. */
export type ClickStatus = (typeof OUTCOME_STATUSES)[number];

/** The optional second argument of BC.click: callbacks, as in the original service. */
export interface ClickEvent {
  /** Called once with every error of this click (invalid data, refused bill, network, bridge). */
  dataError?: (error: SpayError) => void;
  /** Called when WeChat's JSAPI payment call finished, whatever its result. */
  wxJsapiFinish?: (res: WechatPayResult) => void;
  /** Called when WeChat reports `get_brand_wcpay_request:ok`. */
  wxJsapiSuccess?: (res: WechatPayResult) => void;
  /** Called when WeChat reports anything else (cancel, fail). */
  wxJsapiFail?: (res: WechatPayResult) => void;
}

/**
 * How a click ended: `paid` (QR or WeChat JSAPI confirmed), `redirected` (the page is leaving for
 * the channel), `cancelled` (the buyer closed the modal or cancelled in WeChat), `failed` (an error,
 * also delivered to `dataError` and `BC.err`). The webhook, not this, is the proof of payment.
 */
export interface ClickOutcome {
  status: ClickStatus;
  channel?: RestChannel;
  billId?: string;
  error?: SpayError;
  wechat?: WechatPayResult;
}
