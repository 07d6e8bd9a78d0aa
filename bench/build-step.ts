import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT } from './bundle-size';

/** Runs `tsx scripts/build.ts` as a child process in the repository root; resolves with its ms, rejects with its output when it fails. */
export function runBuild(): Promise<number> {
  const require = createRequire(join(ROOT, 'package.json'));
  const tsxPackage = require.resolve('tsx/package.json');
  const { bin } = require(tsxPackage) as { bin: string };
  const tsx = join(dirname(tsxPackage), bin);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, 'scripts/build.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(performance.now() - start);
      else reject(new Error(`tsx scripts/build.ts exited with code ${code}:\n${output}`));
    });
  });
}
