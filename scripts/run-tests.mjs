// `npm test`: finds (or installs) Chromium and PostgreSQL, builds, type-checks, runs the unit suites (Vitest) and
// the browser suites (Playwright), then prints one closing line with the totals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';
import { findChromium } from './find-chromium.mjs';
import { findPostgres } from './find-postgres.mjs';
import { ensureSnippetRuntimes } from './snippet-runtimes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Not test-results/: Playwright empties that folder when it starts.
const results = `${root}reports/`;
const bin = (name) => `${root}node_modules/.bin/${name}`;

function run(label, command, args, env = {}) {
  console.log(`\n== ${label}`);
  const child = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return child.status === 0;
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

ensureDeps();
const chromium = findChromium({ install: true });
if (!chromium) {
  console.error('No Chromium available for the browser tests.');
  process.exit(1);
}
// The store tests start a PostgreSQL of their own from Debian's server programs; without them those tests are skipped.
if (!findPostgres({ install: true })) console.log('PostgreSQL is not available: the PostgreSQL store tests are skipped');
// The README's signing snippets are run in their own languages; install what Debian provides.
const runtimes = ensureSnippetRuntimes({ install: true });
const missing = Object.entries(runtimes).filter(([, path]) => !path).map(([language]) => language);
if (missing.length) console.log(`signing snippets without a runtime (their tests are skipped): ${missing.join(', ')}`);
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

if (!run('build', bin('tsx'), ['scripts/build.ts'])) process.exit(1);
const tsc = (project) => run(`typecheck ${project}`, process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', project]);
const typesOk = tsc('tsconfig.json') && tsc('examples/tsconfig.json');
const unitOk = run('unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}unit.json`]);
const e2eOk = run('browser tests (playwright, Chromium)', bin('playwright'), ['test'], {
  CHROMIUM_PATH: chromium,
  PLAYWRIGHT_JSON_OUTPUT_FILE: `${results}e2e.json`,
});

const unit = readJson(`${results}unit.json`);
const e2e = readJson(`${results}e2e.json`);
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0) + (e2e?.stats?.flaky ?? 0);
let failed = (unit?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0);
const skipped = (unit?.numPendingTests ?? 0) + (unit?.numTodoTests ?? 0) + (e2e?.stats?.skipped ?? 0);
if (!typesOk) console.log('typecheck failed');
if ((!unitOk || !e2eOk || !typesOk) && failed === 0) failed = 1;
console.log(`\nunit ${unit?.numPassedTests ?? 0}/${unit?.numTotalTests ?? 0}, browser ${e2e?.stats?.expected ?? 0}/${(e2e?.stats?.expected ?? 0) + (e2e?.stats?.unexpected ?? 0) + (e2e?.stats?.flaky ?? 0)}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && unitOk && e2eOk && typesOk ? 0 : 1);
