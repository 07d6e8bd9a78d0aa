import { readLimited } from './read-limited';

/**
 * What a route reads of a request. The node server makes one straight from node:http (see node-exchange.ts), with
 * no web Request behind it; fromWebRequest makes one from a web Request, for callers of Gateway.handle.
 */
export interface GatewayRequest {
  /** The method, in upper case for the methods HTTP defines. */
  readonly method: string;
  /** The URL's pathname, as `new URL(url).pathname` gives it. */
  readonly path: string;
  /** The URL's origin, as `new URL(url).origin` gives it. */
  readonly origin: string;
  /** The peer's IP address when known (the node server's socket); undefined for a web Request. */
  readonly address?: string | undefined;
  /** The whole URL, parsed on first use. */
  readonly url: URL;
  /** The value of the header named `name` (in lower case), or null. */
  header(name: string): string | null;
  /** The peer's IP address, where the transport knows it (node:http); absent for a web Request. */
  readonly remoteAddress?: string;
  /**
   * The body's bytes, or 'too-large' when it declares or has more than `limit` bytes; an empty body when there is
   * none. Rejects when the body cannot be read to its end (with a BodyTooLargeError past the server's own limit).
   */
  readBody(limit: number): Promise<Uint8Array | 'too-large'>;
}

/** A GatewayRequest reading a web Request; its body is read (once) only when a route asks for it. */
export function fromWebRequest(request: Request): GatewayRequest {
  let url: URL | undefined;
  const parsed = (): URL => (url ??= new URL(request.url));
  return {
    method: request.method,
    get path() {
      return parsed().pathname;
    },
    get origin() {
      return parsed().origin;
    },
    get url() {
      return parsed();
    },
    header: (name) => request.headers.get(name),
    readBody: (limit) => readWebBody(request, limit),
  };
}

async function readWebBody(request: Request, limit: number): Promise<Uint8Array | 'too-large'> {
  if (request.body === null) return new Uint8Array(0);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body.cancel().catch(() => undefined);
    return 'too-large';
  }
  return (await readLimited(request.body, limit)) ?? 'too-large';
}
