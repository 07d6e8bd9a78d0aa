import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CORS_HEADERS, refusal, refusalAnswer } from '../http/api-answer';
import type { Answer } from '../http/answer';
import { type EncodedBody, encodeBody, encodedAnswer } from '../http/content-coding';
import type { GatewayRequest } from '../http/gateway-request';

/** The widget bundle's file name in the widget directory. */
export const BUNDLE_FILE = 'spay-button.js';

const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
/** Types already compressed (PNG, WOFF2): sent as they are. */
const COMPRESSED_TYPES = new Set(['image/png', 'font/woff2']);
/** Entries kept in memory per kind (files read, files encoded, derived bodies); past this the least recently used goes. */
const ENTRIES_KEPT = 64;

/** A file as read: its bytes, and a stamp (inode, size, mtime) that changes when the file does. */
export interface StampedFile {
  bytes: Buffer<ArrayBuffer>;
  stamp: string;
}

/** The widget directory's files, each read and compressed once per version of the file. */
export interface WidgetFiles {
  /** The bytes of `path` (relative to dir), read again only when its stamp changes; undefined when it is not a file. */
  read(path: string): Promise<StampedFile | undefined>;
  /** `path` encoded for sending (see encodeBody), redone only when the file changes; undefined when it is not a file. */
  encoded(path: string): Promise<EncodedBody | undefined>;
  /** A body made from the files by `make`, kept under `key` (which must name the versions it was made from). */
  derived(key: string, make: () => Promise<EncodedBody>): Promise<EncodedBody>;
}

interface Entry<T> {
  stamp: string;
  value: Promise<T>;
}

/** Widget files served from `dir`. Every call stats the file, so that a rebuild shows at once. */
export function createWidgetFiles(dir: string): WidgetFiles {
  const reads = new Map<string, Entry<StampedFile | undefined>>();
  const encodings = new Map<string, Entry<EncodedBody>>();
  const derivations = new Map<string, Entry<EncodedBody>>();

  const read = async (path: string): Promise<StampedFile | undefined> => {
    const stamp = await fileStamp(join(dir, path));
    if (stamp === undefined) {
      reads.delete(path);
      encodings.delete(path);
      return undefined;
    }
    const known = recall(reads, path);
    if (known?.stamp === stamp) return known.value;
    const value = readFile(join(dir, path)).then(
      (bytes): StampedFile => ({ bytes, stamp }),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    return keep(reads, path, { stamp, value });
  };

  return {
    read,
    async encoded(path) {
      const file = await read(path);
      if (file === undefined) return undefined;
      const known = recall(encodings, path);
      if (known?.stamp === file.stamp) return known.value;
      const value = encodeBody(file.bytes, { compress: !COMPRESSED_TYPES.has(contentType(path)) });
      return keep(encodings, path, { stamp: file.stamp, value });
    },
    derived(key, make) {
      return recall(derivations, key)?.value ?? keep(derivations, key, { stamp: key, value: make() });
    },
  };
}

/** The entry for `key`, moved to the end of the map's least-recently-used order. */
function recall<T>(map: Map<string, Entry<T>>, key: string): Entry<T> | undefined {
  const entry = map.get(key);
  if (entry !== undefined) {
    map.delete(key);
    map.set(key, entry);
  }
  return entry;
}

/** Adds an entry to a map kept in least-recently-used order, dropping the oldest past ENTRIES_KEPT, and a failed entry once it fails. */
function keep<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): Promise<T> {
  map.delete(key);
  map.set(key, entry);
  if (map.size > ENTRIES_KEPT) map.delete(map.keys().next().value as string);
  entry.value.catch(() => {
    if (map.get(key) === entry) map.delete(key);
  });
  return entry.value;
}

async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? `${info.ino}:${info.size}:${info.mtimeMs}` : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function contentType(path: string): string {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

/**
 * GET /1/pay/jsbutton/assets/<name>: a file of `<widgetDir>/assets/`, plain names only, compressed when the client
 * accepts it, with an ETag, and cached for good (the build puts a hash of the content in each name).
 */
export async function serveAsset(files: WidgetFiles, request: GatewayRequest, name: string): Promise<Answer> {
  if (!ASSET_NAME.test(name)) return notFound(`asset name must be letters, digits, ".", "_" or "-" (got ${JSON.stringify(name.slice(0, 64))})`);
  return serveFile(files, request, `assets/${name}`, 'public, max-age=31536000, immutable');
}

/**
 * For what pages load by a fixed name (the script, the app's config): fresh for five minutes, so a buyer's next
 * page waits for no round trip; then for a day the cached copy is used at once while the browser fetches a fresh
 * one behind it (by ETag, mostly a 304). A new build or a changed app reaches pages within five minutes, or one
 * page view later after a pause. The files the script loads are kept a day after a deploy for this; see README.
 */
export const SCRIPT_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

/** GET /1/pay/jsbutton/spay-button.js: the unwrapped bundle, for merchants who host it themselves. */
export async function serveBundle(files: WidgetFiles, request: GatewayRequest): Promise<Answer> {
  return serveFile(files, request, BUNDLE_FILE, SCRIPT_CACHE_CONTROL);
}

async function serveFile(files: WidgetFiles, request: GatewayRequest, path: string, cacheControl: string): Promise<Answer> {
  const body = await files.encoded(path);
  if (body === undefined) return notFound('no such widget file; run npm run build');
  return encodedAnswer(request, body, contentType(path), {
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
    ...CORS_HEADERS,
  });
}

function notFound(detail: string): Answer {
  return refusalAnswer(refusal('ROUTE_NOT_FOUND', detail, 'path'));
}
