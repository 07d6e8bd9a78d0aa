#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli, wantsStdin } from './run-cli';

async function readStdin(): Promise<string | undefined> {
  // An interactive terminal has no body to give; runCli then explains that one must be piped in.
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs spay-sign with this process's arguments, environment and stdin, and sets its exit code. */
export async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const result = await runCli(argv, process.env, wantsStdin(argv) ? await readStdin() : undefined);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    // realpath on both sides: npm runs a bin through a symlink in node_modules/.bin.
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
