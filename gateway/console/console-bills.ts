import { REST_CHANNELS, isRestChannel } from '../../src/core/channels';
import { type Bill, type BillMode, type BillStatus, billMode } from '../bills/bill';
import type { Refund } from '../bills/refund';
import type { App } from '../apps';
import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import type { GatewayRequest } from '../http/gateway-request';
import { checkRefundNo } from '../rest/refund-no';
import { refundBill } from '../rest/rest-refunds';
import { readWhole } from '../rest/rest-fields';
import type { BillQuery } from '../stores/store';
import type { WebhookDelivery } from '../webhooks/delivery';
import { buildWebhookBody } from '../webhooks/webhook-body';
import { changeBody, consoleError, consoleJson, isAnswer, signedIn, withCookie } from './console-http';

/** Bills per page of the list. */
export const PAGE_SIZE = 20;
const STATUSES: readonly BillStatus[] = ['UNPAID', 'PAID', 'CANCELLED', 'FAILED'];
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The start of the China Standard Time day `date` (YYYY-MM-DD), as a Date, or undefined when it is not one. */
export function chinaDayStart(date: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const at = Date.parse(`${date}T00:00:00.000+08:00`);
  return Number.isNaN(at) ? undefined : new Date(at);
}

/** The China Standard Time date of `at`, as YYYY-MM-DD. */
export function chinaDay(at: number): string {
  return new Date(at + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * GET /console/api/bills?out_trade_no=&status=&channel=&from=&to=&mode=&page=: the signed-in app's bills, newest
 * first, PAGE_SIZE a page; `from`/`to` are China Standard Time dates, both days included.
 */
export async function listConsoleBills(context: GatewayContext, request: GatewayRequest): Promise<Answer> {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const params = request.url.searchParams;
  const mode: BillMode = params.get('mode') === 'test' ? 'test' : 'live';
  const query: BillQuery = { appId: who.app.appId, mode };
  const outTradeNo = (params.get('out_trade_no') ?? '').trim();
  if (outTradeNo !== '') query.outTradeNo = outTradeNo;
  const status = params.get('status') ?? '';
  if (status !== '') {
    if (!STATUSES.includes(status as BillStatus)) return consoleError(400, `status must be one of ${STATUSES.join(', ')} (got ${JSON.stringify(status.slice(0, 20))})`, 'status');
    query.status = status as BillStatus;
  }
  const channel = params.get('channel') ?? '';
  if (channel !== '') {
    if (!isRestChannel(channel)) return consoleError(400, `channel must be one of ${REST_CHANNELS.join(', ')} (got ${JSON.stringify(channel.slice(0, 20))})`, 'channel');
    query.channels = [channel];
  }
  for (const [name, edge] of [['from', 0], ['to', DAY_MS - 1]] as const) {
    const value = params.get(name) ?? '';
    if (value === '') continue;
    const start = chinaDayStart(value);
    if (start === undefined) return consoleError(400, `${name} must be a date YYYY-MM-DD (got ${JSON.stringify(value.slice(0, 20))})`, name);
    if (name === 'from') query.startTime = start;
    else query.endTime = new Date(start.getTime() + edge);
  }
  const page = Math.max(1, Math.min(100_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const [bills, total] = await Promise.all([
    context.store.listBills({ ...query, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    context.store.countBills(query),
  ]);
  return withCookie(consoleJson({ bills: bills.map(billSummary), total, page, page_size: PAGE_SIZE, channels: REST_CHANNELS }), who);
}

function billSummary(bill: Bill) {
  return {
    id: bill.id,
    out_trade_no: bill.out_trade_no,
    title: bill.title,
    fee: bill.fee,
    refunded_fee: bill.refunded_fee ?? 0,
    channel: bill.channel,
    status: bill.status,
    mode: billMode(bill),
    created_at: bill.created_at,
    paid_at: bill.paid_at,
  };
}

/** One line of a bill's timeline. */
interface TimelineEvent {
  at: string;
  kind: 'created' | 'paid' | 'webhook' | 'refund' | 'refund_settled' | 'status';
  text: string;
  refund_no?: string;
}

/**
 * GET /console/api/bills/:id: one bill of the signed-in app, its refunds, its webhooks (with every attempt logged)
 * and its timeline, oldest first; 404 for a bill of another app.
 */
export async function showConsoleBill(context: GatewayContext, request: GatewayRequest, id: string): Promise<Answer> {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const bill = await context.store.getBill(id);
  if (bill === undefined || bill.app_id !== who.app.appId) return withCookie(consoleError(404, 'no such bill of this app'), who);
  return withCookie(consoleJson(await billDetail(context, bill, who.app)), who);
}

async function billDetail(context: GatewayContext, bill: Bill, app: App) {
  const refunds = await context.store.listRefunds({ appId: bill.app_id, mode: billMode(bill), outTradeNo: bill.out_trade_no, limit: 1000 });
  const billDelivery = await context.store.getDelivery('bill', bill.id);
  const refundDeliveries = new Map<string, WebhookDelivery | undefined>();
  for (const refund of refunds) refundDeliveries.set(refund.id, await context.store.getDelivery('refund', refund.id));
  const timeline: TimelineEvent[] = [{ at: bill.created_at, kind: 'created', text: `created on ${bill.channel} for ${bill.fee} fen` }];
  if (bill.paid_at !== undefined) timeline.push({ at: bill.paid_at, kind: 'paid', text: `paid${bill.trade_no === undefined ? '' : ` (channel trade ${bill.trade_no})`}` });
  else if (bill.status === 'CANCELLED' || bill.status === 'FAILED') timeline.push({ at: bill.created_at, kind: 'status', text: `now ${bill.status}` });
  timeline.push(...attempts(billDelivery, 'PAY webhook'));
  for (const refund of [...refunds].reverse()) {
    timeline.push({ at: refund.created_at, kind: 'refund', text: `refund ${refund.refund_no} of ${refund.refund_fee} fen requested`, refund_no: refund.refund_no });
    if (refund.finished_at !== undefined) {
      timeline.push({ at: refund.finished_at, kind: 'refund_settled', text: `refund ${refund.refund_no} ${refund.status}`, refund_no: refund.refund_no });
    }
    timeline.push(...attempts(refundDeliveries.get(refund.id), `REFUND webhook ${refund.refund_no}`));
  }
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    bill: { ...billSummary(bill), amount: bill.amount, return_url: bill.return_url, optional: bill.optional, buyer_id: bill.buyer_id, trade_no: bill.trade_no, notify_url: bill.notify_url },
    // What the channel said, as the PAY webhook's message_detail carries it to the merchant.
    message_detail: bill.status === 'PAID' ? buildWebhookBody(bill, app, Date.now()).message_detail : (bill.message_detail ?? null),
    refunds: refunds.map((refund) => refundSummary(refund, refundDeliveries.get(refund.id))),
    webhook: deliverySummary(billDelivery),
    refundable: bill.status === 'PAID' ? bill.fee - refunds.filter((refund) => refund.status !== 'FAILED').reduce((sum, refund) => sum + refund.refund_fee, 0) : 0,
    timeline,
  };
}

function attempts(delivery: WebhookDelivery | undefined, what: string): TimelineEvent[] {
  if (delivery === undefined) return [];
  const events: TimelineEvent[] = (delivery.attempts_log ?? []).map((attempt) => ({ at: attempt.at, kind: 'webhook', text: `${what}: ${attempt.result}` }));
  if (delivery.state === 'none') events.push({ at: delivery.updated_at ?? delivery.created_at, kind: 'webhook', text: `${what}: not sent, the app has no webhook URL` });
  return events;
}

function refundSummary(refund: Refund, delivery: WebhookDelivery | undefined) {
  return {
    id: refund.id,
    refund_no: refund.refund_no,
    refund_fee: refund.refund_fee,
    status: refund.status,
    created_at: refund.created_at,
    finished_at: refund.finished_at,
    message_detail: refund.message_detail ?? null,
    webhook: deliverySummary(delivery),
  };
}

/** What the console shows of a webhook delivery. */
export function deliverySummary(delivery: WebhookDelivery | undefined) {
  if (delivery === undefined) return null;
  return {
    subject: delivery.subject,
    subject_id: delivery.subject_id,
    state: delivery.state,
    attempts: delivery.attempts,
    next_attempt_at: delivery.next_attempt_at,
    last_result: delivery.last_result ?? null,
    last_attempt_at: delivery.attempts_log?.at(-1)?.at ?? null,
  };
}

/**
 * POST /console/api/bills/:id/refund `{ refund_no, refund_fee }`: refunds part or all of the bill by the same rules
 * and code path as /2/rest/refund (refundBill). The page makes the refund_no once per confirmation, so a repeated
 * click answers the same refund. Logs who refunded what of which bill.
 */
export async function refundConsoleBill(context: GatewayContext, request: GatewayRequest, id: string): Promise<Answer> {
  const who = signedIn(context, request);
  if (isAnswer(who)) return who;
  const body = await changeBody(request);
  if (isAnswer(body)) return withCookie(body, who);
  const bill = await context.store.getBill(id);
  if (bill === undefined || bill.app_id !== who.app.appId) return withCookie(consoleError(404, 'no such bill of this app'), who);
  const now = Date.now();
  const refundNo = checkRefundNo(body.refund_no, now);
  if (!refundNo.ok) return withCookie(consoleError(400, refundNo.refusal.detail, 'refund_no'), who);
  const fee = readWhole(body, 'refund_fee', { min: 1, required: true });
  if (!fee.ok) return withCookie(consoleError(400, fee.refusal.detail, 'refund_fee'), who);
  const refunded = await refundBill(context, who.app.appId, billMode(bill), { refundNo: refundNo.value, billNo: bill.out_trade_no, refundFee: fee.value as number }, now);
  if (!refunded.ok) {
    context.log(`console: app ${who.app.appId} (${who.by}) refund of bill ${bill.id} (out_trade_no ${bill.out_trade_no}) refused: ${refunded.refusal.result}`);
    return withCookie(consoleError(409, refunded.refusal.detail, refunded.refusal.field), who);
  }
  const refund = refunded.refund;
  context.log(`console: app ${who.app.appId} (${who.by}) refunded ${refund.refund_fee} fen of bill ${bill.id} (out_trade_no ${bill.out_trade_no}), refund_no ${refund.refund_no}: ${refund.status}`);
  return withCookie(consoleJson({ refund: refundSummary(refund, undefined) }), who);
}
