import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../gateway/server';
import { testServer } from '../gateway/testing/fixtures';
import { REST_APP, newBillNo, newRefundNo } from '../gateway/testing/rest-calls';
import { createRestClient } from './rest-client';
import { isRestResponseError } from './rest-response-error';

let server: RunningGateway;
beforeAll(async () => {
  server = await testServer({ apps: [REST_APP] });
});
afterAll(() => server.close());

const client = (test = false) =>
  createRestClient({
    baseUrl: `${server.url}/`,
    appId: REST_APP.appId,
    appSecret: REST_APP.appSecret,
    masterSecret: REST_APP.masterSecret,
    testSecret: REST_APP.testSecret as string,
    test,
  });

async function paid(test = false): Promise<{ billNo: string; id: string }> {
  const billNo = newBillNo();
  const made = await client(test).bill({ channel: 'WX_NATIVE', total_fee: 300, bill_no: billNo, title: '客户端', optional: { k: 'v' } });
  expect(made).toMatchObject({ result_code: 0, result_msg: 'OK', code_url: expect.any(String) });
  await fetch(`${server.url}/sandbox/cashier/${made.id}/pay`, { method: 'POST', redirect: 'manual' });
  return { billNo, id: made.id as string };
}

describe('createRestClient against the real gateway', () => {
  it('makes a bill, queries it, refunds it and reads the refund back', async () => {
    const api = client();
    const { billNo, id } = await paid();
    expect((await api.billById(id)).pay).toMatchObject({ id, bill_no: billNo, spay_result: true, optional: '{"k":"v"}' });
    expect((await api.bills({ bill_no: billNo })).bills?.map((bill) => bill.id)).toEqual([id]);
    expect((await api.billsCount({ bill_no: billNo, spay_result: true })).count).toBe(1);

    const refundNo = newRefundNo();
    const refund = await api.refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 100 });
    expect(refund).toMatchObject({ result_code: 0, id: expect.any(String) });
    expect((await api.refundById(refund.id as string)).refund).toMatchObject({ refund_no: refundNo, refund_fee: 100, result: true });
    expect((await api.refunds({ bill_no: billNo })).refunds).toHaveLength(1);
    expect((await api.refundsCount({ bill_no: billNo })).count).toBe(1);
    expect((await api.refundStatus({ refund_no: refundNo, channel: 'WX' })).refund_status).toBe('SUCCESS');
    expect(await api.refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 201 })).toMatchObject({ result_code: 12, result_msg: 'REFUND_AMOUNT_TOO_LARGE' });
  });

  it('calls /2/rest/sandbox/… with the test secret in test mode, apart from live bills', async () => {
    const { billNo } = await paid(true);
    expect((await client(true).bills({ bill_no: billNo })).bills).toHaveLength(1);
    expect((await client().bills({ bill_no: billNo })).bills).toHaveLength(0);
    expect(await client(true).refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 300 })).toMatchObject({ result_code: 0 });
  });

  it('returns a refusal as an answer, and throws RestResponseError when the answer is not the API', async () => {
    expect(await client().billById('nosuch')).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL' });
    const broken = createRestClient({ baseUrl: server.url, appId: 'a', appSecret: 's', fetch: async () => new Response('<html>502</html>', { status: 502 }) });
    const error = await broken.bills().catch((caught: unknown) => caught);
    expect(isRestResponseError(error)).toBe(true);
    expect((error as Error).message).toBe('/2/rest/bills answered HTTP 502: the body is not JSON (16 chars)');
  });

  it('throws a SignInputError naming the secret when a refund has no master secret', async () => {
    const api = createRestClient({ baseUrl: server.url, appId: REST_APP.appId, appSecret: REST_APP.appSecret });
    await expect(api.refund({ refund_no: newRefundNo(), bill_no: newBillNo(), refund_fee: 1 })).rejects.toThrow(/secret must be/);
  });
});
