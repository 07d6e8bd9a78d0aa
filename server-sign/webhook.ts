import { describeSecret, describeValue } from './describe-value';
import { md5Hex, verifyDigest, type VerifyResult } from './sign';
import { requireFee, requireSecret, requireText, requireTimestamp } from './sign-input';

/** The JSON body the gateway POSTs to a merchant's webhook URL (BeeCloud REST v2 field names). */
export interface WebhookBody {
  signature: string;
  sign: string;
  timestamp: number;
  app_id: string;
  channel_type: string;
  sub_channel_type: string;
  transaction_type: string;
  transaction_id: string;
  transaction_fee: number;
  trade_success: boolean;
  message_detail: Record<string, unknown>;
  optional: Record<string, unknown>;
}

/** The webhook fields that enter its `signature`. */
export interface WebhookSignFields {
  app_id: string;
  transaction_id: string;
  transaction_type: string;
  channel_type: string;
  transaction_fee: number;
}

/** The outcome of verifyWebhook: the checked body, or a sentence naming the field that is wrong. */
export type WebhookVerifyResult = { ok: true; webhook: WebhookBody } | { ok: false; error: string };

type FieldCheck = { rule: string; test: (value: unknown) => boolean };

const isText = (value: unknown): boolean => typeof value === 'string' && value !== '';
const isWhole = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// signature is checked last, by verifyDigest, so that a body with a bad field names that field.
const FIELD_CHECKS: Record<Exclude<keyof WebhookBody, 'signature'>, FieldCheck> = {
  sign: { rule: 'must be a string', test: (value) => typeof value === 'string' },
  timestamp: { rule: 'must be a whole number of milliseconds', test: isWhole },
  app_id: { rule: 'must be a non-empty string', test: isText },
  channel_type: { rule: 'must be a non-empty string', test: isText },
  sub_channel_type: { rule: 'must be a string', test: (value) => typeof value === 'string' },
  transaction_type: { rule: 'must be a non-empty string', test: isText },
  transaction_id: { rule: 'must be a non-empty string', test: isText },
  transaction_fee: { rule: 'must be a whole number of fen', test: isWhole },
  trade_success: { rule: 'must be a boolean', test: (value) => typeof value === 'boolean' },
  message_detail: { rule: 'must be an object', test: isPlainObject },
  optional: { rule: 'must be an object', test: isPlainObject },
};

/** Returns the webhook `signature`, md5(app_id + transaction_id + transaction_type + channel_type + transaction_fee + master_secret). Throws SignInputError. */
export function signWebhook(fields: WebhookSignFields, masterSecret: string): string {
  return md5Hex(
    requireText('app_id', fields.app_id) +
      requireText('transaction_id', fields.transaction_id) +
      requireText('transaction_type', fields.transaction_type) +
      requireText('channel_type', fields.channel_type) +
      requireFee('transaction_fee', fields.transaction_fee) +
      requireSecret('masterSecret', masterSecret),
  );
}

/** Returns the legacy webhook `sign`, md5(app_id + app_secret + timestamp). Throws SignInputError. */
export function signLegacyWebhook(appId: string, appSecret: string, timestamp: number | string): string {
  return md5Hex(requireText('appId', appId) + requireSecret('appSecret', appSecret) + requireTimestamp('timestamp', timestamp));
}

/**
 * Parses a webhook body (an object, or raw JSON as a string or Buffer), checks every field's type
 * and its `signature` in constant time. Never throws.
 */
export function verifyWebhook(body: unknown, masterSecret: string): WebhookVerifyResult {
  if (typeof masterSecret !== 'string' || masterSecret === '') {
    return { ok: false, error: `masterSecret must be a non-empty string (got ${describeSecret(masterSecret)})` };
  }
  const parsed = parseWebhookBody(body);
  if (!parsed.ok) return parsed;
  const fields = parsed.value;
  for (const [field, check] of Object.entries(FIELD_CHECKS)) {
    if (!check.test(fields[field])) {
      return { ok: false, error: `${field} ${check.rule} (got ${describeValue(fields[field])})` };
    }
  }
  const webhook = fields as unknown as WebhookBody;
  const result = verifyDigest(
    'signature',
    fields.signature,
    'app_id + transaction_id + transaction_type + channel_type + transaction_fee + master_secret',
    () => signWebhook(webhook, masterSecret),
  );
  return result.ok ? { ok: true, webhook } : result;
}

/** Checks a webhook body's legacy `sign`, md5(app_id + app_secret + timestamp), with the merchant's own app id. Never throws. */
export function verifyLegacyWebhookSign(body: unknown, appId: string, appSecret: string): VerifyResult {
  const parsed = parseWebhookBody(body);
  if (!parsed.ok) return parsed;
  const { sign, timestamp } = parsed.value;
  return verifyDigest('sign', sign, 'app_id + app_secret + timestamp', () =>
    signLegacyWebhook(appId, appSecret, timestamp as number | string),
  );
}

/** Turns an object, a JSON string or a Buffer into the body's fields; the error names `body`. */
export function parseWebhookBody(
  body: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown = body;
  if (body instanceof Uint8Array) value = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (typeof value === 'string') {
    try {
      // A byte order mark is legal in a UTF-8 file but not in JSON.parse.
      value = JSON.parse(value.replace(/^\uFEFF/, ''));
    } catch (error) {
      return { ok: false, error: `body must be valid JSON (${(error as Error).message})` };
    }
  }
  if (!isPlainObject(value)) {
    return { ok: false, error: `body must be a JSON object (got ${describeValue(value)})` };
  }
  return { ok: true, value };
}
