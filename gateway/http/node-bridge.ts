import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError } from './body-too-large-error';
import { knownBody } from './known-body';

/** Past the body limit, at most this much more is read and dropped so that the answer reaches the client; beyond it the socket is closed. */
export const DRAIN_BYTES = 1024 * 1024;

/**
 * A request body as read in Node: none (GET and HEAD), all of it, or too large. A too-large body is being drained;
 * `drained` resolves true once the client has sent all of it, false when the connection closed first.
 */
export type NodeBody = { kind: 'none' } | { kind: 'read'; bytes: Buffer<ArrayBuffer> } | { kind: 'too-large'; limit: number; drained: Promise<boolean> };

const NO_BODY: NodeBody = { kind: 'none' };
// A body's read errors (a client gone mid-body) need a listener, and nothing else.
const ignore = (): void => undefined;

/**
 * Reads the body of `req` into one Buffer and calls `settle` once with it. Past `limit` bytes (or a declared
 * Content-Length above it) it settles 'too-large' at once, keeps nothing, and drains the rest, closing the socket
 * past DRAIN_BYTES. Never settles for a client that went away mid-body.
 */
export function readNodeBody(req: IncomingMessage, limit: number, settle: (body: NodeBody) => void): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    settle(NO_BODY);
    return;
  }
  let chunks: Array<Buffer<ArrayBuffer>> = [];
  let total = 0;
  let finishDrain: ((drained: boolean) => void) | undefined;
  const overflow = (): void => {
    chunks = [];
    settle({ kind: 'too-large', limit, drained: new Promise((resolve) => (finishDrain = resolve)) });
    // After 'end' this changes nothing; before it, the client is gone and there is no one to answer.
    req.on('close', () => finishDrain?.(false));
  };
  req.on('data', (chunk: Buffer<ArrayBuffer>) => {
    total += chunk.length;
    if (finishDrain !== undefined) {
      if (total > limit + DRAIN_BYTES) req.socket.destroy();
    } else if (total > limit) {
      overflow();
    } else {
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    if (finishDrain !== undefined) finishDrain(true);
    else settle({ kind: 'read', bytes: chunks.length === 1 ? (chunks[0] as Buffer<ArrayBuffer>) : Buffer.concat(chunks, total) });
  });
  req.on('error', ignore);
  if (Number(req.headers['content-length']) > limit) overflow();
}

/**
 * The URL a request target names at `origin`. A path is joined rather than resolved, so that one like //host or
 * /\host cannot name another origin; anything else (an absolute URL, `*`) is resolved against the origin.
 */
export function requestUrl(origin: string, target: string): string {
  return target.startsWith('/') ? origin + target : new URL(target, origin).href;
}

/** The web Request for `req` and its body as read; a too-large body is one that fails with BodyTooLargeError when read. */
export function toWebRequest(req: IncomingMessage, origin: string, body: NodeBody): Request {
  const url = requestUrl(origin, req.url ?? '/');
  const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers: req.headers as Record<string, string> };
  if (body.kind === 'read') {
    init.body = body.bytes;
  } else if (body.kind === 'too-large') {
    const error = new BodyTooLargeError(body.limit);
    init.body = new ReadableStream({ start: (controller) => controller.error(error) });
    init.duplex = 'half';
  }
  return new Request(url, init);
}

/** Writes a web Response to a Node response with its Content-Length; a body made by responseWithBody is written without reading it back. */
export async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  let body: string | Uint8Array | undefined = knownBody(response);
  if (body === undefined && response.body !== null) body = new Uint8Array(await response.arrayBuffer());
  const headers: string[] = [];
  for (const [name, value] of response.headers) {
    if (name !== 'content-length') headers.push(name, value);
  }
  if (body !== undefined) headers.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
  res.writeHead(response.status, headers);
  res.end(body);
}
