import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, createGateway } from '../handler';
import { createMemoryStore } from '../stores/memory/memory-store';
import type { Store } from '../stores/store';
import { REST_APP, newBillNo, newRefundNo, restPost, restSigned } from '../testing/rest-calls';

/** What the concurrent-refund suite runs on: a store factory (default a new memory store) and a name for the title. */
export interface RefundConcurrencyOptions {
  name?: string;
  store?: () => Store | Promise<Store>;
}

const BASE = 'http://gateway.test';
type Json = Record<string, unknown> & { result_code: number };

/**
 * Concurrent REST refunds through two gateways sharing one store, as two processes behind a load balancer would:
 * the sum of accepted refunds never exceeds the bill's fee, the others get REFUND_AMOUNT_TOO_LARGE, and one
 * refund_no sent many times makes one refund. Call it from a test file with the store to check.
 */
export function describeRefundConcurrency(options: RefundConcurrencyOptions = {}): void {
  describe(`concurrent refunds on one bill (${options.name ?? 'memory'} store)`, () => {
    let store: Store;
    let gateways: Gateway[];
    beforeAll(async () => {
      store = await (options.store ?? createMemoryStore)();
      const log = () => undefined;
      gateways = [createGateway({ apps: [REST_APP], store, log }), createGateway({ apps: [REST_APP], store, log })];
    });
    afterAll(async () => {
      for (const gateway of gateways) await gateway.close();
    });

    const send = async (index: number, request: Request): Promise<Json> =>
      (await (await (gateways[index % 2] as Gateway).handle(request)).json()) as Json;

    async function paidBill(fee: number): Promise<{ billNo: string; id: string }> {
      const billNo = newBillNo();
      const made = await send(0, restPost(BASE, '/2/rest/bill', restSigned({ channel: 'WX_NATIVE', total_fee: fee, bill_no: billNo, title: '并发退款' })));
      await (gateways[1] as Gateway).handle(new Request(`${BASE}/sandbox/cashier/${made.id}/pay`, { method: 'POST' }));
      return { billNo, id: made.id as string };
    }

    it('accepts 20 concurrent partial refunds only up to the fee; the rest get REFUND_AMOUNT_TOO_LARGE', async () => {
      const { billNo, id } = await paidBill(100);
      const fees = Array.from({ length: 20 }, (_, index) => 3 + (index % 7));
      const answers = await Promise.all(
        fees.map((fee, index) => send(index, restPost(BASE, '/2/rest/refund', restSigned({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: fee }, 'master')))),
      );
      const accepted = fees.filter((_, index) => answers[index]?.result_code === 0);
      const refused = answers.filter((answer) => answer.result_code !== 0);
      expect(accepted.reduce((sum, fee) => sum + fee, 0)).toBeLessThanOrEqual(100);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) expect(answer).toMatchObject({ result_code: 12, result_msg: 'REFUND_AMOUNT_TOO_LARGE' });
      const refunds = await store.listRefunds({ appId: REST_APP.appId, outTradeNo: billNo });
      expect(refunds).toHaveLength(accepted.length);
      expect(refunds.every((refund) => refund.status === 'SUCCESS')).toBe(true);
      expect((await store.getBill(id))?.refunded_fee).toBe(accepted.reduce((sum, fee) => sum + fee, 0));
    });

    it('accepts exactly 10 of 20 concurrent refunds of 10 fen on a 100-fen bill', async () => {
      const { billNo } = await paidBill(100);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) => send(index, restPost(BASE, '/2/rest/refund', restSigned({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 10 }, 'master')))),
      );
      expect(answers.filter((answer) => answer.result_code === 0)).toHaveLength(10);
      expect(answers.filter((answer) => answer.result_code === 12)).toHaveLength(10);
    });

    it('makes one refund of one refund_no sent 20 times at once', async () => {
      const { billNo } = await paidBill(100);
      const refundNo = newRefundNo();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) => send(index, restPost(BASE, '/2/rest/refund', restSigned({ refund_no: refundNo, bill_no: billNo, refund_fee: 40 }, 'master')))),
      );
      expect(answers.every((answer) => answer.result_code === 0)).toBe(true);
      expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
      expect(await store.countRefunds({ appId: REST_APP.appId, refundNo })).toBe(1);
    });
  });
}
