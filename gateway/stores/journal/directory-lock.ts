import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The lock file's name inside a data directory. */
export const LOCK_FILE = 'gateway.lock';

// The locks this process holds, so that its own pid in a lock file tells a live store from one left by a crash.
const HELD = new Set<string>();

/**
 * Takes the data directory for this process: creates `gateway.lock` holding the process id, or throws when a
 * living process holds it, since two gateways appending to one journal would each lose the other's bills. A lock
 * left by a process that died (a crash, a SIGKILL) is taken over. Returns the function that releases it.
 */
export function lockDirectory(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      HELD.add(path);
      return () => {
        if (!HELD.delete(path)) return;
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = Number.parseInt(readText(path), 10);
    const ours = holder === process.pid;
    if (Number.isSafeInteger(holder) && holder > 0 && (ours ? HELD.has(path) : isAlive(holder))) {
      throw new Error(
        `the data directory ${dir} is in use by gateway process ${holder} (${path}); one gateway per data directory: stop it, or run several gateways on SPAY_DATABASE_URL`,
      );
    }
    // The holder is gone: its lock is stale.
    rmSync(path, { force: true });
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
