import { type WebhookBody, signLegacyWebhook, signWebhook } from '../../server-sign';
import { channelFamily } from '../../src/core/channels';
import type { App } from '../apps';
import type { Bill } from '../bills/bill';

/** The webhook JSON for a paid bill (BeeCloud's fields), signed with the app's master secret and, for old merchants, its app secret. */
export function buildWebhookBody(bill: Bill, app: App, timestamp: number): WebhookBody {
  const fields = {
    app_id: app.appId,
    transaction_id: bill.out_trade_no,
    transaction_type: 'PAY',
    channel_type: channelFamily(bill.channel),
    transaction_fee: bill.fee,
  };
  return {
    signature: signWebhook(fields, app.masterSecret),
    sign: signLegacyWebhook(app.appId, app.appSecret, timestamp),
    timestamp,
    ...fields,
    sub_channel_type: bill.channel,
    trade_success: true,
    message_detail: { bill_id: bill.id, channel: bill.channel, title: bill.title, paid_at: bill.paid_at, sandbox: true },
    optional: bill.optional ?? {},
  };
}
