import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signOrder, signRestApp, type OrderSignInput } from './sign';
import { signLegacyWebhook, signWebhook, type WebhookSignFields } from './webhook';

// An independent implementation: Python's hashlib over UTF-8, joining the parts in the order
// DESIGN.md gives. Numbers travel as JSON numbers so that Python's str() formats them itself.
const PYTHON_MD5 = `
import hashlib, json, sys
rows = json.loads(sys.stdin.buffer.read().decode("utf-8"))
print(json.dumps([hashlib.md5("".join(str(part) for part in row).encode("utf-8")).hexdigest() for row in rows]))
`;

function pythonMd5(rows: ReadonlyArray<ReadonlyArray<string | number>>): string[] {
  const run = spawnSync('python3', ['-c', PYTHON_MD5], { input: JSON.stringify(rows), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

const order = (title: string, amount: string | number, extra: Partial<OrderSignInput> = {}): OrderSignInput => ({
  appId: '7e3a9c52-1b4f-4d0e-9a61-3c2f8b5d0e17',
  title,
  amount,
  outTradeNo: '201601011234',
  appSecret: '4b8e2f61-93c7-4a5d-b0e2-6f1c9d7a3e58',
  ...extra,
});

const ORDER_VECTORS: Array<[string, OrderSignInput]> = [
  ['an ASCII title', order('Mineral water', 1)],
  ['a Chinese title', order('白开水', 1)],
  ['a mixed Chinese and ASCII title with spaces', order('云南 coffee 豆子', 100)],
  ['an emoji title', order('🍵 tea 😀', 1)],
  ['a joined emoji sequence', order('👨‍👩‍👧 family pack', 25)],
  ['quotes, backslash and a newline in the title', order('say "hi"\\\n', 1)],
  ['amount as the number 1', order('白开水', 1)],
  ['amount as the string "1"', order('白开水', '1')],
  ['the largest safe integer amount', order('big', Number.MAX_SAFE_INTEGER)],
  ['a digit-string amount beyond the safe integers', order('bigger', '123456789012345678901234567890')],
  ['a non-ASCII secret', order('water', 1, { appSecret: '密钥-ß-é' })],
];

const WEBHOOK_VECTORS: Array<[string, WebhookSignFields, string]> = [
  ['an Alipay payment', { app_id: 'app-1', transaction_id: '201601011234', transaction_type: 'PAY', channel_type: 'ALI', transaction_fee: 1 }, 'master'],
  ['a WeChat payment of zero fen', { app_id: 'app-1', transaction_id: 'abc12345', transaction_type: 'PAY', channel_type: 'WX', transaction_fee: 0 }, 'master'],
  ['a large fee', { app_id: 'app-1', transaction_id: 'abc12345', transaction_type: 'REFUND', channel_type: 'UN', transaction_fee: 9_007_199_254_740_991 }, 'm'],
  ['a Chinese master secret', { app_id: '应用', transaction_id: 'abc12345', transaction_type: 'PAY', channel_type: 'JD', transaction_fee: 1989 }, '主密钥🔑'],
];

const LEGACY_VECTORS: Array<[string, string, string, number | string]> = [
  ['a millisecond timestamp number', 'app-1', 'secret', 1_451_606_400_000],
  ['a timestamp string', 'app-1', 'secret', '1451606400000'],
  ['a Chinese secret', 'app-1', '秘密', 0],
];

const REST_VECTORS: Array<[string, string, number | string, string]> = [
  ['an app secret', 'app-1', 1_451_606_400_000, 'app-secret'],
  ['a master secret for refunds', 'app-1', '1451606400000', 'master-secret'],
  ['an emoji secret', 'app-1', 1, '🙈'],
];

const expectedOrder = pythonMd5(ORDER_VECTORS.map(([, i]) => [i.appId, i.title, i.amount, i.outTradeNo, i.appSecret]));
const expectedWebhook = pythonMd5(
  WEBHOOK_VECTORS.map(([, f, secret]) => [f.app_id, f.transaction_id, f.transaction_type, f.channel_type, f.transaction_fee, secret]),
);
const expectedLegacy = pythonMd5(LEGACY_VECTORS.map(([, appId, secret, timestamp]) => [appId, secret, timestamp]));
const expectedRest = pythonMd5(REST_VECTORS.map(([, appId, timestamp, secret]) => [appId, timestamp, secret]));

describe('signatures agree with an independent MD5 (Python hashlib)', () => {
  it.each(ORDER_VECTORS.map(([name, input], i) => [name, input, expectedOrder[i]] as const))(
    'signOrder with %s',
    (_name, input, expected) => {
      expect(signOrder(input)).toBe(expected);
    },
  );

  it.each(WEBHOOK_VECTORS.map(([name, fields, secret], i) => [name, fields, secret, expectedWebhook[i]] as const))(
    'signWebhook for %s',
    (_name, fields, secret, expected) => {
      expect(signWebhook(fields, secret)).toBe(expected);
    },
  );

  it.each(LEGACY_VECTORS.map(([name, appId, secret, timestamp], i) => [name, appId, secret, timestamp, expectedLegacy[i]] as const))(
    'signLegacyWebhook with %s',
    (_name, appId, secret, timestamp, expected) => {
      expect(signLegacyWebhook(appId, secret, timestamp)).toBe(expected);
    },
  );

  it.each(REST_VECTORS.map(([name, appId, timestamp, secret], i) => [name, appId, timestamp, secret, expectedRest[i]] as const))(
    'signRestApp with %s',
    (_name, appId, timestamp, secret, expected) => {
      expect(signRestApp(appId, timestamp, secret)).toBe(expected);
    },
  );

  it('signs amount 1 and "1" alike', () => {
    expect(signOrder(order('白开水', 1))).toBe(signOrder(order('白开水', '1')));
  });
});
