import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Answer } from './answer';
import type { GatewayRequest } from './gateway-request';
import { type NodeBody, readNodeBody, sendWebResponse, toWebRequest } from './node-bridge';
import { sendAnswer, toGatewayRequest } from './node-exchange';
import { createTurnQueue } from './turn-queue';

/** Where to listen: host (default 127.0.0.1), port (0 = a free one), a log for failures, and the request body limit. */
export interface ListenOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /**
   * Request bodies past this many bytes reach the handler as a body that fails with BodyTooLargeError when read;
   * the answer is sent once the rest is drained, and the connection then closes. Default 1 MiB.
   */
  maxBodyBytes?: number;
}

/** A listening server: its base URL, its port, and close() (which also drops idle keep-alive connections). */
export interface Listener {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Repeat requests run in a turn that accepted a connection; see createTurnQueue. With 200 connections opened at once
 * against the gateway (5,000 bills), 1 to 4 all had every connection accepted within ~40-130 ms, against ~400 ms
 * when a turn runs everything, at the same throughput.
 */
const REPEATS_PER_ACCEPTING_TURN = 2;

/**
 * Serves a web handler (Request → Response) on node:http. Each request body is read in full (up to `maxBodyBytes`)
 * before the handler runs, so the handler's Request carries it as bytes.
 */
export function listen(handle: (request: Request) => Response | Promise<Response>, options: ListenOptions = {}): Promise<Listener> {
  return serveNode({ toRequest: toWebRequest, handle, send: sendWebResponse }, options);
}

/**
 * Serves a GatewayRequest → Answer handler on node:http, as listen() serves a web one (same bodies, limits, turns
 * and failures) but with no web Request or Response built per request.
 */
export function listenForAnswers(handle: (request: GatewayRequest) => Answer | Promise<Answer>, options: ListenOptions = {}): Promise<Listener> {
  return serveNode({ toRequest: toGatewayRequest, handle, send: sendAnswer }, options);
}

/** How a server meets its handler: the request it makes from node:http, the handler, and how it writes the answer. */
interface Exchange<Req, Res> {
  toRequest(req: IncomingMessage, origin: string, body: NodeBody): Req;
  handle(request: Req): Res | Promise<Res>;
  send(answer: Res, res: ServerResponse): void | Promise<void>;
}

async function serveNode<Req, Res>(exchange: Exchange<Req, Res>, options: ListenOptions): Promise<Listener> {
  const { port = 0, host = '127.0.0.1', maxBodyBytes = 1024 * 1024 } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const turns = createTurnQueue(REPEATS_PER_ACCEPTING_TURN);
  let ownOrigin = '';
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    log(`error in ${req.method} ${(req.url ?? '').split('?')[0]}: ${(error as Error).message}`);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end();
  };
  const answer = async (req: IncomingMessage, res: ServerResponse, body: NodeBody): Promise<void> => {
    try {
      // Host names the request's origin; answers that must not trust it use a configured public URL.
      const host = req.headers.host;
      const request = exchange.toRequest(req, host === undefined ? ownOrigin : `http://${host}`, body);
      // Past the limit, the answer waits for the drain (so that the client reads it) and is the connection's last.
      if (body.kind === 'too-large') res.shouldKeepAlive = false;
      const response = await exchange.handle(request);
      if (body.kind === 'too-large' && !(await body.drained)) return;
      // Only the web bridge's send is asynchronous; awaiting a plain value would cost a turn of the microtask queue.
      const sent = exchange.send(response, res);
      if (sent !== undefined) await sent;
    } catch (error) {
      fail(req, res, error);
    }
  };
  const served = new WeakSet<object>();
  const server = createServer((req, res) => {
    const repeat = served.has(req.socket);
    if (!repeat) served.add(req.socket);
    readNodeBody(req, maxBodyBytes, (body) => turns.run(() => void answer(req, res, body), repeat));
  });
  server.on('connection', () => turns.noteConnection());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  ownOrigin = `http://${urlHost(host)}:${bound}`;
  return {
    url: ownOrigin,
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
