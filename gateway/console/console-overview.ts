import { CHANNELS, type ChannelKey } from '../../src/core/channels';
import type { App } from '../apps';
import type { Bill } from '../bills/bill';
import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import type { GatewayRequest } from '../http/gateway-request';
import { MAX_LIST } from '../stores/query';
import { chinaDay, chinaDayStart, deliverySummary } from './console-bills';
import { changeBody, consoleError, consoleJson, isAnswer, signedIn, withCookie } from './console-http';

const DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

// Which apps-file `live` entry takes a channel key's bills; keys not listed here are always played by the sandbox.
const LIVE_FAMILY: Partial<Record<ChannelKey, string>> = { ali: 'alipay', wxmp: 'wechat', wx: 'wechat', un: 'unionpay', unwap: 'unionpay' };

/** Each enabled channel key of `app`, with its label and whether a live channel or the sandbox takes its bills. */
export function channelModes(app: App): Array<{ key: ChannelKey; label: string; live: boolean }> {
  const live = (app as App & { live?: Record<string, unknown> }).live ?? {};
  return app.channels.map((key) => {
    const family = LIVE_FAMILY[key];
    return { key, label: CHANNELS[key].label, live: family !== undefined && live[family] !== undefined };
  });
}

/**
 * GET /console/api/overview: the app's live paid amount and count today and over 30 days (China Standard Time days,
 * by when a bill was paid), the amount of each of those days, webhooks pending and failed, and its channels.
 */
export async function showOverview(context: GatewayContext, request: GatewayRequest): Promise<Answer> {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const now = Date.now();
  const today = chinaDay(now);
  const first = chinaDayStart(chinaDay(now - (DAYS - 1) * DAY_MS)) as Date;
  const days = new Map<string, { day: string; fee: number; count: number }>();
  for (let index = DAYS - 1; index >= 0; index--) {
    const day = chinaDay(now - index * DAY_MS);
    days.set(day, { day, fee: 0, count: 0 });
  }
  // Bills are filtered by creation time; one paid a moment after it was made lands on its paid day below.
  for (let skip = 0; ; skip += MAX_LIST) {
    const page: Bill[] = await context.store.listBills({ appId: who.app.appId, mode: 'live', status: 'PAID', startTime: new Date(first.getTime() - DAY_MS), skip, limit: MAX_LIST });
    for (const bill of page) {
      const entry = days.get(chinaDay(Date.parse(bill.paid_at ?? bill.created_at)));
      if (entry === undefined) continue;
      entry.fee += bill.fee;
      entry.count += 1;
    }
    if (page.length < MAX_LIST) break;
    if (skip > 100 * MAX_LIST) return withCookie(consoleError(503, 'too many bills to sum here; use /2/rest/bills'), who);
  }
  const series = [...days.values()];
  const [pending, failed] = await Promise.all([
    context.store.listDeliveries({ appId: who.app.appId, state: 'pending', limit: 1000 }),
    context.store.listDeliveries({ appId: who.app.appId, state: 'failed', limit: 1000 }),
  ]);
  return withCookie(
    consoleJson({
      today: series.find((entry) => entry.day === today),
      last_30_days: { fee: series.reduce((sum, entry) => sum + entry.fee, 0), count: series.reduce((sum, entry) => sum + entry.count, 0) },
      days: series,
      webhooks: { pending: pending.length, failed: failed.length },
      channels: channelModes(who.app),
    }),
    who,
  );
}

/** GET /console/api/webhooks: the app's failing webhooks (failed, or pending after a failed attempt), newest first. */
export async function listFailingWebhooks(context: GatewayContext, request: GatewayRequest): Promise<Answer> {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const [failed, pending] = await Promise.all([
    context.store.listDeliveries({ appId: who.app.appId, state: 'failed', limit: 200 }),
    context.store.listDeliveries({ appId: who.app.appId, state: 'pending', limit: 200 }),
  ]);
  const failing = [...failed, ...pending.filter((delivery) => delivery.attempts > 0)];
  const rows = [];
  for (const delivery of failing) {
    const refund = delivery.subject === 'refund' ? await context.store.getRefund(delivery.subject_id) : undefined;
    const bill = await context.store.getBill(refund?.bill_id ?? delivery.subject_id);
    rows.push({
      ...deliverySummary(delivery),
      kind: delivery.subject === 'refund' ? 'REFUND' : 'PAY',
      bill_id: bill?.id ?? null,
      out_trade_no: bill?.out_trade_no ?? null,
      refund_no: refund?.refund_no ?? null,
    });
  }
  return withCookie(consoleJson({ webhooks: rows, webhook_url: who.app.webhookUrl ?? null }), who);
}

/**
 * POST /console/api/webhooks/resend `{ subject, subject_id }`: makes one of the app's webhooks due now (a failed one
 * gets one more attempt) and wakes the deliverer. Logs who resent which bill's webhook.
 */
export async function resendWebhook(context: GatewayContext, request: GatewayRequest): Promise<Answer> {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const body = await changeBody(request);
  if (isAnswer(body)) return withCookie(body, who);
  const subject = body.subject === 'refund' ? 'refund' : body.subject === 'bill' ? 'bill' : undefined;
  const subjectId = typeof body.subject_id === 'string' ? body.subject_id : '';
  if (subject === undefined) return withCookie(consoleError(400, `subject must be "bill" or "refund" (got ${JSON.stringify(body.subject)?.slice(0, 40)})`, 'subject'), who);
  const existing = await context.store.getDelivery(subject, subjectId);
  if (existing === undefined || existing.app_id !== who.app.appId) return withCookie(consoleError(404, 'no such webhook of this app'), who);
  const resent = await context.store.resendDelivery(subject, subjectId, new Date());
  context.webhooks.kick();
  const refund = subject === 'refund' ? await context.store.getRefund(subjectId) : undefined;
  const bill = await context.store.getBill(refund?.bill_id ?? subjectId);
  context.log(
    `console: app ${who.app.appId} (${who.by}) resent the ${subject === 'refund' ? `REFUND webhook of refund_no ${refund?.refund_no}` : 'PAY webhook'} of bill ${bill?.id} (out_trade_no ${bill?.out_trade_no})`,
  );
  return withCookie(consoleJson({ webhook: deliverySummary(resent) }), who);
}
