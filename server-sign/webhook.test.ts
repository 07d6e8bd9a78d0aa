import { describe, expect, it } from 'vitest';
import { SignInputError } from './sign-input-error';
import { signLegacyWebhook, signWebhook, verifyLegacyWebhookSign, verifyWebhook, type WebhookBody } from './webhook';

const APP_ID = 'app-1';
const APP_SECRET = 'app-secret';
const MASTER_SECRET = 'master-secret';
const TIMESTAMP = 1_451_606_400_000;

function signedBody(): WebhookBody {
  const fields = {
    app_id: APP_ID,
    channel_type: 'ALI',
    sub_channel_type: 'ALI_WEB',
    transaction_type: 'PAY',
    transaction_id: '201601011234',
    transaction_fee: 1989,
    trade_success: true,
    message_detail: { trade_no: '2016010121001004' },
    optional: { order_note: '白开水' },
    timestamp: TIMESTAMP,
  };
  return {
    ...fields,
    signature: signWebhook(fields, MASTER_SECRET),
    sign: signLegacyWebhook(APP_ID, APP_SECRET, TIMESTAMP),
  };
}

const BODY = signedBody();

describe('verifyWebhook', () => {
  it.each<[string, unknown]>([
    ['a parsed object', BODY],
    ['a JSON string', JSON.stringify(BODY)],
    ['a Buffer', Buffer.from(JSON.stringify(BODY))],
    ['a Uint8Array view into a larger buffer', new Uint8Array(Buffer.from(`xx${JSON.stringify(BODY)}yy`)).subarray(2, -2)],
    ['a JSON string with a byte order mark', `\uFEFF${JSON.stringify(BODY)}`],
    ['an uppercase signature', { ...BODY, signature: BODY.signature.toUpperCase() }],
    ['extra fields the gateway may add', { ...BODY, bill_id: 'b-1' }],
  ])('accepts a valid body given as %s', (_case, body) => {
    const result = verifyWebhook(body, MASTER_SECRET);
    expect(result).toEqual({ ok: true, webhook: expect.objectContaining({ ...BODY, signature: expect.any(String) }) });
  });

  it('returns the fields with their JSON types', () => {
    const result = verifyWebhook(JSON.stringify(BODY), MASTER_SECRET);
    expect(result.ok && result.webhook.transaction_fee).toBe(1989);
    expect(result.ok && result.webhook.optional).toEqual({ order_note: '白开水' });
  });

  it.each<[string, Partial<WebhookBody>]>([
    ['transaction_fee', { transaction_fee: 1 }],
    ['transaction_id', { transaction_id: '201601011235' }],
    ['channel_type', { channel_type: 'WX' }],
    ['transaction_type', { transaction_type: 'REFUND' }],
    ['app_id', { app_id: 'app-2' }],
  ])('refuses a body whose %s was changed after signing', (_field, change) => {
    const result = verifyWebhook({ ...BODY, ...change }, MASTER_SECRET);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^signature does not match /) });
  });

  it('refuses a body signed with another master secret', () => {
    expect(verifyWebhook(BODY, 'other-secret').ok).toBe(false);
  });

  it('does not reveal the expected signature', () => {
    const tampered = { ...BODY, transaction_fee: 1 };
    const result = verifyWebhook(tampered, MASTER_SECRET);
    expect(result.ok ? '' : result.error).not.toContain(signWebhook(tampered, MASTER_SECRET));
  });

  it.each<[string, unknown, string]>([
    ['signature missing', undefined, 'signature must be 32 hex characters (got undefined)'],
    ['signature too short', 'abc', 'signature must be 32 hex characters (got "abc", 3 chars)'],
    ['sign missing', undefined, 'sign must be a string (got undefined)'],
    ['timestamp a string', '1451606400000', 'timestamp must be a whole number of milliseconds (got "1451606400000")'],
    ['app_id missing', undefined, 'app_id must be a non-empty string (got undefined)'],
    ['app_id empty', '', 'app_id must be a non-empty string (got "")'],
    ['channel_type a number', 1, 'channel_type must be a non-empty string (got 1)'],
    ['sub_channel_type missing', undefined, 'sub_channel_type must be a string (got undefined)'],
    ['transaction_type null', null, 'transaction_type must be a non-empty string (got null)'],
    ['transaction_id missing', undefined, 'transaction_id must be a non-empty string (got undefined)'],
    ['transaction_fee a string', '12', 'transaction_fee must be a whole number of fen (got "12")'],
    ['transaction_fee a fraction', 19.9, 'transaction_fee must be a whole number of fen (got 19.9)'],
    ['transaction_fee negative', -1, 'transaction_fee must be a whole number of fen (got -1)'],
    ['trade_success a string', 'true', 'trade_success must be a boolean (got "true")'],
    ['message_detail null', null, 'message_detail must be an object (got null)'],
    ['message_detail an array', [], 'message_detail must be an object (got an array)'],
    ['optional a string', '', 'optional must be an object (got "")'],
    ['optional missing', undefined, 'optional must be an object (got undefined)'],
  ])('refuses a body with %s, naming the field', (testCase, value, error) => {
    const field = testCase.split(' ')[0] as keyof WebhookBody;
    const body: Record<string, unknown> = { ...BODY, [field]: value };
    if (value === undefined) delete body[field];
    expect(verifyWebhook(body, MASTER_SECRET)).toEqual({ ok: false, error });
    expect(verifyWebhook(JSON.stringify(body), MASTER_SECRET)).toEqual({ ok: false, error });
  });

  it.each<[string, unknown, RegExp]>([
    ['invalid JSON', '{"app_id":', /^body must be valid JSON \(/],
    ['a JSON array', '[]', /^body must be a JSON object \(got an array\)$/],
    ['JSON null', 'null', /^body must be a JSON object \(got null\)$/],
    ['undefined', undefined, /^body must be a JSON object \(got undefined\)$/],
    ['a number', 42, /^body must be a JSON object \(got 42\)$/],
  ])('refuses a body that is %s, naming body', (_case, body, error) => {
    const result = verifyWebhook(body, MASTER_SECRET);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(error);
  });

  it.each<[string, unknown, string]>([
    ['missing', undefined, 'masterSecret must be a non-empty string (got undefined)'],
    ['empty', '', 'masterSecret must be a non-empty string (got "")'],
    ['a number, shown by kind only', 1234, 'masterSecret must be a non-empty string (got a number)'],
  ])('refuses every body while the master secret is %s', (_case, secret, error) => {
    expect(verifyWebhook(BODY, secret as string)).toEqual({ ok: false, error });
  });
});

