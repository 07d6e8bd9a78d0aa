import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Answer } from './answer';
import { BodyTooLargeError } from './body-too-large-error';
import type { GatewayRequest } from './gateway-request';
import { type NodeBody, requestUrl } from './node-bridge';

// An origin whose host can only be a name, IPv4 address or port: the URL parser reads it the same whatever path follows.
const PLAIN_ORIGIN = /^http:\/\/[A-Za-z0-9.-]+(?::[0-9]+)?$/;
// A path the URL parser keeps as it is: nothing to percent-encode, no dot segments, no "\", "%", "?" or "#".
const PLAIN_PATH = /^(?:\/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*)?)+$/;
// Web Request refuses these methods; so does this bridge, so that the gateway answers alike behind either.
const REFUSED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const NO_BYTES = new Uint8Array(0);

/**
 * The GatewayRequest for `req` at `origin` ("http://" + its Host header) with its body as read, naming the same URL
 * as toWebRequest would. For a plain origin and path it parses no URL per request (origins are remembered), else
 * the whole URL at once. Throws as toWebRequest does for a URL or method a web Request refuses.
 */
export function toGatewayRequest(req: IncomingMessage, origin: string, body: NodeBody): GatewayRequest {
  const method = req.method ?? 'GET';
  if (REFUSED_METHODS.has(method.toUpperCase())) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  const target = req.url ?? '/';
  const query = target.indexOf('?');
  const rawPath = query === -1 ? target : target.slice(0, query);
  if (PLAIN_ORIGIN.test(origin) && PLAIN_PATH.test(rawPath)) return new NodeRequest(req, method, body, origin + target, rawPath, originOf(origin));
  const url = new URL(requestUrl(origin, target));
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url.href}`);
  }
  return new NodeRequest(req, method, body, url, url.pathname, url.origin);
}

// A class rather than an object literal, so that a request costs no closures.
class NodeRequest implements GatewayRequest {
  private parsed: URL | string;

  constructor(
    private readonly req: IncomingMessage,
    readonly method: string,
    private readonly body: NodeBody,
    url: URL | string,
    readonly path: string,
    readonly origin: string,
  ) {
    this.parsed = url;
  }

  get address(): string | undefined {
    return this.req.socket.remoteAddress;
  }

  get url(): URL {
    if (typeof this.parsed === 'string') this.parsed = new URL(this.parsed);
    return this.parsed;
  }

  get remoteAddress(): string | undefined {
    return this.req.socket.remoteAddress;
  }

  header(name: string): string | null {
    const value = this.req.headers[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  async readBody(limit: number): Promise<Uint8Array | 'too-large'> {
    const { body } = this;
    if (body.kind === 'none') return NO_BYTES;
    if (body.kind === 'too-large') throw new BodyTooLargeError(body.limit);
    if (Number(this.req.headers['content-length']) > limit || body.bytes.byteLength > limit) return 'too-large';
    return body.bytes;
  }
}

const ORIGINS = new Map<string, string>();
const ORIGINS_KEPT = 64;

/** `new URL(origin).origin`, remembered: a server sees few Host headers, but anyone can send new ones, hence the bound. */
function originOf(origin: string): string {
  let parsed = ORIGINS.get(origin);
  if (parsed === undefined) {
    parsed = new URL(origin).origin;
    if (ORIGINS.size >= ORIGINS_KEPT) ORIGINS.clear();
    ORIGINS.set(origin, parsed);
  }
  return parsed;
}

// A frozen headers object (the common answers share a few) is laid out once; see layOutHeaders.
const LAID_OUT = new WeakMap<object, string[]>();
const LAID_OUT_FOR_TEXT = new WeakMap<object, string[]>();

/** Writes an Answer to a Node response as sendWebResponse would write the same answer as a web Response. */
export function sendAnswer(answer: Answer, res: ServerResponse): void {
  const { body } = answer;
  const text = typeof body === 'string';
  const laidOut = text ? LAID_OUT_FOR_TEXT : LAID_OUT;
  let headers = laidOut.get(answer.headers);
  if (headers === undefined) {
    headers = layOutHeaders(answer.headers, text);
    if (Object.isFrozen(answer.headers)) laidOut.set(answer.headers, headers);
  }
  if (body === null) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  res.writeHead(answer.status, [...headers, 'content-length', String(length)]);
  res.end(body);
}

/**
 * Names and values as a web Response lists them: names in lower case and sorted, a repeated name's values joined,
 * and the Content-Type a Response gives a text body that has none.
 */
function layOutHeaders(headers: Readonly<Record<string, string>>, text: boolean): string[] {
  const joined = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (key === 'content-length') continue;
    const earlier = joined.get(key);
    joined.set(key, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  if (text && !joined.has('content-type')) joined.set('content-type', 'text/plain;charset=UTF-8');
  const flat: string[] = [];
  for (const key of [...joined.keys()].sort()) flat.push(key, joined.get(key) as string);
  return flat;
}
