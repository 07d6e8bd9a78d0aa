import { pathToFileURL } from 'node:url';
import { DEMO_APP, loadApps } from '../gateway/apps';
import { listen } from '../gateway/http/listen';
import { startGateway } from '../gateway/server';
import { createMerchant } from './merchant';

export interface DemoOptions {
  /** Merchant site port; 0 picks a free one. */
  port?: number;
  gatewayPort?: number;
  host?: string;
  webhookBackoffMs?: number;
  log?: (line: string) => void;
}

/** Both halves of the demo running: the gateway (sandbox) and the merchant site wired to it. */
export interface RunningDemo {
  merchantUrl: string;
  gatewayUrl: string;
  merchant: ReturnType<typeof createMerchant>;
  gateway: Awaited<ReturnType<typeof startGateway>>;
  close(): Promise<void>;
}

/**
 * Starts the merchant first (its port is the webhook address), then the gateway with the demo
 * app pointed at it. Everything binds to 127.0.0.1 unless told otherwise.
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  let gatewayUrl = '';
  const merchant = createMerchant({ app: DEMO_APP, gatewayUrl: () => gatewayUrl, log: options.log });
  const site = await listen(merchant.handle, { port: options.port ?? 0, host, log: options.log });
  const gateway = await startGateway({
    apps: [{ ...DEMO_APP, webhookUrl: `${site.url}/webhook` }],
    port: options.gatewayPort ?? 0,
    host,
    webhookBackoffMs: options.webhookBackoffMs,
    log: options.log,
  });
  gatewayUrl = gateway.url;
  return {
    merchantUrl: site.url,
    gatewayUrl,
    merchant,
    gateway,
    async close() {
      await gateway.close();
      await site.close();
    },
  };
}

async function main(): Promise<void> {
  loadApps(process.env); // fail early on a broken SPAY_APPS, even though the demo uses the demo app
  const demo = await startDemo({
    port: Number(process.env.DEMO_PORT ?? 8080),
    gatewayPort: Number(process.env.GATEWAY_PORT ?? 8787),
    host: process.env.DEMO_HOST ?? '127.0.0.1',
    webhookBackoffMs: process.env.SPAY_WEBHOOK_BACKOFF_MS ? Number(process.env.SPAY_WEBHOOK_BACKOFF_MS) : undefined,
  });
  console.log(`\n  Merchant (demo shop):  ${demo.merchantUrl}/`);
  console.log(`  Order list:            ${demo.merchantUrl}/orders`);
  console.log(`  Gateway (sandbox):     ${demo.gatewayUrl}/sandbox\n`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
