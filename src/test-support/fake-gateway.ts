import { vi } from 'vitest';

/** What the fake gateway answers for one bill request: a body (and status), or a network failure. */
export type FakeAnswer = { status?: number; body: Record<string, unknown> } | { networkError: string };

export interface FakeGateway {
  fetch: ReturnType<typeof vi.fn<typeof fetch>>;
  /** Every POSTed bill body, parsed. */
  bills(): Record<string, unknown>[];
  /** Every raw POST body, as sent. */
  rawBills(): string[];
  /** Queues the answers of the next bill requests; after the queue, `answerBill` decides. */
  queue(...answers: FakeAnswer[]): void;
  /** The bill status the polling endpoint answers. */
  setStatus(status: 'UNPAID' | 'PAID' | 'CANCELLED' | 'FAILED'): void;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });

/** The answer a sandbox gateway gives for each REST channel. */
export function answerBill(request: Record<string, unknown>): FakeAnswer {
  const id = `bill_${String(request.out_trade_no)}`;
  const cashier = `https://pay.example.com/sandbox/cashier/${id}`;
  const ok = { result_code: 0, result_msg: 'OK', err_detail: '', id, channel: request.channel };
  switch (request.channel) {
    case 'WX_NATIVE':
    case 'BC_NATIVE':
      return { body: { ...ok, code_url: `weixin://wxpay/bizpayurl?pr=${id}` } };
    case 'WX_JSAPI':
    case 'BC_WX_JSAPI':
      return {
        body: {
          ...ok,
          app_id: 'wx2421b1c4370ec43b',
          timestamp: '1717200000',
          nonce_str: 'e61463f8efa94090b1f366cccfbbb444',
          package: `prepay_id=${id}`,
          sign_type: 'MD5',
          pay_sign: '70EA570631E4BB79628FBCA90534C63FF7FADD89',
        },
      };
    case 'UN_WEB':
    case 'UN_WAP':
      return {
        body: {
          ...ok,
          html: `<form action="${cashier}" method="POST"><input type="hidden" name="bill" value="${id}"></form><script>document.forms[0].submit()</script>`,
        },
      };
    default:
      return { body: { ...ok, url: cashier } };
  }
}

/** Stubs globalThis.fetch with a gateway that creates bills and answers their status. */
export function installFakeGateway(): FakeGateway {
  const raw: string[] = [];
  const queued: FakeAnswer[] = [];
  let billStatus = 'UNPAID';
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = String(input);
    if (init?.method === 'POST' && url.endsWith('/bill')) {
      const body = String(init.body);
      raw.push(body);
      const answer = queued.shift() ?? answerBill(JSON.parse(body));
      if ('networkError' in answer) throw new TypeError(answer.networkError);
      return json(answer.body, answer.status ?? 200);
    }
    const match = /\/bill\/([^/?]+)$/.exec(url);
    if (match) {
      return json({ result_code: 0, result_msg: 'OK', err_detail: '', id: decodeURIComponent(match[1] as string), pay_result: billStatus === 'PAID', status: billStatus });
    }
    return json({ result_code: 23, result_msg: 'ROUTE_NOT_FOUND', err_detail: `no route ${url}` }, 404);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    fetch: fetchMock,
    bills: () => raw.map((body) => JSON.parse(body) as Record<string, unknown>),
    rawBills: () => [...raw],
    queue: (...answers) => queued.push(...answers),
    setStatus: (status) => {
      billStatus = status;
    },
  };
}
