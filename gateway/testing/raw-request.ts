import { type Agent, type IncomingHttpHeaders, request } from 'node:http';

/** What came back for a raw request: status, headers, the body bytes as sent (not decoded), and how the socket ended. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
  /** Resolves once the server has closed the connection; never when it keeps it open. */
  socketClosed: Promise<void>;
}

/** What to send: method, headers, and a body written whole or in chunks (chunked encoding unless Content-Length is given). */
export interface RawRequest {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer | Array<string | Buffer>;
  agent?: Agent;
}

/**
 * Sends one request with node:http, which (unlike fetch) shows the bytes on the wire: compressed bodies stay
 * compressed. Rejects when the connection fails before an answer.
 */
export function rawRequest(url: string, options: RawRequest = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks), socketClosed }));
      res.on('error', reject);
    });
    const socketClosed = new Promise<void>((closed) => req.on('socket', (socket) => socket.once('close', () => closed())));
    req.on('error', reject);
    const body = options.body;
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else {
      req.end(body);
    }
  });
}
