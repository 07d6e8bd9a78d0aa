import { describe, expect, it } from 'vitest';
import { ALI_APP, FULL_APP, billRequest, signedBill, testGateway } from '../testing/fixtures';

type Body = Record<string, unknown>;

/** A nested object `depth` levels deep. */
function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const manyKeys = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
const without = (field: string) => (body: Body) => {
  delete body[field];
  return body;
};
const set = (field: string, value: unknown) => (body: Body) => ({ ...body, [field]: value });

describe('POST /1/pay/jsbutton/bill refuses a bad field', () => {
  it.each<[string, () => Body, number, string, number]>([
    ['a missing app_id', () => without('app_id')(signedBill()), 4, 'app_id', 400],
    ['an unknown app_id', () => set('app_id', 'no-such-app')(signedBill()), 1, 'app_id', 400],
    ['a numeric app_id', () => set('app_id', 42)(signedBill()), 1, 'app_id', 400],
    ['a missing channel', () => without('channel')(signedBill()), 4, 'channel', 400],
    ['an unknown channel', () => signedBill({ channel: 'PAYPAL_LIVE' }), 3, 'channel', 400],
    ['a channel key instead of a REST code', () => signedBill({ channel: 'ali' }), 3, 'channel', 400],
    ['a channel the app has not enabled (UN_WAP)', () => signedBill({ channel: 'UN_WAP' }, ALI_APP), 2, 'channel', 400],
    ['a channel the app has not enabled (BC_EXPRESS)', () => signedBill({ channel: 'BC_EXPRESS' }, ALI_APP), 2, 'channel', 400],
    ['an unknown field', () => set('colour', 'red')(signedBill()), 5, 'colour', 400],
    ['an app_secret in the body', () => set('app_secret', FULL_APP.appSecret)(signedBill()), 5, 'app_secret', 400],
    ['a missing out_trade_no', () => without('out_trade_no')(signedBill()), 4, 'out_trade_no', 400],
    ['a short out_trade_no', () => signedBill({ out_trade_no: 'abc' }), 5, 'out_trade_no', 400],
    ['an out_trade_no with a dash', () => signedBill({ out_trade_no: 'ORDER-0001' }), 5, 'out_trade_no', 400],
    ['a 33-char out_trade_no', () => signedBill({ out_trade_no: 'A'.repeat(33) }), 5, 'out_trade_no', 400],
    ['a missing title', () => without('title')(signedBill()), 4, 'title', 400],
    ['a blank title', () => set('title', '   ')(signedBill()), 5, 'title', 400],
    ['a title of 17 Chinese characters', () => set('title', '汉'.repeat(17))(signedBill()), 5, 'title', 400],
    ['a numeric title', () => set('title', 12)(signedBill()), 5, 'title', 400],
    ['a missing amount', () => without('amount')(signedBill()), 4, 'amount', 400],
    ['a zero amount', () => set('amount', 0)(signedBill()), 5, 'amount', 400],
    ['a negative amount', () => set('amount', -1)(signedBill()), 5, 'amount', 400],
    ['a fractional amount (price × 100)', () => set('amount', 1989.9999999999998)(signedBill()), 5, 'amount', 400],
    ['an amount in yuan', () => set('amount', '19.90')(signedBill()), 5, 'amount', 400],
    ['an amount with a leading zero, which the sign refuses', () => set('amount', '007')(signedBill()), 5, 'amount', 400],
    ['a non-numeric amount', () => set('amount', 'ten')(signedBill()), 5, 'amount', 400],
    ['a missing sign', () => without('sign')(signedBill()), 4, 'sign', 400],
    ['a sign that is not 32 hex chars', () => set('sign', 'abc')(signedBill()), 5, 'sign', 400],
    ['a relative return_url', () => set('return_url', '/done')(signedBill()), 5, 'return_url', 400],
    ['a return_url with a fragment', () => set('return_url', 'https://shop.example/done#top')(signedBill()), 5, 'return_url', 400],
    ['a javascript: return_url', () => set('return_url', 'javascript:alert(1)')(signedBill()), 5, 'return_url', 400],
    ['a nested optional', () => set('optional', { a: { b: 1 } })(signedBill()), 5, 'optional', 400],
    ['a deeply nested optional', () => set('optional', deep(500))(signedBill()), 5, 'optional', 400],
    ['an array optional', () => set('optional', [1, 2])(signedBill()), 5, 'optional', 400],
    ['an optional of 60 keys', () => set('optional', manyKeys)(signedBill()), 5, 'optional', 400],
    ['an optional over 4096 bytes', () => set('optional', { note: 'x'.repeat(5000) })(signedBill()), 5, 'optional', 400],
    ['an optional string that is not JSON', () => set('optional', '{oops')(signedBill()), 5, 'optional', 400],
    ['a numeric openid', () => set('openid', 12345)(signedBill()), 5, 'openid', 400],
    ['no openid for WX_JSAPI', () => signedBill({ channel: 'WX_JSAPI' }), 4, 'openid', 400],
    ['an empty openid for BC_WX_JSAPI', () => signedBill({ channel: 'BC_WX_JSAPI', openid: '' }), 4, 'openid', 400],
    ['a use_app that is not a flag', () => set('use_app', 'yes')(signedBill()), 5, 'use_app', 400],
    ['a buyer_id over 64 chars', () => set('buyer_id', 'b'.repeat(65))(signedBill()), 5, 'buyer_id', 400],
    ['a sign made with another secret', () => set('sign', 'f'.repeat(32))(signedBill()), 20, 'sign', 403],
    ['an amount changed after signing', () => set('amount', 100)(signedBill({ amount: 1 })), 20, 'sign', 403],
    ['a title changed after signing', () => set('title', '另一个商品')(signedBill()), 20, 'sign', 403],
  ])('%s', async (_case, makeBody, code, field, status) => {
    const gateway = testGateway();
    const response = await gateway.handle(billRequest(makeBody()));
    const answer = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(status);
    expect(answer).toMatchObject({ result_code: code, field });
    expect(answer.err_detail).toContain(field);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((await gateway.store.listBills({ limit: 10 }))).toEqual([]);
  });
});