describe('signWebhook and signLegacyWebhook input rules', () => {
  it.each<[string, () => string, string]>([
    ['transaction_fee a string', () => signWebhook({ ...BODY, transaction_fee: '12' as unknown as number }, MASTER_SECRET), 'transaction_fee must be a whole number of fen (got "12")'],
    ['transaction_id empty', () => signWebhook({ ...BODY, transaction_id: '' }, MASTER_SECRET), 'transaction_id must be a non-empty string (got "")'],
    ['masterSecret empty', () => signWebhook(BODY, ''), 'masterSecret must be a non-empty string (got "")'],
    ['legacy appSecret missing', () => signLegacyWebhook(APP_ID, undefined as unknown as string, TIMESTAMP), 'appSecret must be a non-empty string (got undefined)'],
    ['legacy timestamp a fraction', () => signLegacyWebhook(APP_ID, APP_SECRET, 1.5), 'timestamp must be a whole number of milliseconds (got 1.5)'],
  ])('throws a SignInputError naming the field when %s', (_case, act, message) => {
    expect(act).toThrow(SignInputError);
    expect(act).toThrow(message);
  });
});

describe('verifyLegacyWebhookSign', () => {
  it.each<[string, unknown]>([
    ['a parsed object', BODY],
    ['a JSON string', JSON.stringify(BODY)],
    ['a Buffer', Buffer.from(JSON.stringify(BODY))],
    ['an uppercase sign', { ...BODY, sign: BODY.sign.toUpperCase() }],
  ])('accepts the legacy sign of %s', (_case, body) => {
    expect(verifyLegacyWebhookSign(body, APP_ID, APP_SECRET)).toEqual({ ok: true });
  });

  it.each<[string, unknown, string, string, RegExp]>([
    ['another app secret', BODY, APP_ID, 'other', /^sign does not match /],
    ['another app id', BODY, 'app-2', APP_SECRET, /^sign does not match /],
    ['a changed timestamp', { ...BODY, timestamp: TIMESTAMP + 1 }, APP_ID, APP_SECRET, /^sign does not match /],
    ['a missing sign', { ...BODY, sign: undefined }, APP_ID, APP_SECRET, /^sign must be 32 hex characters \(got undefined\)$/],
    ['a missing timestamp', { ...BODY, timestamp: undefined }, APP_ID, APP_SECRET, /^timestamp must be a whole number of milliseconds \(got undefined\)$/],
    ['a missing app secret', BODY, APP_ID, '', /^appSecret must be a non-empty string \(got ""\)$/],
    ['invalid JSON', 'nope', APP_ID, APP_SECRET, /^body must be valid JSON/],
  ])('refuses %s', (_case, body, appId, appSecret, error) => {
    const result = verifyLegacyWebhookSign(body, appId, appSecret);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(error);
  });
});
