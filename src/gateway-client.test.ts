import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { type BillRequest, sendBill } from './gateway-call';
import { type BillAnswer, getBillStatus, readReply } from './gateway-client';

// The bill as the session gets it: sent by the script-tag bundle, its answer read by the pay steps.
const createBill = async (apiBase: string, body: BillRequest, signal?: AbortSignal) => readReply<BillAnswer>(await sendBill(apiBase, body, signal));

const API = 'https://pay.example.com/1/pay/jsbutton';
const REQUEST: BillRequest = {
  app_id: '7e3a9c52-1b4f-4d0e-9a61-3c2f8b5d0e17',
  channel: 'ALI_WEB',
  title: '测试商品',
  amount: '1',
  out_trade_no: 'SHOP20240601001',
  sign: '0123456789abcdef0123456789abcdef',
  optional: { color: 'red' },
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });

let fetchMock: Mock<typeof fetch>;

beforeEach(() => {
  fetchMock = vi.fn<typeof fetch>();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createBill', () => {
  it('POSTs the body as JSON in text/plain, without credentials', async () => {
    fetchMock.mockResolvedValue(json({ result_code: 0, result_msg: 'OK', err_detail: '', id: 'b_1', url: 'https://x.example/1' }));
    await createBill(API, REQUEST);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${API}/bill`);
    expect(init.method).toBe('POST');
    // text/plain keeps it a "simple" request: no CORS preflight.
    expect(new Headers(init.headers).get('Content-Type')).toMatch(/^text\/plain/);
    expect(JSON.parse(init.body as string)).toEqual(REQUEST);
    expect(init.credentials).toBe('omit');
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it('keeps the amount exactly as the page gave it', async () => {
    fetchMock.mockResolvedValue(json({ result_code: 0, id: 'b_1' }));
    await createBill(API, { ...REQUEST, amount: '0100' });
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string).amount).toBe('0100');
  });

  it('answers the bill on result_code 0', async () => {
    const answer = { result_code: 0, result_msg: 'OK', err_detail: '', id: 'b_1', code_url: 'weixin://wxpay/bizpayurl?pr=x' };
    fetchMock.mockResolvedValue(json(answer));
    await expect(createBill(API, REQUEST)).resolves.toEqual({ ok: true, value: answer });
  });

  it.each([
    ['APP_INVALID', 1, 'APP_INVALID'],
    ['PAY_FACTOR_NOT_SET', 2, 'CHANNEL_UNAVAILABLE'],
    ['CHANNEL_INVALID', 3, 'CHANNEL_INVALID'],
    ['MISS_PARAM', 4, 'MISS_PARAM'],
    ['PARAM_INVALID', 5, 'PARAM_INVALID'],
    ['SIGN_INVALID', 20, 'SIGN_INVALID'],
    ['CHANNEL_ERROR', 7, 'GATEWAY'],
    ['RUNTIME_ERROR', 14, 'GATEWAY'],
    ['SOMETHING_NEW', 99, 'GATEWAY'],
  ])('reports result_msg %s (result_code %i) as %s', async (resultMsg, resultCode, code) => {
    fetchMock.mockResolvedValue(json({ result_code: resultCode, result_msg: resultMsg, err_detail: `detail of ${resultMsg}` }, 400));
    const result = await createBill(API, REQUEST);
    expect(result).toEqual({ ok: false, error: { code, ERROR: `detail of ${resultMsg}` } });
  });

  it('keeps the field the gateway names', async () => {
    fetchMock.mockResolvedValue(
      json({ result_code: 5, result_msg: 'PARAM_INVALID', err_detail: 'title must be at most 32 units', field: 'title' }, 400),
    );
    await expect(createBill(API, REQUEST)).resolves.toEqual({
      ok: false,
      error: { code: 'PARAM_INVALID', ERROR: 'title must be at most 32 units', field: 'title' },
    });
  });

  it('falls back to result_msg, then to a sentence, when err_detail is empty', async () => {
    fetchMock.mockResolvedValueOnce(json({ result_code: 1, result_msg: 'APP_INVALID', err_detail: '' }, 400));
    const first = await createBill(API, REQUEST);
    expect(!first.ok && first.error.ERROR).toBe('APP_INVALID');
    fetchMock.mockResolvedValueOnce(json({ result_code: 14 }, 500));
    const second = await createBill(API, REQUEST);
    expect(!second.ok && second.error).toMatchObject({ code: 'GATEWAY' });
    expect(!second.ok && second.error.ERROR).toMatch(/14/);
  });

  it.each([
    ['an HTML error page', () => new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })],
    ['an empty body', () => new Response('', { status: 200 })],
    ['JSON without result_code', () => json({ id: 'b_1' })],
    ['a JSON string', () => json('OK')],
    ['JSON null', () => json(null)],
    ['a result_code that is a string', () => json({ result_code: '0', id: 'b_1' })],
  ])('reports %s as GATEWAY', async (_, response) => {
    fetchMock.mockResolvedValue(response());
    const result = await createBill(API, REQUEST);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('GATEWAY');
  });

  it('names the HTTP status when the answer is not JSON', async () => {
    fetchMock.mockResolvedValue(new Response('Bad Gateway', { status: 502 }));
    const result = await createBill(API, REQUEST);
    expect(!result.ok && result.error.ERROR).toContain('502');
  });

  it('reports a fetch that rejects as NETWORK', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const result = await createBill(API, REQUEST);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('NETWORK');
      expect(result.error.ERROR).toContain('Failed to fetch');
      expect(result.error).not.toHaveProperty('field');
    }
  });

  it("passes the caller's abort on to fetch and reports it as NETWORK", async () => {
    fetchMock.mockImplementation(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        }),
    );
    const controller = new AbortController();
    const pending = createBill(API, REQUEST, controller.signal);
    controller.abort();
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('NETWORK');
  });

  it('never throws, whatever fetch does', async () => {
    fetchMock.mockImplementation(() => {
      throw new Error('synchronous failure');
    });
    await expect(createBill(API, REQUEST)).resolves.toMatchObject({ ok: false, error: { code: 'NETWORK' } });
  });
});

describe('older browsers', () => {
  // Bug: callGateway calls AbortSignal.timeout (Safari 16+) and AbortSignal.any (Safari 17.4+, Chrome 116+)
  // unguarded, while the bundle targets es2020. On iOS before 17.4 (WeChat's and Alipay's web views use the
  // system WebKit there) the TypeError makes createBill reject instead of answering a Checked value, so
  // PaySession.choose throws, the error reaches neither dataError nor BC.err and the picker stays busy.
  // Fix (gateway-client.ts, callGateway): build the timeout with setTimeout + an AbortController and, when
  // AbortSignal.any is missing, forward the caller's abort to that controller by an 'abort' listener.
  it.each(['any', 'timeout'] as const)('answers a bill where AbortSignal.%s is missing', async (method) => {
    const original = Object.getOwnPropertyDescriptor(AbortSignal, method);
    Object.defineProperty(AbortSignal, method, { value: undefined, configurable: true, writable: true });
    try {
      fetchMock.mockResolvedValue(json({ result_code: 0, result_msg: 'OK', err_detail: '', id: 'b_1', url: 'https://x.example/1' }));
      const result = await createBill(API, REQUEST, new AbortController().signal);
      expect(result).toMatchObject({ ok: true, value: { id: 'b_1' } });
    } finally {
      if (original) Object.defineProperty(AbortSignal, method, original);
    }
  });
});

describe('getBillStatus', () => {
  it('GETs the bill by its encoded id, bypassing the cache', async () => {
    fetchMock.mockResolvedValue(json({ result_code: 0, id: 'b/1 ?', pay_result: false, status: 'UNPAID' }));
    const result = await getBillStatus(API, 'b/1 ?');
    expect(result).toEqual({ ok: true, value: { result_code: 0, id: 'b/1 ?', pay_result: false, status: 'UNPAID' } });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${API}/bill/b%2F1%20%3F`);
    expect(init.method ?? 'GET').toBe('GET');
    expect(init.cache).toBe('no-store');
    expect(init.credentials).toBe('omit');
  });

  it('reports an unknown bill with its detail', async () => {
    fetchMock.mockResolvedValue(json({ result_code: 21, result_msg: 'BILL_NOT_FOUND', err_detail: 'no bill b_9' }, 404));
    await expect(getBillStatus(API, 'b_9')).resolves.toEqual({ ok: false, error: { code: 'GATEWAY', ERROR: 'no bill b_9' } });
  });
});
