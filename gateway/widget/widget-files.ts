import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CORS_HEADERS, refusal, refusalAnswer } from '../http/api-answer';

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

/** Reads a text file, or returns undefined when it does not exist (or is not a file). */
export async function readTextFile(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** GET /1/pay/jsbutton/assets/<name>: a file of `<widgetDir>/assets/`, plain names only, cached long (names carry a hash). */
export async function serveAsset(widgetDir: string, name: string): Promise<Response> {
  if (!ASSET_NAME.test(name)) return notFound(`asset name must be letters, digits, ".", "_" or "-" (got ${JSON.stringify(name.slice(0, 64))})`);
  return serveFile(join(widgetDir, 'assets', name), 'public, max-age=31536000, immutable');
}

/** GET /1/pay/jsbutton/spay-button.js: the unwrapped bundle, for merchants who host it themselves; revalidated, as its name has no hash. */
export async function serveBundle(widgetDir: string): Promise<Response> {
  return serveFile(join(widgetDir, BUNDLE_FILE), 'no-cache');
}

async function serveFile(path: string, cacheControl: string): Promise<Response> {
  let bytes: Buffer;
  try {
    if (!(await stat(path)).isFile()) return notFound('no such widget file');
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return notFound('no such widget file; run npm run build');
    throw error;
  }
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'Cache-Control': cacheControl,
      'X-Content-Type-Options': 'nosniff',
      ...CORS_HEADERS,
    },
  });
}

function notFound(detail: string): Response {
  return refusalAnswer(refusal('ROUTE_NOT_FOUND', detail, 'path'));
}
