import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toWebResponse } from './answer';
import { type EncodedBody, chooseCoding, encodeBody, encodedAnswer, matchesEtag } from './content-coding';
import { fromWebRequest } from './gateway-request';

const TEXT = Buffer.from('function widget(){return "spay-button";}\n'.repeat(200));

describe('encodeBody', () => {
  it('keeps brotli and gzip forms that decode to the original bytes, each with its own ETag', async () => {
    const body = await encodeBody(TEXT, { compress: true });
    expect(brotliDecompressSync(body.br?.bytes as Buffer)).toEqual(TEXT);
    expect(gunzipSync(body.gzip?.bytes as Buffer)).toEqual(TEXT);
    expect(body.br?.bytes.byteLength).toBeLessThan(TEXT.byteLength / 10);
    const etags = [body.identity.etag, body.br?.etag, body.gzip?.etag];
    expect(new Set(etags).size).toBe(3);
    for (const etag of etags) expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('names the same bytes with the same ETag, and other bytes with another', async () => {
    const again = await encodeBody(Buffer.from(TEXT), { compress: false });
    const other = await encodeBody(Buffer.concat([TEXT, Buffer.from(' ')]), { compress: false });
    expect(again.identity.etag).toBe((await encodeBody(TEXT, { compress: false })).identity.etag);
    expect(other.identity.etag).not.toBe(again.identity.etag);
  });

  it('leaves out codings that would not make the body smaller, and all of them when told not to compress', async () => {
    expect(Object.keys(await encodeBody(Buffer.from('x'), { compress: true }))).toEqual(['identity']);
    expect(Object.keys(await encodeBody(TEXT, { compress: false }))).toEqual(['identity']);
  });
});

describe('chooseCoding', () => {
  const both: EncodedBody = { identity: { bytes: Buffer.alloc(0), etag: '"i"' }, br: { bytes: Buffer.alloc(0), etag: '"b"' }, gzip: { bytes: Buffer.alloc(0), etag: '"g"' } };
  const gzipOnly: EncodedBody = { identity: both.identity, gzip: both.gzip };

  it.each<[string | null, EncodedBody, string]>([
    [null, both, 'identity'],
    ['', both, 'identity'],
    ['gzip, deflate, br', both, 'br'],
    ['gzip, deflate, br, zstd', both, 'br'],
    ['gzip', both, 'gzip'],
    ['GZIP', both, 'gzip'],
    ['br;q=0, gzip', both, 'gzip'],
    ['br;q=0.5, gzip;q=0.8', both, 'gzip'],
    ['br;q=0.8, gzip;q=0.8', both, 'br'],
    ['*', both, 'br'],
    ['*;q=0.5, identity', both, 'identity'],
    ['deflate', both, 'identity'],
    ['br', gzipOnly, 'identity'],
    ['gzip, br', gzipOnly, 'gzip'],
    ['identity;q=0, gzip;q=0', both, 'identity'],
  ])('chooses for Accept-Encoding %j: %#', (header, body, expected) => {
    expect(chooseCoding(header, body)).toBe(expected);
  });
});

describe('matchesEtag', () => {
  it.each<[string | null, boolean]>([
    [null, false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc" ', true],
    ['*', true],
    ['"abc-br"', false],
    ['abc', false],
  ])('If-None-Match %j matches "abc": %s', (header, expected) => {
    expect(matchesEtag(header, '"abc"')).toBe(expected);
  });
});

describe('encodedAnswer', () => {
  // Asked with a web Request and read as a web Response, as Gateway.handle does.
  const encodedResponse = (request: Request, ...rest: [EncodedBody, string, Record<string, string>]) =>
    toWebResponse(encodedAnswer(fromWebRequest(request), ...rest));
  const headers = { 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' };

  it('sends the preferred coding with its ETag, Vary and the given headers', async () => {
    const body = await encodeBody(TEXT, { compress: true });
    const response = encodedResponse(new Request('http://x/', { headers: { 'Accept-Encoding': 'gzip, br' } }), body, 'text/javascript', headers);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      'access-control-allow-origin': '*',
      'cache-control': 'no-cache',
      'content-encoding': 'br',
      'content-type': 'text/javascript',
      etag: body.br?.etag,
      vary: 'Accept-Encoding',
    });
    expect(brotliDecompressSync(Buffer.from(await response.arrayBuffer()))).toEqual(TEXT);
  });

  it('answers 304 with no body when If-None-Match names the ETag of the coding it would send', async () => {
    const body = await encodeBody(TEXT, { compress: true });
    const ask = (ifNoneMatch: string, acceptEncoding = 'gzip') =>
      encodedResponse(new Request('http://x/', { headers: { 'Accept-Encoding': acceptEncoding, 'If-None-Match': ifNoneMatch } }), body, 'text/javascript', headers);
    const notModified = ask(body.gzip?.etag as string);
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
    expect(notModified.headers.get('etag')).toBe(body.gzip?.etag);
    expect(notModified.headers.get('cache-control')).toBe('no-cache');
    expect(notModified.headers.get('content-type')).toBeNull();
    expect(ask(body.identity.etag).status).toBe(200);
    expect(ask(body.br?.etag as string, 'br').status).toBe(304);
  });
});
