import { describe, expect, it } from 'vitest';
import type { Bill } from './bill';
import { createMemoryStore } from './memory-store';

const bill = (id: string, outTradeNo: string): Bill => ({
  id,
  app_id: 'app',
  out_trade_no: outTradeNo,
  title: 't',
  amount: 1,
  fee: 1,
  channel: 'ALI_WEB',
  use_app: true,
  status: 'UNPAID',
  created_at: new Date(0).toISOString(),
});

describe('createMemoryStore', () => {
  it('finds bills by id, by order and by prepay id', () => {
    const store = createMemoryStore();
    store.insert(bill('a', '12345678'));
    store.update('a', { jsapi: { prepay_id: 'wx1', nonce_str: 'n', timestamp: '1', pay_sign: 'S' } });
    expect(store.get('a')?.out_trade_no).toBe('12345678');
    expect(store.findByOrder('app', '12345678')?.id).toBe('a');
    expect(store.findByOrder('other-app', '12345678')).toBeUndefined();
    expect(store.findByPrepayId('wx1')?.id).toBe('a');
  });

  it('refuses a second bill for the same order or id', () => {
    const store = createMemoryStore();
    store.insert(bill('a', '12345678'));
    expect(() => store.insert(bill('b', '12345678'))).toThrow(/already has a bill/);
    expect(() => store.insert(bill('a', '87654321'))).toThrow(/already stored/);
  });

  it('merges updates, lists newest first and reports pending webhooks', () => {
    const store = createMemoryStore();
    store.insert(bill('a', '11111111'));
    store.insert(bill('b', '22222222'));
    expect(store.update('a', { status: 'PAID', webhook: { state: 'pending', attempts: 0 } })?.status).toBe('PAID');
    expect(store.update('missing', { status: 'PAID' })).toBeUndefined();
    expect(store.list(10).map((item) => item.id)).toEqual(['b', 'a']);
    expect(store.list(1).map((item) => item.id)).toEqual(['b']);
    expect(store.pendingWebhooks().map((item) => item.id)).toEqual(['a']);
  });
});
