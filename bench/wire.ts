import { type IncomingHttpHeaders, get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ServedScript } from './bundle-size';

/**
 * GETs `url` as a browser would, offering compression, and returns the decoded text with the bytes that crossed the
 * wire (fetch would decode them unseen). Throws on any status but 200.
 */
export async function fetchAsSent(url: string): Promise<ServedScript> {
  const { status, headers, bytes } = await getRaw(url, { 'Accept-Encoding': 'gzip, deflate, br' });
  if (status !== 200) throw new Error(`${url} answered HTTP ${status}`);
  const contentEncoding = typeof headers['content-encoding'] === 'string' ? headers['content-encoding'] : null;
  const decoded = contentEncoding === 'br' ? brotliDecompressSync(bytes) : contentEncoding === 'gzip' ? gunzipSync(bytes) : bytes;
  return { body: decoded.toString('utf8'), contentEncoding, wireBytes: bytes.byteLength };
}

function getRaw(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}
