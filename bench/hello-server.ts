import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A plain node:http server that reads the request body and answers a small JSON: the ceiling for the gateway. */
export async function startHelloServer(): Promise<{ url: string; close(): Promise<void> }> {
  const answer = Buffer.from(JSON.stringify({ result_code: 0, result_msg: 'OK', err_detail: '', hello: 'world' }));
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': answer.byteLength });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
