import type { Bill } from '../../../bills/bill';
import type { Refund } from '../../../bills/refund';
import type { RestChannel } from '../../../../src/core/channels';
import type { PaymentRequest } from '../../connector';

let counter = 0;

/** A fresh out_trade_no for a test (letters and digits, 6-32 chars). */
export function newTradeNo(prefix = 'T'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${String(counter).padStart(4, '0')}`;
}

/** A live bill for `channel` with `fee` fen. */
export function testBill(overrides: Partial<Bill> = {}): Bill {
  const outTradeNo = overrides.out_trade_no ?? newTradeNo();
  const fee = overrides.fee ?? 100;
  return {
    id: `bill-${outTradeNo}`,
    app_id: 'spay-test-app',
    mode: 'live',
    out_trade_no: outTradeNo,
    title: '测试商品',
    amount: fee,
    fee,
    channel: 'WX_NATIVE',
    use_app: false,
    status: 'UNPAID',
    created_at: new Date().toISOString(),
    ...overrides,
  };
}

/** The PaymentRequest the gateway would make for `bill` (channel as a string: H5's code is not a RestChannel yet). */
export function paymentRequest(bill: Bill, notifyUrl: string, overrides: Partial<Omit<PaymentRequest, 'channel'>> & { channel?: string } = {}): PaymentRequest {
  const { channel, ...rest } = overrides;
  return {
    bill,
    channel: (channel ?? bill.channel) as RestChannel,
    tradeNo: bill.out_trade_no,
    notifyUrl,
    returnUrl: 'https://pay.example.com/spay/return/wechat?bill=1',
    buyerIp: '203.0.113.7',
    now: new Date(),
    ...rest,
  };
}

/** A pending refund of `fee` fen of `bill`. */
export function testRefund(bill: Bill, fee: number, refundNo = newTradeNo('R')): Refund {
  return {
    id: `refund-${refundNo}`,
    app_id: bill.app_id,
    mode: 'live',
    refund_no: refundNo,
    bill_id: bill.id,
    out_trade_no: bill.out_trade_no,
    refund_fee: fee,
    status: 'PENDING',
    created_at: new Date().toISOString(),
  };
}
