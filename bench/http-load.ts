import { Agent, request } from 'node:http';

/** One request of a load: method, path and JSON text body, sent as text/plain the way the widget sends bills. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** What came back for one request; `status` 0 and `error` set when the connection failed. */
export interface LoadAnswer {
  status: number;
  body: string;
  ms: number;
  error?: string;
}

/** A finished closed-loop run: wall time and every request's latency in ms, in completion order. */
export interface LoadRun {
  elapsedMs: number;
  latencies: number[];
}

/**
 * Drives `total` requests through `concurrency` clients, each sending its next request as soon as the
 * previous answer has been read, over one keep-alive agent. `next(i)` makes request i (in start order);
 * `onAnswer(i, answer)` sees each answer. Given several URLs (gateways sharing one store), request i goes to
 * URL i mod their number, so that an order's repeats land on different gateways.
 */
export async function runClosedLoop(options: {
  url: string | readonly string[];
  total: number;
  concurrency: number;
  next(index: number): LoadRequest;
  onAnswer?(index: number, answer: LoadAnswer): void;
}): Promise<LoadRun> {
  const bases = (typeof options.url === 'string' ? [options.url] : options.url).map((url) => new URL(url));
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });
  const latencies: number[] = [];
  let started = 0;
  const client = async () => {
    while (started < options.total) {
      const index = started;
      started += 1;
      const answer = await send(agent, bases[index % bases.length] as URL, options.next(index));
      latencies.push(answer.ms);
      options.onAnswer?.(index, answer);
    }
  };
  const begin = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, client));
  } finally {
    agent.destroy();
  }
  return { elapsedMs: performance.now() - begin, latencies };
}

function send(agent: Agent | false, base: URL, load: LoadRequest, retried = false): Promise<LoadAnswer> {
  return new Promise((resolve) => {
    const start = performance.now();
    const body = load.body === undefined ? undefined : Buffer.from(load.body, 'utf8');
    const headers: Record<string, string | number> = {};
    if (body !== undefined) {
      headers['Content-Type'] = 'text/plain;charset=UTF-8';
      headers['Content-Length'] = body.byteLength;
    }
    const req = request(
      { agent, host: base.hostname, port: base.port, method: load.method, path: load.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - start }),
        );
        res.on('error', (error) => resolve({ status: 0, body: '', ms: performance.now() - start, error: error.message }));
      },
    );
    req.on('error', (error) => {
      // A kept-alive socket the server closed as idle just as this request went out: send it again on a new one, as
      // HTTP clients do (https://nodejs.org/api/http.html#requestreusedsocket). Requests of a load are idempotent.
      // The retry opens a connection of its own: when one kept-alive socket has gone stale, its pooled siblings likely have too.
      if (req.reusedSocket && !retried && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return void send(false, base, load, true).then(resolve);
      resolve({ status: 0, body: '', ms: performance.now() - start, error: error.message });
    });
    req.end(body);
  });
}
