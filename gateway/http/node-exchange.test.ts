import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type Answer, answerWith, toWebResponse } from './answer';
import { jsonAnswer } from './api-answer';
import { isBodyTooLargeError } from './body-too-large-error';
import { type NodeBody, sendWebResponse, toWebRequest } from './node-bridge';
import { sendAnswer, toGatewayRequest } from './node-exchange';

const fakeReq = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  ({ method, url, headers: { host: 'gateway.test', ...headers } }) as unknown as IncomingMessage;

/** What a response was told to write: writeHead's status and headers, and end's body. */
function recorder(): { res: ServerResponse; written: { status?: number; headers?: unknown; body?: unknown } } {
  const written: { status?: number; headers?: unknown; body?: unknown } = {};
  const res = {
    writeHead(status: number, headers: unknown) {
      written.status = status;
      written.headers = headers;
    },
    end(body?: unknown) {
      written.body = body;
    },
  } as unknown as ServerResponse;
  return { res, written };
}

const NONE: NodeBody = { kind: 'none' };

describe('toGatewayRequest', () => {
  it.each([
    ['http://gateway.test', '/1/pay/jsbutton/bill'],
    ['http://gateway.test', '/1/pay/jsbutton/returnscripts?appId=a%20b&x=<y>'],
    ['http://gateway.test', '/sandbox/cashier/AbC_-9?channel=ALI_WEB'],
    ['http://gateway.test', '/'],
    ['http://gateway.test', '/a/../1/pay/jsbutton/bill'],
    ['http://gateway.test', '/a/./b/.'],
    ['http://gateway.test', '/.well-known/x'],
    ['http://gateway.test', '/%2e%2e/x'],
    ['http://gateway.test', '/a b/"c"'],
    ['http://gateway.test', '/中文'],
    ['http://gateway.test', '//other.test/x'],
    ['http://gateway.test', '/\\other.test/x'],
    ['http://gateway.test', '/x#frag?y'],
    ['http://gateway.test', '*'],
    ['http://gateway.test', 'http://other.test/abs?q=1'],
    ['http://LOCALHOST:80', '/sandbox'],
    ['http://127.0.0.1:8787', '/sandbox/'],
    ['http://0x7f.1:8787', '/sandbox'],
    ['http://[::1]:3000', '/sandbox'],
    ['http://a/b', '/sandbox'],
    ['http://a?b', '/sandbox'],
    ['http://example.com:443', '/x'],
  ])('names the same URL as a web Request at %s for %s', (origin, target) => {
    const req = fakeReq(target);
    const expected = new URL(toWebRequest(req, origin, NONE).url);
    const request = toGatewayRequest(req, origin, NONE);
    expect([request.path, request.origin, request.url.href]).toEqual([expected.pathname, expected.origin, expected.href]);
  });

  it.each([
    ['http://bad host', '/x', 'GET'],
    ['http://999.1.1.1', '/x', 'GET'],
    ['http://a:99999', '/x', 'GET'],
    ['http://user@a', '/x', 'GET'],
    ['http://gateway.test', 'http://user:pw@other.test/x', 'GET'],
    ['http://gateway.test', '/x', 'TRACE'],
    ['http://gateway.test', '/x', 'track'],
  ])('throws where a web Request would: origin %s, %s %s', (origin, target, method) => {
    const req = fakeReq(target, {}, method);
    expect(() => toWebRequest(req, origin, NONE)).toThrow(TypeError);
    expect(() => toGatewayRequest(req, origin, NONE)).toThrow(TypeError);
  });

  it('reads headers by lower-case name, null when absent', () => {
    const request = toGatewayRequest(fakeReq('/', { 'content-type': 'text/plain' }), 'http://gateway.test', NONE);
    expect(request.header('content-type')).toBe('text/plain');
    expect(request.header('accept-encoding')).toBeNull();
  });

  it.each<[string, NodeBody, Record<string, string>, number, string | number]>([
    ['no body', NONE, {}, 10, 0],
    ['a body within the limit', { kind: 'read', bytes: Buffer.from('0123456789') }, {}, 10, 10],
    ['a body past the limit', { kind: 'read', bytes: Buffer.from('0123456789') }, {}, 9, 'too-large'],
    ['a declared length past the limit', { kind: 'read', bytes: Buffer.from('01') }, { 'content-length': '99' }, 9, 'too-large'],
  ])('reads %s as a web Request would', async (_case, body, headers, limit, expected) => {
    const bytes = await toGatewayRequest(fakeReq('/', headers, 'POST'), 'http://gateway.test', body).readBody(limit);
    expect(bytes === 'too-large' ? bytes : bytes.byteLength).toBe(expected);
  });

  it('fails reading a body past the server limit with BodyTooLargeError', async () => {
    const body: NodeBody = { kind: 'too-large', limit: 5, drained: Promise.resolve(true) };
    const error = await toGatewayRequest(fakeReq('/', {}, 'POST'), 'http://gateway.test', body).readBody(10).catch((caught: unknown) => caught);
    expect(isBodyTooLargeError(error)).toBe(true);
  });
});

describe('sendAnswer', () => {
  it.each<[string, Answer]>([
    ['a JSON answer', jsonAnswer({ result_code: 0, text: '中文' }, 200)],
    ['a JSON answer with more headers', jsonAnswer({ a: 1 }, 400, { 'Cache-Control': 'max-age=1', ETag: '"x"' })],
    ['no body', answerWith(null, 303, { Location: 'http://x.test/', 'Cache-Control': 'no-store' })],
    ['bytes', answerWith(new Uint8Array([1, 2, 3]), 200, { 'content-type': 'application/octet-stream' })],
    ['an empty body', answerWith('', 200, {})],
    ['a name given twice in other cases', answerWith('x', 200, { 'X-Thing': 'a', 'x-thing': 'b', 'Content-Length': '99' })],
  ])('writes %s as the same answer sent as a web Response', async (_case, answer) => {
    const web = recorder();
    await sendWebResponse(toWebResponse(answer), web.res);
    const direct = recorder();
    sendAnswer(answer, direct.res);
    expect(direct.written).toEqual(web.written);
  });
});
