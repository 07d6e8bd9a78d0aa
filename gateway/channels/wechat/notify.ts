import type { Answer } from '../../http/answer';
import type { IncomingNotify, NotifyOutcome } from '../connector';
import { checkAnswerSignature } from './client';
import type { WechatConfig } from './config';
import { decryptResource } from './crypto';
import { refundStateOf, tradeStateOf } from './states';

const REFUND_EVENTS = ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'];

/**
 * Reads a WeChat Pay notification: the Wechatpay-* headers verified over the raw body (serial = the configured public
 * key ID, timestamp within 5 minutes of `now`), the resource decrypted with the APIv3 key, appid and mchid checked.
 * Never throws: whatever does not pass is refused with the reason.
 */
export function readWechatNotify(config: WechatConfig, notify: IncomingNotify, now: Date): NotifyOutcome {
  try {
    return readChecked(config, notify, now);
  } catch (error) {
    return { kind: 'refused', reason: `unreadable WeChat notification (${(error as Error).message})` };
  }
}

function readChecked(config: WechatConfig, notify: IncomingNotify, now: Date): NotifyOutcome {
  if (notify.method.toUpperCase() !== 'POST') return { kind: 'refused', reason: `WeChat notifications are POSTed (got ${notify.method})` };
  const problem = checkAnswerSignature(config, { get: (name) => notify.header(name) }, notify.body, now.getTime());
  if (problem !== null) return { kind: 'refused', reason: `WeChat notification not verified: ${problem}` };
  const envelope = JSON.parse(Buffer.from(notify.body).toString('utf8')) as Record<string, unknown>;
  const eventType = typeof envelope.event_type === 'string' ? envelope.event_type : '';
  const resource = envelope.resource as Record<string, unknown> | undefined;
  if (typeof resource !== 'object' || resource === null) return { kind: 'refused', reason: 'WeChat notification without a resource' };
  if (resource.algorithm !== 'AEAD_AES_256_GCM' || typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') {
    return { kind: 'refused', reason: `WeChat notification resource is not AEAD_AES_256_GCM with ciphertext and nonce` };
  }
  let plaintext: string;
  try {
    plaintext = decryptResource(
      { ciphertext: resource.ciphertext, nonce: resource.nonce, associated_data: typeof resource.associated_data === 'string' ? resource.associated_data : '' },
      config.apiV3Key,
    );
  } catch {
    return { kind: 'refused', reason: 'WeChat notification resource does not decrypt with the APIv3 key' };
  }
  const content = JSON.parse(plaintext) as Record<string, unknown>;
  if (content.mchid !== config.mchId) return { kind: 'refused', reason: `WeChat notification for another merchant (mchid ${String(content.mchid)})` };
  if (eventType.startsWith('TRANSACTION.')) {
    if (content.appid !== config.appId) return { kind: 'refused', reason: `WeChat notification for another app (appid ${String(content.appid)})` };
    if (eventType !== 'TRANSACTION.SUCCESS' || content.trade_state !== 'SUCCESS') {
      return { kind: 'ignored', reason: `WeChat ${eventType} with trade_state ${String(content.trade_state)}` };
    }
    if (typeof content.out_trade_no !== 'string') return { kind: 'refused', reason: 'WeChat TRANSACTION.SUCCESS without out_trade_no' };
    return { kind: 'payment', trade: tradeStateOf(content, content.out_trade_no) };
  }
  if (REFUND_EVENTS.includes(eventType)) {
    // A refund notification carries no appid: its plaintext has mchid, out_trade_no, out_refund_no, refund_id, refund_status, amount.
    if (typeof content.out_trade_no !== 'string' || typeof content.out_refund_no !== 'string') {
      return { kind: 'refused', reason: `WeChat ${eventType} without out_trade_no and out_refund_no` };
    }
    return { kind: 'refund', tradeNo: content.out_trade_no, refundNo: content.out_refund_no, state: refundStateOf(content) };
  }
  return { kind: 'ignored', reason: `WeChat event ${eventType} is not one the gateway acts on` };
}

/**
 * The answer WeChat Pay expects: 204 without a body once stored; otherwise 500 with {"code":"FAIL","message":"失败"}
 * so that it sends the notification again (the status decides, not the body).
 */
export function wechatNotifyReply(stored: boolean): Answer {
  if (stored) return { status: 204, headers: {}, body: null };
  return { status: 500, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ code: 'FAIL', message: '失败' }) };
}
