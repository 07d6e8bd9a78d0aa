import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './receiver';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A gateway process as the test sees it: its URL, everything it printed, and its exit. */
export interface GatewayProcess {
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ChildProcess;
}

const children: ChildProcess[] = [];

/** Spawns `gateway/server.ts` with `env` and returns it as soon as it exits or prints its store (`bills: …`). */
export function spawnGateway(env: Record<string, string>): { child: ChildProcess; output(): string; exited: GatewayProcess['exited'] } {
  // Node loads tsx as a hook rather than through the tsx command, which runs the script in a second process that a
  // SIGKILL to the first would orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, GATEWAY_PORT: '0', GATEWAY_HOST: '', SPAY_PUBLIC_URL: '', SPAY_DEMO_WEBHOOK_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/** Starts a gateway process and waits until it listens; throws with its output when it does not start. */
export async function startGatewayProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<GatewayProcess> {
  const started = spawnGateway(env);
  await waitFor(() => /^bills: /m.test(started.output()) || started.child.exitCode !== null, timeoutMs);
  const url = /listening on (http:\/\/\S+)/.exec(started.output())?.[1];
  if (url === undefined) throw new Error(`the gateway did not start:\n${started.output()}`);
  return { url, ...started };
}

/** SIGKILLs every gateway process a test started that still runs; call it in afterEach. */
export function stopGatewayProcesses(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
