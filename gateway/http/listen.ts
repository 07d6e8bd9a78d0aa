import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebResponse, toWebRequest } from './node-bridge';

/** Where to listen: host (default 127.0.0.1), port (0 = a free one), a log for failures, and the request body limit. */
export interface ListenOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** Request bodies past this many bytes fail with BodyTooLargeError; default 1 MiB. */
  maxBodyBytes?: number;
}

/** A listening server: its base URL, its port, and close() (which also drops idle keep-alive connections). */
export interface Listener {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a web handler (Request → Response) on node:http. */
export async function listen(
  handle: (request: Request) => Response | Promise<Response>,
  options: ListenOptions = {},
): Promise<Listener> {
  const { port = 0, host = '127.0.0.1', maxBodyBytes = 1024 * 1024 } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const server = createServer((req, res) => {
    const fail = (error: unknown): void => {
      log(`error in ${req.method} ${(req.url ?? '').split('?')[0]}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    };
    try {
      // Host names the origin of the web Request; answers that must not trust it use a configured public URL.
      const request = toWebRequest(req, `http://${req.headers.host ?? `${host}:${port}`}`, maxBodyBytes);
      Promise.resolve(handle(request))
        .then((response) => {
          // A body the handler never read would keep the connection paused; dropping it frees keep-alive.
          if (request.body !== null && !request.bodyUsed) request.body.cancel().catch(() => undefined);
          return sendWebResponse(response, res);
        })
        .catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
