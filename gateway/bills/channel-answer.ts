import type { RestChannel } from '../../src/core/channels';
import { escapeHtml } from '../http/escape-html';
import { SANDBOX_WECHAT_APP_ID } from '../sandbox/wechat-sandbox';
import type { Bill } from './bill';

const FORM_IDS: Partial<Record<RestChannel, string>> = {
  ALI_WEB: 'alipaysubmit',
  ALI_WAP: 'alipaysubmit',
  UN_WEB: 'pay_form',
  UN_WAP: 'pay_form',
  BC_EXPRESS: 'bc_express_form',
  JD_WEB: 'jdpaysubmit',
  JD_WAP: 'jdpaysubmit',
};

/** The sandbox cashier URL for a bill, as a channel's redirect URL would be. */
export function cashierUrl(base: string, bill: Bill, channel: RestChannel): string {
  return `${base}/sandbox/cashier/${encodeURIComponent(bill.id)}?channel=${channel}`;
}

/**
 * The channel fields of a bill answer (REST v2 names): `html` and/or `url`, `code_url`, or WeChat's JSAPI
 * parameters, all pointing at the sandbox. `base` is the gateway's public origin.
 */
export function channelAnswer(base: string, bill: Bill, channel: RestChannel): Record<string, string> {
  switch (channel) {
    case 'ALI_WEB':
    case 'ALI_WAP':
      return { html: autoSubmitForm(base, bill, channel), url: cashierUrl(base, bill, channel) };
    case 'UN_WEB':
    case 'UN_WAP':
    case 'BC_EXPRESS':
      return { html: autoSubmitForm(base, bill, channel) };
    case 'WX_NATIVE':
    case 'BC_NATIVE':
      return { code_url: `${base}/sandbox/qr/${encodeURIComponent(bill.id)}` };
    case 'WX_JSAPI':
    case 'BC_WX_JSAPI': {
      if (bill.jsapi === undefined) throw new Error(`bill ${bill.id} has no JSAPI grant for ${channel}`);
      const { prepay_id, nonce_str, timestamp, pay_sign } = bill.jsapi;
      return { app_id: SANDBOX_WECHAT_APP_ID, package: `prepay_id=${prepay_id}`, nonce_str, timestamp, sign_type: 'MD5', pay_sign };
    }
    default:
      return { url: cashierUrl(base, bill, channel) };
  }
}

/** A self-submitting form that opens the sandbox cashier for a bill, as a channel's `html` answer is. */
export function autoSubmitForm(base: string, bill: Bill, channel: RestChannel): string {
  const id = FORM_IDS[channel] ?? 'pay_form';
  const action = `${base}/sandbox/cashier/${encodeURIComponent(bill.id)}`;
  const inputs: Array<[string, string]> = [
    ['channel', channel],
    ['out_trade_no', bill.out_trade_no],
    ['total_fee', String(bill.fee)],
    ['ts', String(Date.now())],
  ];
  const fields = inputs.map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`);
  return (
    `<form id="${id}" name="${id}" action="${escapeHtml(action)}" method="POST">${fields.join('')}</form>` +
    `<script>document.forms[0].submit();</script>`
  );
}
