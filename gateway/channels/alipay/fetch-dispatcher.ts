/**
 * Keeps Node's built-in fetch (the webhooks' client, and this connector's) on its own dispatcher. Loading
 * alipay-sdk loads its HTTP client's undici 7, which installs an undici 7 Agent as the process-wide dispatcher
 * when none is set yet, and Node's fetch would then run on it (other error shapes, other timeouts). Imported just
 * before alipay-sdk: touching a fetch global makes Node install its own dispatcher first, which undici 7 leaves be.
 */
export const DISPATCHER_KEY = Symbol.for('undici.globalDispatcher.1');

// A lazy global: reading it loads Node's bundled undici, which sets its dispatcher if none is set.
void globalThis.Headers;

/** Node's own dispatcher, as it stood before alipay-sdk loaded. */
export const DISPATCHER_BEFORE: unknown = (globalThis as Record<symbol, unknown>)[DISPATCHER_KEY];
