import { afterAll, describe, expect, it } from 'vitest';
import { testGateway } from '../testing/fixtures';
import { REST_APP, restGet, restPost, restSigned } from '../testing/rest-calls';

const BASE = 'http://gateway.test';
const gateway = testGateway({ apps: [REST_APP] });
afterAll(() => gateway.close());

const FIELDS = ['channel', 'total_fee', 'bill_no', 'title', 'return_url', 'optional', 'openid', 'bill_timeout', 'notify_url', 'buyer_id', 'refund_no', 'refund_fee', 'spay_result', 'refund_result', 'start_time', 'end_time', 'skip', 'limit', 'need_detail', 'need_approval', 'identity_id'];
const VALUES: unknown[] = [null, [], [1, 2], {}, { a: { b: 1 } }, true, -1, 1e300, 'x'.repeat(5000), '__proto__', '\u0000'];
const POSTS = ['/2/rest/bill', '/2/rest/refund', '/2/rest/sandbox/bill', '/2/rest/sandbox/refund'];
const GETS = ['/2/rest/bill/x', '/2/rest/bills', '/2/rest/bills/count', '/2/rest/refund/x', '/2/rest/refunds', '/2/rest/refunds/count', '/2/rest/refund/status'];

describe('hostile REST input never makes a 500', () => {
  it.each([...POSTS.map((path) => ['POST', path]), ...GETS.map((path) => ['GET', path])])('%s %s answers a result code for every odd field value', async (method, path) => {
    const secret = path.includes('/sandbox/') ? 'test' : path.endsWith('/refund') ? 'master' : 'app';
    for (const field of FIELDS) {
      for (const value of VALUES) {
        const fields = restSigned({ channel: 'WX_NATIVE', total_fee: 1, bill_no: 'B1234567890', title: 't', [field]: value }, secret);
        const request = method === 'POST' ? restPost(BASE, path, fields) : restGet(BASE, path, fields);
        const response = await gateway.handle(request);
        const json = (await response.json()) as { result_code: unknown; err_detail: unknown };
        expect(response.status, `${field}=${JSON.stringify(value)?.slice(0, 40)}`).toBe(200);
        expect(typeof json.result_code).toBe('number');
        expect(typeof json.err_detail).toBe('string');
        expect(String(json.err_detail)).not.toMatch(/\n\s+at /);
      }
    }
    expect(gateway.lines.filter((line) => line.startsWith('error in'))).toEqual([]);
  });
});
