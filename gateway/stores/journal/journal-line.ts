import type { Bill } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import type { WebhookDelivery } from '../../webhooks/delivery';
import type { AppSettings } from '../store';

/** One record read from a journal line. */
export type JournalRecord = ['bill', Bill] | ['refund', Refund] | ['delivery', WebhookDelivery] | ['settings', AppSettings];

const BILL_STATUSES = new Set(['UNPAID', 'PAID', 'CANCELLED', 'FAILED']);
const REFUND_STATUSES = new Set(['PENDING', 'SUCCESS', 'FAILED']);
const DELIVERY_STATES = new Set(['pending', 'delivered', 'failed', 'none']);

type Fields = Record<string, unknown>;

/** The records on a journal line, or why the line is not one. */
export function parseJournalLine(line: string): JournalRecord[] | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return (error as Error).message;
  }
  if (!isObject(value)) return 'expected a JSON object';
  if (isObject(value.bill)) return checkBill(value.bill) ?? [['bill', value.bill as unknown as Bill]];
  if (isObject(value.refund)) return checkRefund(value.refund) ?? [['refund', value.refund as unknown as Refund]];
  if (isObject(value.delivery)) return checkDelivery(value.delivery) ?? [['delivery', value.delivery as unknown as WebhookDelivery]];
  if (isObject(value.settings)) return checkSettings(value.settings) ?? [['settings', value.settings as unknown as AppSettings]];
  return legacyBill(value);
}

/** A line of an earlier release: a bare bill, its webhook's state on it as `webhook`. */
function legacyBill(fields: Fields): JournalRecord[] | string {
  const problem = checkBill(fields);
  if (problem !== undefined) return problem;
  const { webhook, ...bill } = fields as Fields & { webhook?: Fields };
  const records: JournalRecord[] = [['bill', bill as unknown as Bill]];
  if (isObject(webhook) && typeof webhook.state === 'string' && DELIVERY_STATES.has(webhook.state)) {
    const at = String(bill.paid_at ?? bill.created_at);
    const delivery: WebhookDelivery = {
      id: `legacy-${String(bill.id)}`,
      app_id: String(bill.app_id),
      subject: 'bill',
      subject_id: String(bill.id),
      state: webhook.state as WebhookDelivery['state'],
      attempts: typeof webhook.attempts === 'number' ? webhook.attempts : 0,
      next_attempt_at: typeof webhook.next_attempt_at === 'string' ? webhook.next_attempt_at : at,
      created_at: at,
    };
    if (typeof webhook.last_result === 'string') delivery.last_result = webhook.last_result;
    records.push(['delivery', delivery]);
  }
  return records;
}

function checkBill(fields: Fields): string | undefined {
  return (
    requireText(fields, ['id', 'app_id', 'out_trade_no', 'title', 'created_at']) ??
    oneOf(fields, 'status', BILL_STATUSES) ??
    (Number.isSafeInteger(fields.fee) ? undefined : `expected fee to be a whole number of fen, got ${JSON.stringify(fields.fee) ?? 'nothing'}`)
  );
}

function checkRefund(fields: Fields): string | undefined {
  return (
    requireText(fields, ['id', 'app_id', 'refund_no', 'bill_id', 'out_trade_no', 'created_at']) ??
    oneOf(fields, 'status', REFUND_STATUSES) ??
    (Number.isSafeInteger(fields.refund_fee) ? undefined : `expected refund_fee to be a whole number of fen, got ${JSON.stringify(fields.refund_fee) ?? 'nothing'}`)
  );
}

function checkDelivery(fields: Fields): string | undefined {
  return requireText(fields, ['id', 'app_id', 'subject', 'subject_id', 'next_attempt_at', 'created_at']) ?? oneOf(fields, 'state', DELIVERY_STATES);
}

function checkSettings(fields: Fields): string | undefined {
  const problem = requireText(fields, ['app_id', 'updated_at']);
  if (problem !== undefined) return problem;
  if (fields.channels !== undefined && !(Array.isArray(fields.channels) && fields.channels.every((key) => typeof key === 'string'))) {
    return `expected channels to be an array of channel keys, got ${JSON.stringify(fields.channels)}`;
  }
  if (fields.webhook_url !== undefined && typeof fields.webhook_url !== 'string') return `expected webhook_url to be a string, got ${JSON.stringify(fields.webhook_url)}`;
  return undefined;
}

function requireText(fields: Fields, keys: string[]): string | undefined {
  const key = keys.find((name) => typeof fields[name] !== 'string' || fields[name] === '');
  return key === undefined ? undefined : `expected ${key} to be a non-empty string, got ${JSON.stringify(fields[key]) ?? 'nothing'}`;
}

function oneOf(fields: Fields, key: string, allowed: Set<string>): string | undefined {
  return allowed.has(fields[key] as string) ? undefined : `expected ${key} to be one of ${[...allowed].join(', ')}, got ${JSON.stringify(fields[key]) ?? 'nothing'}`;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
