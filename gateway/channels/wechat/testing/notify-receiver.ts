import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Answer } from '../../../http/answer';
import type { IncomingNotify } from '../../connector';

/** A stand-in for the gateway's notify route on 127.0.0.1 and a free port: each notify goes to `handle`, whose Answer is sent back. */
export async function startNotifyReceiver(
  handle: (notify: IncomingNotify, attempt: number) => Promise<Answer>,
): Promise<{ url: string; received: IncomingNotify[]; close(): Promise<void> }> {
  const received: IncomingNotify[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers = req.headers;
      const notify: IncomingNotify = {
        method: req.method ?? 'POST',
        query: url.searchParams,
        header: (name) => {
          const value = headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
        body: new Uint8Array(Buffer.concat(chunks)),
      };
      received.push(notify);
      handle(notify, received.length).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body ?? undefined);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify/wechat`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
