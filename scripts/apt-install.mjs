// Installs Debian packages with apt-get, for the test runner's own needs (Chromium, snippet runtimes).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let updated = false;

/** True when this process may install packages: root, with apt-get on the machine. */
export function canAptInstall() {
  return process.getuid?.() === 0 && ['/usr/bin/apt-get', '/bin/apt-get'].some((path) => existsSync(path));
}

/**
 * Runs `apt-get install -y` for `packages`, refreshing the package lists once per process; throws on
 * failure. `recommends` keeps Debian's recommended packages (Chromium's fonts, for one).
 */
export function aptInstall(packages, { recommends = false } = {}) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'inherit', 'inherit'], env });
    updated = true;
  }
  const flags = recommends ? ['-y', '-qq'] : ['-y', '-qq', '--no-install-recommends'];
  execFileSync('apt-get', ['install', ...flags, ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
