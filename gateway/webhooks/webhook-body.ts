import { type WebhookBody, signLegacyWebhook, signWebhook } from '../../server-sign';
import { channelFamily } from '../../src/core/channels';
import type { App } from '../apps';
import { type Bill, billMode } from '../bills/bill';
import type { Refund } from '../bills/refund';

/** The webhook JSON for a paid bill (BeeCloud's fields), signed with the app's master secret and, for old merchants, its app secret. */
export function buildWebhookBody(bill: Bill, app: App, timestamp: number): WebhookBody {
  return signedBody(app, timestamp, bill, 'PAY', bill.out_trade_no, bill.fee, {
    bill_id: bill.id,
    channel: bill.channel,
    title: bill.title,
    paid_at: bill.paid_at,
    sandbox: bill.trades === undefined,
    ...(billMode(bill) === 'test' ? { test_mode: true } : {}),
    ...(bill.trade_no === undefined ? {} : { trade_no: bill.trade_no }),
    ...bill.message_detail,
  });
}

/** The webhook JSON for a refund that the channel confirmed: `transaction_id` is the refund_no, the fee the refund's. */
export function buildRefundWebhookBody(refund: Refund, bill: Bill, app: App, timestamp: number): WebhookBody {
  return signedBody(app, timestamp, bill, 'REFUND', refund.refund_no, refund.refund_fee, {
    bill_id: bill.id,
    bill_no: bill.out_trade_no,
    refund_id: refund.id,
    refund_fee: refund.refund_fee,
    total_fee: bill.fee,
    channel: bill.channel,
    refund_status: refund.status,
    finished_at: refund.finished_at,
    sandbox: bill.trades === undefined,
    ...(refund.mode === 'test' ? { test_mode: true } : {}),
    ...refund.message_detail,
  }, refund.optional);
}

function signedBody(
  app: App,
  timestamp: number,
  bill: Bill,
  type: 'PAY' | 'REFUND',
  transactionId: string,
  fee: number,
  detail: Record<string, unknown>,
  optional = bill.optional,
): WebhookBody {
  const fields = { app_id: app.appId, transaction_id: transactionId, transaction_type: type, channel_type: channelFamily(bill.channel), transaction_fee: fee };
  return {
    signature: signWebhook(fields, app.masterSecret),
    sign: signLegacyWebhook(app.appId, app.appSecret, timestamp),
    timestamp,
    ...fields,
    sub_channel_type: bill.channel,
    trade_success: true,
    message_detail: detail,
    optional: optional ?? {},
  };
}
