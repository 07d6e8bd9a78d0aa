import { pathToFileURL } from 'node:url';
import { loadApps } from './apps';
import { type Gateway, type GatewayOptions, createGateway } from './handler';
import { listen } from './http/listen';
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
  const listener = await listen((request) => gateway.handle(request), {
    port,
    host,
    maxBodyBytes: MAX_BODY_BYTES,
    ...(gatewayOptions.log === undefined ? {} : { log: gatewayOptions.log }),
  });
  return {
    url: listener.url,
    port: listener.port,
    gateway,
    async close() {
      await gateway.close();
      await listener.close();
    },
  };
}

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
  const running = await startGateway(options);
  const shown = (options.publicUrl ?? running.url).replace(/\/+$/, '');
  console.log(`spay-button gateway listening on ${running.url}`);
  console.log(`sandbox: ${shown}/sandbox`);
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