describe('POST /1/pay/jsbutton/bill refuses a bad payload', () => {
  const valid = () => JSON.stringify(signedBill());
  it.each<[string, () => RequestInit, number, RegExp]>([
    ['a form-encoded body', () => ({ headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' }), 415, /Content-Type/],
    ['a body without Content-Type', () => ({ body: new Blob([valid()]) }), 415, /got none/],
    ['a body in another charset', () => ({ headers: { 'Content-Type': 'text/plain; charset=gbk' }, body: valid() }), 415, /UTF-8/],
    ['a body over 16 KiB', () => ({ headers: { 'Content-Type': 'application/json' }, body: `{"x":"${'a'.repeat(17 * 1024)}"}` }), 413, /16384 bytes/],
    ['a body that is not JSON', () => ({ headers: { 'Content-Type': 'application/json' }, body: '{app_id:' }), 400, /JSON object/],
    ['a JSON array', () => ({ headers: { 'Content-Type': 'text/plain' }, body: '[]' }), 400, /got an array/],
    ['JSON null', () => ({ headers: { 'Content-Type': 'text/plain' }, body: 'null' }), 400, /got null/],
    ['bytes that are not UTF-8', () => ({ headers: { 'Content-Type': 'text/plain' }, body: new Uint8Array([0x7b, 0xff, 0x7d]) }), 400, /UTF-8/],
  ])('%s', async (_case, makeInit, status, detail) => {
    const gateway = testGateway();
    const response = await gateway.handle(new Request('http://gateway.test/1/pay/jsbutton/bill', { method: 'POST', ...makeInit() }));
    const answer = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(status);
    expect(answer).toMatchObject({ result_code: 22, result_msg: 'PAYLOAD_INVALID', field: 'body' });
    expect(answer.err_detail).toMatch(/^body /);
    expect(answer.err_detail).toMatch(detail);
    expect((await gateway.store.listBills({ limit: 10 }))).toEqual([]);
  });
});

describe('POST /1/pay/jsbutton/bill accepts what real pages send', () => {
  it.each<[string, () => Body, string]>([
    ['an amount as a digit string', () => signedBill({ amount: '6800' }), 'text/plain;charset=UTF-8'],
    ['an out_trade_no as a number', () => signedBill({ out_trade_no: 2024061500001 }), 'application/json'],
    ['optional as a JSON string', () => signedBill({ optional: '{"shop":"demo","n":2}' }), 'application/json; charset=utf-8'],
    ['use_app as the string "false"', () => signedBill({ channel: 'ALI_WAP', use_app: 'false' }), 'text/plain'],
    ['empty optional fields', () => signedBill({ return_url: '', optional: '', openid: '', buyer_id: '' }), 'text/plain'],
  ])('%s', async (_case, makeBody, contentType) => {
    const gateway = testGateway();
    const response = await gateway.handle(
      new Request('http://gateway.test/1/pay/jsbutton/bill', { method: 'POST', headers: { 'Content-Type': contentType }, body: JSON.stringify(makeBody()) }),
    );
    expect(await response.json()).toMatchObject({ result_code: 0, result_msg: 'OK', err_detail: '' });
    expect((await gateway.store.listBills({ limit: 10 }))).toHaveLength(1);
  });

  it('keeps the amount exactly as sent and the fee as a number', async () => {
    const gateway = testGateway();
    const body = signedBill({ amount: '6800', optional: '{"shop":"demo"}' });
    const answer = (await (await gateway.handle(billRequest(body))).json()) as { id: string };
    expect((await gateway.store.getBill(answer.id))).toMatchObject({ amount: '6800', fee: 6800, optional: { shop: 'demo' }, status: 'UNPAID' });
  });
});
