import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError } from './body-too-large-error';

/** Past the body limit, this much more is read and dropped so that the answer (413) reaches the client; beyond it the socket is closed. */
const DRAIN_BYTES = 1024 * 1024;

/** Turns a Node request into a web Request whose body streams, and fails with BodyTooLargeError past `limit` bytes. */
export function toWebRequest(req: IncomingMessage, origin: string, limit: number): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = limitedBody(req, limit);
    init.duplex = 'half';
  }
  return new Request(new URL(req.url ?? '/', origin), init);
}

function limitedBody(req: IncomingMessage, limit: number): ReadableStream<Uint8Array> {
  let total = 0;
  let open = true;
  const drop = (): void => {
    open = false;
    let dropped = 0;
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DRAIN_BYTES) req.destroy();
    });
    req.resume();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (!open) return;
        total += chunk.length;
        if (total > limit) {
          controller.error(new BodyTooLargeError(limit));
          drop();
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on('end', () => {
        if (open) controller.close();
        open = false;
      });
      req.on('error', (error) => {
        if (open) controller.error(error);
        open = false;
      });
    },
    pull() {
      if (open) req.resume();
    },
    cancel() {
      if (open) drop();
    },
  });
}

/** Writes a web Response to a Node response, with its length. */
export async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}
