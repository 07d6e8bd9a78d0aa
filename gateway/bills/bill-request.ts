import { CHANNELS, JSAPI_CHANNELS, REST_CHANNELS, type RestChannel, isRestChannel, isRestChannelEnabled } from '../../src/core/channels';
import { describeValue } from '../../src/core/describe-value';
import type { Checked, SpayError } from '../../src/core/errors';
import {
  BUYER_ID_MAX,
  type Optional,
  amountInFen,
  checkAmount,
  checkFlag,
  checkOptional,
  checkOutTradeNo,
  checkReturnUrl,
  checkShortText,
  OPENID_MAX,
  checkSign,
  checkTitle,
} from '../../src/core/validate';
import type { App } from '../apps';
import { type Refusal, refusal } from '../http/api-answer';
import { RESULT_CODES } from '../result-codes';
import { checkOrderSign } from './order-sign';

/** The fields a bill request may carry. */
export const BILL_FIELDS = [
  'app_id',
  'channel',
  'title',
  'amount',
  'out_trade_no',
  'sign',
  'return_url',
  'optional',
  'openid',
  'use_app',
  'buyer_id',
] as const;
const BILL_FIELD_SET: ReadonlySet<string> = new Set(BILL_FIELDS);

/** The longest openid accepted; WeChat's are 28 chars, the margin covers other issuers. */

/** A bill request that passed every check, its sign included. */
export interface BillRequest {
  app: App;
  channel: RestChannel;
  outTradeNo: string;
  title: string;
  amount: number | string;
  fee: number;
  returnUrl?: string;
  optional?: Optional;
  openid?: string;
  useApp: boolean;
  buyerId?: string;
}

/** A checked bill request, or the first refusal. */
export type BillRequestResult = { ok: true; value: BillRequest } | { ok: false; refusal: Refusal };

const refuse = (...args: Parameters<typeof refusal>): BillRequestResult => ({ ok: false, refusal: refusal(...args) });
const isBlank = (value: unknown): boolean => value === undefined || value === null || value === '';

/**
 * Checks a bill request body in the order the API documents: app, channel, channel enabled, fields,
 * openid for JSAPI, then the sign. Synchronous; a bad request is a refusal, never an exception.
 */
export function checkBillRequest(body: Record<string, unknown>, apps: ReadonlyMap<string, App>): BillRequestResult {
  if (isBlank(body.app_id)) return refuse('MISS_PARAM', 'app_id is required (got nothing)', 'app_id');
  const app = typeof body.app_id === 'string' ? apps.get(body.app_id) : undefined;
  if (app === undefined) return refuse('APP_INVALID', `app_id must name a known app (got ${describeValue(body.app_id)})`, 'app_id');

  if (isBlank(body.channel)) return refuse('MISS_PARAM', 'channel is required (got nothing)', 'channel');
  if (!isRestChannel(body.channel)) {
    return refuse('CHANNEL_INVALID', `channel must be one of ${REST_CHANNELS.join(', ')} (got ${describeValue(body.channel)})`, 'channel');
  }
  const channel = body.channel;
  if (!isRestChannelEnabled(channel, app.channels)) {
    return refuse(
      'PAY_FACTOR_NOT_SET',
      `channel ${channel} is not enabled for app ${JSON.stringify(app.appId)}; its enabled channel keys are ${app.channels.join(', ')} (${enablingKeys(channel)} would enable it)`,
      'channel',
    );
  }

  const unknown = Object.keys(body).find((key) => !BILL_FIELD_SET.has(key));
  if (unknown !== undefined) {
    const field = unknown.slice(0, 64);
    return refuse('PARAM_INVALID', `${field} is not a bill field; the fields are ${BILL_FIELDS.join(', ')}`, field);
  }
  const outTradeNo = checkOutTradeNo(body.out_trade_no);
  if (!outTradeNo.ok) return refuseChecked(outTradeNo);
  const title = checkTitle(body.title);
  if (!title.ok) return refuseChecked(title);
  const amount = checkAmount(body.amount);
  if (!amount.ok) return refuseChecked(amount);
  const sign = checkSign(body.sign);
  if (!sign.ok) return refuseChecked(sign);
  const returnUrl = checkReturnUrl(body.return_url);
  if (!returnUrl.ok) return refuseChecked(returnUrl);
  const optional = checkOptional(body.optional);
  if (!optional.ok) return refuseChecked(optional);
  const openid = checkShortText('openid', body.openid, OPENID_MAX);
  if (!openid.ok) return refuseChecked(openid);
  const useApp = checkFlag('use_app', body.use_app, true);
  if (!useApp.ok) return refuseChecked(useApp);
  const buyerId = checkShortText('buyer_id', body.buyer_id, BUYER_ID_MAX);
  if (!buyerId.ok) return refuseChecked(buyerId);

  if (JSAPI_CHANNELS.includes(channel) && openid.value === undefined) {
    return refuse('MISS_PARAM', `openid is required for channel ${channel} (got nothing)`, 'openid');
  }
  const signRefusal = checkOrderSign(app, { title: title.value, amount: amount.value, outTradeNo: outTradeNo.value, sign: sign.value });
  if (signRefusal !== undefined) return { ok: false, refusal: signRefusal };

  const request: BillRequest = {
    app,
    channel,
    outTradeNo: outTradeNo.value,
    title: title.value,
    amount: amount.value,
    fee: amountInFen(amount.value),
    useApp: useApp.value,
  };
  if (returnUrl.value !== undefined) request.returnUrl = returnUrl.value;
  if (optional.value !== undefined) request.optional = optional.value;
  if (openid.value !== undefined) request.openid = openid.value;
  if (buyerId.value !== undefined) request.buyerId = buyerId.value;
  return { ok: true, value: request };
}

function refuseChecked(checked: Checked<unknown> & { ok: false }): BillRequestResult {
  const error: SpayError = checked.error;
  const result = error.code in RESULT_CODES ? (error.code as Refusal['result']) : 'PARAM_INVALID';
  return refuse(result, error.ERROR, error.field);
}

function enablingKeys(channel: RestChannel): string {
  const keys = Object.entries(CHANNELS)
    .filter(([, spec]) => spec.pc === channel || spec.mobile === channel || spec.wechat === channel)
    .map(([key]) => key);
  return `key ${keys.join(' or ')}`;
}
