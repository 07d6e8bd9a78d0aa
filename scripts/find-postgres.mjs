// Finds PostgreSQL's server programs (initdb, pg_ctl, postgres) for the store tests: $PG_BIN, or Debian's
// /usr/lib/postgresql/<version>/bin, which it installs with apt-get (package postgresql) when root and missing.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall, canAptInstall } from './apt-install.mjs';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];

function hasPrograms(dir) {
  return PROGRAMS.every((name) => existsSync(join(dir, name)));
}

function debianBin() {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(DEBIAN_ROOT, version, 'bin');
    if (hasPrograms(dir)) return dir;
  }
  return null;
}

/** The directory holding initdb, pg_ctl and postgres, or null when none can be found (or, with install, installed). */
export function findPostgres({ install = false, log = console.log } = {}) {
  if (process.env.PG_BIN && hasPrograms(process.env.PG_BIN)) return process.env.PG_BIN;
  const found = debianBin();
  if (found || !install) return found;
  if (!canAptInstall()) {
    log('PostgreSQL is missing. Install it with: sudo apt-get install -y postgresql');
    return null;
  }
  log("PostgreSQL is missing; installing Debian's postgresql package (apt-get install -y postgresql)...");
  aptInstall(['postgresql']);
  return debianBin();
}
