import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotify, NotifyOutcome } from '../connector';
import type { WechatConfig } from './config';
import { createWechatConnector } from './connector';
import { readWechatNotify, wechatNotifyReply } from './notify';
import { startWechatEmulator, type BuiltNotification, type WechatEmulator } from './testing/emulator';
import { paymentRequest, testBill } from './testing/fixtures';
import { emulatorMerchant, newTestMerchant, testWechatConfig, type TestMerchant } from './testing/merchant';
import { startNotifyReceiver } from './testing/notify-receiver';

let merchant: TestMerchant;
let other: TestMerchant;
let emulator: WechatEmulator;
let config: WechatConfig;

beforeAll(async () => {
  merchant = newTestMerchant('1900000109', 'wxd678efh567hg6787');
  other = newTestMerchant('1900000222', 'wx0000000000000222');
  emulator = await startWechatEmulator({ merchants: [emulatorMerchant(merchant), emulatorMerchant(other)], notifyRetryDelaysMs: [20, 20, 20] });
  config = testWechatConfig(merchant, emulator);
});

afterAll(async () => {
  await emulator.close();
});

function incoming(built: BuiltNotification, overrides: { method?: string; headers?: Record<string, string | null>; body?: Uint8Array } = {}): IncomingNotify {
  const headers = new Map<string, string | null>(Object.entries(built.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [k, v] of Object.entries(overrides.headers ?? {})) headers.set(k.toLowerCase(), v);
  return {
    method: overrides.method ?? 'POST',
    query: new URLSearchParams(),
    header: (name) => headers.get(name.toLowerCase()) ?? null,
    body: overrides.body ?? new Uint8Array(built.body),
  };
}

function transaction(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: merchant.appId,
    mchid: merchant.mchId,
    out_trade_no: 'NOTIFY_T_0001',
    transaction_id: '4200000000202612011234567890',
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '',
    success_time: '2026-12-02T00:10:00+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 198999, payer_total: 198999, currency: 'CNY', payer_currency: 'CNY' },
    ...extra,
  };
}

const now = () => new Date();

/** `body` signed afresh with the platform key. */
function resign(body: Buffer): BuiltNotification {
  return { headers: emulator.signBody(body), body };
}

