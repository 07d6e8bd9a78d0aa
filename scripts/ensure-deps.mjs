// Installs the project's npm dependencies (exactly as package-lock.json pins them) when they are
// missing, so `npm run demo` and `npm test` work on a fresh clone as the first command.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs `npm ci` once when node_modules has not been installed yet. */
export function ensureDeps() {
  if (existsSync(`${root}node_modules/.package-lock.json`) && existsSync(`${root}node_modules/.bin/tsx`)) return;
  console.log('Installing dependencies (npm ci)...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) ensureDeps();
