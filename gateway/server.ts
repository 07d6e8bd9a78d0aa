import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadApps } from './apps';
import { JOURNAL_FILE } from './stores/journal/journal-store';
import { openPostgresStore } from './stores/postgres/postgres-store';
import { type Gateway, type GatewayOptions, createGateway } from './handler';
import { type Listener, listenForAnswers } from './http/listen';
import { MAX_BODY_BYTES } from './http/read-json-body';

/** A running gateway: its URL and port, the gateway itself, and close(). */
export interface RunningGateway {
  url: string;
  port: number;
  gateway: Gateway;
  close(): Promise<void>;
}

/** The port `tsx gateway/server.ts` listens on unless GATEWAY_PORT says otherwise. */
export const DEFAULT_PORT = 8787;

/** Starts a gateway on node:http; binds 127.0.0.1 unless `host` says otherwise, on `port` (0 = a free port). */
export async function startGateway(options: GatewayOptions & { port?: number; host?: string }): Promise<RunningGateway> {
  const { port = 0, host = '127.0.0.1', ...gatewayOptions } = options;
  const gateway = createGateway(gatewayOptions);
  let listener: Listener;
  try {
    listener = await listenForAnswers((request) => gateway.serve(request), {
      port,
      host,
      maxBodyBytes: MAX_BODY_BYTES,
      ...(gatewayOptions.log === undefined ? {} : { log: gatewayOptions.log }),
    });
  } catch (error) {
    // A port in use must not leave the journal open and webhooks resumed in a gateway nobody can reach.
    await gateway.close();
    throw error;
  }
  return {
    url: listener.url,
    port: listener.port,
    gateway,
    async close() {
      // Requests stop first, so that none writes to a bill journal the gateway has closed.
      await listener.close();
      await gateway.close();
    },
  };
}

/**
 * `tsx gateway/server.ts`: starts the gateway from the environment and prints its URL (`listening on <url>`).
 * GATEWAY_PORT (default 8787, 0 = a free port), GATEWAY_HOST (default 127.0.0.1), SPAY_APPS (apps JSON file;
 * default the demo app, with SPAY_DEMO_WEBHOOK_URL), SPAY_PUBLIC_URL (base URL in answers),
 * SPAY_WEBHOOK_BACKOFF_MS (first webhook retry delay), SPAY_DATA_DIR (directory for the bill journal
 * bills.jsonl, so that bills and pending webhooks survive a restart; without it bills live in memory), SPAY_DATABASE_URL
 * (PostgreSQL, for several gateways; with SPAY_DATABASE_POOL_SIZE, SPAY_DATABASE_STATEMENT_TIMEOUT_MS and
 * SPAY_DATABASE_CONNECT_TIMEOUT_MS), SPAY_WEBHOOK_TIMEOUT_MS (how long a webhook attempt waits).
 * Stops on SIGINT/SIGTERM; exits 1 with the reason on a malformed variable or a corrupt journal.
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = env.GATEWAY_PORT === undefined || env.GATEWAY_PORT === '' ? DEFAULT_PORT : Number(env.GATEWAY_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`GATEWAY_PORT must be a port number 0-65535 (got ${JSON.stringify(env.GATEWAY_PORT)})`);
  const backoff = env.SPAY_WEBHOOK_BACKOFF_MS;
  const webhookBackoffMs = backoff === undefined || backoff === '' ? undefined : Number(backoff);
  if (webhookBackoffMs !== undefined && !(Number.isFinite(webhookBackoffMs) && webhookBackoffMs > 0)) {
    throw new Error(`SPAY_WEBHOOK_BACKOFF_MS must be a positive number of milliseconds (got ${JSON.stringify(backoff)})`);
  }
  const options: Parameters<typeof startGateway>[0] = { apps: loadApps(env), port, host: env.GATEWAY_HOST || '127.0.0.1' };
  if (webhookBackoffMs !== undefined) options.webhookBackoffMs = webhookBackoffMs;
  if (env.SPAY_PUBLIC_URL) options.publicUrl = env.SPAY_PUBLIC_URL;
  if (env.SPAY_WEBHOOK_TIMEOUT_MS) options.webhookTimeoutMs = positiveMs(env, 'SPAY_WEBHOOK_TIMEOUT_MS');
  if (env.SPAY_DATA_DIR && env.SPAY_DATABASE_URL) {
    throw new Error('SPAY_DATA_DIR and SPAY_DATABASE_URL are both set: choose one store (the journal for one gateway, PostgreSQL for several)');
  }
  if (env.SPAY_DATA_DIR) options.dataDir = resolve(env.SPAY_DATA_DIR);
  if (env.SPAY_DATABASE_URL) {
    const log = (line: string): void => void process.stdout.write(`${line}\n`);
    options.store = await openPostgresStore(env.SPAY_DATABASE_URL, {
      log,
      ...(env.SPAY_DATABASE_POOL_SIZE ? { poolSize: positiveMs(env, 'SPAY_DATABASE_POOL_SIZE') } : {}),
      ...(env.SPAY_DATABASE_STATEMENT_TIMEOUT_MS ? { statementTimeoutMs: positiveMs(env, 'SPAY_DATABASE_STATEMENT_TIMEOUT_MS') } : {}),
      ...(env.SPAY_DATABASE_CONNECT_TIMEOUT_MS ? { connectTimeoutMs: positiveMs(env, 'SPAY_DATABASE_CONNECT_TIMEOUT_MS') } : {}),
    });
  }
  const running = await startGateway(options);
  const shown = (options.publicUrl ?? running.url).replace(/\/+$/, '');
  console.log(`spay-button gateway listening on ${running.url}`);
  console.log(`sandbox: ${shown}/sandbox`);
  console.log(
    options.store !== undefined
      ? `bills: ${options.store.description}`
      : options.dataDir === undefined
        ? 'bills: in memory, lost when the gateway stops (set SPAY_DATA_DIR or SPAY_DATABASE_URL to keep them)'
        : `bills: ${join(options.dataDir, JOURNAL_FILE)}`,
  );
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`gateway: ${(error as Error).message}`);
    process.exit(1);
  });
}

/** A positive whole number from the environment, or an Error naming the variable. */
function positiveMs(env: Record<string, string | undefined>, name: string): number {
  const value = Number(env[name]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got ${JSON.stringify(env[name])})`);
  return value;
}