describe('WeChat Pay notifications', () => {
  it('reads a genuine TRANSACTION.SUCCESS as a paid trade', () => {
    const outcome = readWechatNotify(config, incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction())), now());
    expect(outcome).toEqual({
      kind: 'payment',
      trade: {
        tradeNo: 'NOTIFY_T_0001',
        state: 'paid',
        fee: 198999,
        channelTradeNo: '4200000000202612011234567890',
        paidAt: '2026-12-02T00:10:00+08:00',
        detail: transaction(),
      },
    });
  });

  it.each([
    ['SUCCESS', 'success'],
    ['ABNORMAL', 'failed'],
    ['CLOSED', 'failed'],
  ])('reads REFUND.%s as a refund that is %s', (status, state) => {
    const refund = {
      mchid: merchant.mchId,
      out_trade_no: 'NOTIFY_T_0001',
      transaction_id: '4200000000202612011234567890',
      out_refund_no: 'NOTIFY_R_0001',
      refund_id: '50000000382019052709732678859',
      refund_status: status,
      user_received_account: '支付用户零钱',
      amount: { total: 198999, refund: 100, payer_total: 198999, payer_refund: 100 },
    };
    const outcome = readWechatNotify(config, incoming(emulator.buildNotification(`REFUND.${status}`, refund)), now());
    expect(outcome).toEqual({
      kind: 'refund',
      tradeNo: 'NOTIFY_T_0001',
      refundNo: 'NOTIFY_R_0001',
      state: { state, channelRefundNo: '50000000382019052709732678859', fee: 100, detail: refund },
    });
  });

  it.each([
    ['a TRANSACTION.SUCCESS whose trade_state is not SUCCESS', 'TRANSACTION.SUCCESS', { trade_state: 'NOTPAY' }],
    ['an event the gateway does not act on', 'TRANSACTION.CLOSED', { trade_state: 'CLOSED' }],
  ])('ignores %s', (_what, eventType, extra) => {
    const outcome = readWechatNotify(config, incoming(emulator.buildNotification(eventType, transaction(extra))), now());
    expect(outcome.kind).toBe('ignored');
  });

  type Case = [string, () => IncomingNotify, RegExp];
  const refusals: Case[] = [
    ['signed by another key', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction(), { signingKey: other.privateKey })), /Signature does not verify/],
    [
      'a body changed after signing',
      () => {
        const built = emulator.buildNotification('TRANSACTION.SUCCESS', transaction());
        const changed = JSON.parse(built.body.toString('utf8'));
        changed.summary = '支付成功 ';
        return incoming(built, { body: new Uint8Array(Buffer.from(JSON.stringify(changed))) });
      },
      /Signature does not verify/,
    ],
    ['re-serialised (whitespace added)', () => {
      const built = emulator.buildNotification('TRANSACTION.SUCCESS', transaction());
      return incoming(built, { body: new Uint8Array(Buffer.from(JSON.stringify(JSON.parse(built.body.toString('utf8')), null, 1))) });
    }, /Signature does not verify/],
    ['a WeChat signature probe (WECHATPAY/SIGNTEST/)', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction()), { headers: { 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/abcdef' } }), /Signature does not verify/],
    ['with another serial (a platform certificate)', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction(), { serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' })), /Serial/],
    ['without signature headers', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction()), { headers: { 'Wechatpay-Signature': null } }), /headers are required/],
    ['stale (signed 6 minutes ago)', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction(), { timestampSec: Math.floor(Date.now() / 1000) - 360 })), /away from now/],
    ['from the future (6 minutes ahead)', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction(), { timestampSec: Math.floor(Date.now() / 1000) + 360 })), /away from now/],
    [
      'replayed with a fresh timestamp header',
      () => {
        const built = emulator.buildNotification('TRANSACTION.SUCCESS', transaction(), { timestampSec: Math.floor(Date.now() / 1000) - 360 });
        return incoming(built, { headers: { 'Wechatpay-Timestamp': String(Math.floor(Date.now() / 1000)) } });
      },
      /Signature does not verify/,
    ],
    ['encrypted with another APIv3 key', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction(), { apiV3Key: other.apiV3Key })), /does not decrypt/],
    ['for another merchant (genuine, its mchid)', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction({ mchid: other.mchId, appid: other.appId }), { apiV3Key: merchant.apiV3Key })), /another merchant/],
    ['for another app of this merchant', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction({ appid: other.appId }))), /another app/],
    ['a refund for another merchant', () => incoming(emulator.buildNotification('REFUND.SUCCESS', { mchid: other.mchId, out_trade_no: 'X1', out_refund_no: 'R1', refund_status: 'SUCCESS' }, { apiV3Key: merchant.apiV3Key })), /another merchant/],
    ['sent by GET', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction()), { method: 'GET' }), /POSTed/],
    ['a paid trade without a whole amount', () => incoming(emulator.buildNotification('TRANSACTION.SUCCESS', transaction({ amount: { total: '1.00' } }))), /amount/],
  ];

  it.each(refusals)('refuses a notification %s', (_what, make, reason) => {
    const outcome = readWechatNotify(config, make(), now());
    expect(outcome.kind).toBe('refused');
    expect((outcome as { reason: string }).reason).toMatch(reason);
  });

  it('refuses a signed notification whose ciphertext, nonce or associated data was altered', () => {
    for (const field of ['ciphertext', 'nonce', 'associated_data'] as const) {
      const built = emulator.buildNotification('TRANSACTION.SUCCESS', transaction());
      const envelope = JSON.parse(built.body.toString('utf8'));
      envelope.resource[field] = field === 'ciphertext' ? Buffer.from('forged').toString('base64') + envelope.resource.ciphertext.slice(8) : 'altered12345';
      // Re-signed by the platform key, so that only the AEAD check can catch it.
      const body = Buffer.from(JSON.stringify(envelope));
      const outcome = readWechatNotify(config, incoming(resign(body)), now());
      expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/does not decrypt/) });
    }
  });

  it('refuses a replay of a delivered notification once it is older than 5 minutes', async () => {
    const connector = createWechatConnector(config);
    const seen: IncomingNotify[] = [];
    const receiver = await startNotifyReceiver(async (notify) => {
      seen.push(notify);
      return connector.notifyReply(true);
    });
    try {
      const bill = testBill();
      await connector.createPayment(paymentRequest(bill, receiver.url));
      await emulator.pay(bill.out_trade_no);
      const captured = seen[0] as IncomingNotify;
      expect((await connector.readNotify(captured, new Date())).kind).toBe('payment');
      const later = await connector.readNotify(captured, new Date(Date.now() + 6 * 60 * 1000));
      expect(later).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/away from now/) });
    } finally {
      await receiver.close();
    }
  });

  it('never throws, even for a body that is not JSON', async () => {
    const connector = createWechatConnector(config);
    const built = emulator.buildNotification('TRANSACTION.SUCCESS', transaction());
    const garbage = new Uint8Array([0xff, 0x00, 0x7b]);
    const outcome: NotifyOutcome = await connector.readNotify(incoming(built, { body: garbage }), now());
    expect(outcome.kind).toBe('refused');
  });

  it('answers 204 without a body once stored, 500 with {"code":"FAIL","message":"失败"} to have it sent again', () => {
    expect(wechatNotifyReply(true)).toEqual({ status: 204, headers: {}, body: null });
    expect(wechatNotifyReply(false)).toEqual({ status: 500, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{"code":"FAIL","message":"失败"}' });
  });

  it('is sent again after a 500 until the gateway has stored it', async () => {
    const connector = createWechatConnector(config);
    const outcomes: NotifyOutcome[] = [];
    const receiver = await startNotifyReceiver(async (notify, attempt) => {
      outcomes.push(await connector.readNotify(notify, new Date()));
      return connector.notifyReply(attempt >= 3);
    });
    try {
      const bill = testBill();
      await connector.createPayment(paymentRequest(bill, receiver.url));
      const delivery = await emulator.pay(bill.out_trade_no);
      expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
      expect(delivery.delivered).toBe(true);
      expect(outcomes.map((o) => o.kind)).toEqual(['payment', 'payment', 'payment']);
    } finally {
      await receiver.close();
    }
  });
});
