import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgres } from '../../scripts/find-postgres.mjs';

/** A PostgreSQL server of the tests' own: its admin URL, and stop(), which also removes its files. */
export interface PostgresCluster {
  url: string;
  port: number;
  /** Stops the server with SIGKILL, as a crash or a pulled cable would (for outage tests); start() brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const PASSWORD = 'spay-test-password';

/** A free TCP port on 127.0.0.1, as the system hands out. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Creates a throwaway cluster (initdb into a temporary directory, as the `postgres` or `nobody` user when this
 * process is root, since PostgreSQL refuses to run as root) and starts it on a free port of 127.0.0.1 with
 * password authentication. Returns undefined when PostgreSQL's programs are not on this machine.
 */
export async function startPostgresCluster(): Promise<PostgresCluster | undefined> {
  const bin = findPostgres();
  if (bin === null) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'spay-pg-'));
  const data = join(dir, 'data');
  const user = process.getuid?.() === 0 ? runAsUser() : undefined;
  if (user !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const run = (program: string, args: string[]) =>
    execFileSync(join(bin, program), args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } });
  const passwordFile = join(dir, 'password');
  execFileSync('sh', ['-c', `umask 077; printf '%s' "$0" > "$1"`, PASSWORD, passwordFile]);
  if (user !== undefined) chownSync(passwordFile, user.uid, user.gid);
  run('initdb', ['-D', data, '-U', 'spay', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  let server: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    server = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'max_connections=200'],
      { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) },
    );
    let output = '';
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = new pg.Client({ connectionString: urlFor(port, 'postgres'), connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the test PostgreSQL did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const kill = async (): Promise<void> => {
    const running = server;
    server = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
  };

  await start();
  return {
    url: urlFor(port, 'postgres'),
    port,
    kill,
    start,
    async stop() {
      const running = server;
      server = undefined;
      if (running !== undefined && running.exitCode === null) {
        await new Promise((resolve) => {
          running.once('exit', resolve);
          // SIGINT: PostgreSQL's fast shutdown.
          running.kill('SIGINT');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The URL of database `database` on the tests' cluster at `port`. */
export function urlFor(port: number, database: string): string {
  return `postgres://spay:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}`;
}

let databases = 0;

/** A new, empty database on the cluster at `adminUrl`; drop() removes it. */
export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  databases += 1;
  const name = `spay_${process.pid}_${databases}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const port = Number(new URL(adminUrl).port);
  return {
    url: urlFor(port, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function runAsUser(): { uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && uid > 0) return { uid, gid };
    } catch {
      // no such user; try the next
    }
  }
  throw new Error('PostgreSQL will not run as root, and neither a postgres nor a nobody user exists to run it');
}
