import { Agent } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../testing/raw-request';
import { isBodyTooLargeError } from './body-too-large-error';
import { responseWithBody } from './known-body';
import { type Listener, listen } from './listen';
import { DRAIN_BYTES } from './node-bridge';

const LIMIT = 1024;
let listener: Listener | undefined;

afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

/** Listens with a small body limit; the handler answers 413 when the body is too large, else echoes it. */
async function echoServer(): Promise<Listener> {
  listener = await listen(
    async (request) => {
      try {
        const text = await request.text();
        return new Response(`${request.method} ${text.length}:${text.slice(0, 40)}`);
      } catch (error) {
        if (isBodyTooLargeError(error)) return new Response('too large', { status: 413 });
        throw error;
      }
    },
    { log: () => undefined, maxBodyBytes: LIMIT },
  );
  return listener;
}

describe('listen: request bodies', () => {
  it.each([
    ['whole, with a Content-Length', { 'Content-Type': 'text/plain' }, 'x'.repeat(LIMIT)],
    ['in chunks', { 'Transfer-Encoding': 'chunked' }, ['{"a":', '"b"}']],
    ['empty', { 'Content-Length': 0 }, ''],
  ])('hands the handler a body sent %s', async (_case, headers, body) => {
    const server = await echoServer();
    const answer = await rawRequest(`${server.url}/echo`, { method: 'POST', headers, body });
    const text = Array.isArray(body) ? body.join('') : body;
    expect(answer.status).toBe(200);
    expect(answer.bytes.toString()).toBe(`POST ${text.length}:${text.slice(0, 40)}`);
  });

  it('answers a body past the limit once the rest is drained, then closes the connection', async () => {
    const server = await echoServer();
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = await rawRequest(`${server.url}/echo`, { method: 'POST', agent, body: 'x'.repeat(LIMIT * 20) });
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
      await answer.socketClosed;
      const next = await rawRequest(`${server.url}/echo`, { method: 'POST', agent, body: 'ok' });
      expect(next.bytes.toString()).toBe('POST 2:ok');
    } finally {
      agent.destroy();
    }
  });

  it('answers 413 to a declared Content-Length past the limit, then closes the connection', async () => {
    const server = await echoServer();
    const streamed = Array.from({ length: 16 }, () => Buffer.alloc(LIMIT, 'y'));
    const answer = await rawRequest(`${server.url}/echo`, { method: 'POST', headers: { 'Content-Length': LIMIT * 16 }, body: streamed });
    expect(answer.status).toBe(413);
    await answer.socketClosed;
  });

  it('closes the socket of a client that sends far past the limit, instead of draining forever', async () => {
    const server = await echoServer();
    const socket = connect(server.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${LIMIT + DRAIN_BYTES * 4}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'z');
    // Keep sending until the server gives up on the connection.
    const pump = (): void => {
      if (!socket.destroyed && socket.write(chunk)) setImmediate(pump);
    };
    socket.on('drain', pump);
    pump();
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});

describe('listen: requests and answers', () => {
  it('keeps a path that looks like another origin on this server', async () => {
    listener = await listen((request) => new Response(new URL(request.url).origin + new URL(request.url).pathname), { log: () => undefined });
    const answer = await rawRequest(`${listener.url}//evil.example/x`);
    expect(answer.bytes.toString()).toBe(`${listener.url}//evil.example/x`);
  });

  it.each([
    ['a string made by responseWithBody', () => responseWithBody('héllo', { headers: { 'X-Kind': 'known' } }), 'héllo'],
    ['bytes made by responseWithBody', () => responseWithBody(new TextEncoder().encode('bytes'), {}), 'bytes'],
    ['a plain Response', () => new Response('plain'), 'plain'],
    ['a streamed Response', () => new Response(new Blob(['str', 'eamed']).stream()), 'streamed'],
    ['a Response whose stated length is wrong', () => new Response('four', { headers: { 'Content-Length': '99' } }), 'four'],
  ])('writes %s with its exact Content-Length', async (_case, make, text) => {
    listener = await listen(() => make(), { log: () => undefined });
    const answer = await rawRequest(`${listener.url}/`);
    expect(answer.bytes.toString()).toBe(text);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(text)));
  });

  it('sends every Set-Cookie header of an answer', async () => {
    listener = await listen(
      () => {
        const headers = new Headers();
        headers.append('Set-Cookie', 'a=1; Path=/');
        headers.append('Set-Cookie', 'b=2; Path=/');
        return new Response(null, { status: 204, headers });
      },
      { log: () => undefined },
    );
    const answer = await rawRequest(`${listener.url}/`);
    expect(answer.status).toBe(204);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('answers every request when 200 connections open at once, first requests and repeats alike', async () => {
    listener = await listen(async (request) => new Response(`got ${await request.text()}`), { log: () => undefined });
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));
    try {
      const round = (name: string) =>
        Promise.all(Array.from({ length: 200 }, (_, i) => rawRequest(`${listener?.url}/`, { method: 'POST', agent, body: `${name} ${i}` })));
      const first = await round('first');
      const second = await round('second');
      expect(first.map((answer) => answer.bytes.toString())).toEqual(Array.from({ length: 200 }, (_, i) => `got first ${i}`));
      expect(second.map((answer) => answer.bytes.toString())).toEqual(Array.from({ length: 200 }, (_, i) => `got second ${i}`));
      expect(sockets.size).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
