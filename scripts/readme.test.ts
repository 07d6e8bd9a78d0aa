import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHANNEL_KEYS, CHANNELS } from '../src/core/channels';
import { ERROR_CODES } from '../src/core/errors';
import { CLICK_DATA_FIELDS } from '../src/core/validate';
import { EVENT_CALLBACKS, OUTCOME_STATUSES } from '../src/types';

// README is the merchant's reference: its tables must list exactly what the code does.
const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');

/** The first-column `code` cells of the table under `heading`. */
function firstColumn(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThan(-1);
  const lines = readme.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  return lines
    .slice(first + 2, end)
    .filter((line) => line.startsWith('| `'))
    .map((line) => /^\| `([^`]+)`/.exec(line)?.[1] as string);
}

describe('README', () => {
  it.each([
    ['### `data`', CLICK_DATA_FIELDS],
    ['### `event` callbacks', EVENT_CALLBACKS],
    ['### Errors', ERROR_CODES],
    ['### The Promise', OUTCOME_STATUSES],
    ['## Channels', CHANNEL_KEYS],
  ] as const)('lists under "%s" exactly what the code defines', (heading, names) => {
    expect(firstColumn(heading)).toEqual([...names]);
  });

  it('gives each channel its label and REST codes from the channel table', () => {
    for (const key of CHANNEL_KEYS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`)) as string;
      const spec = CHANNELS[key];
      expect(row).toContain(`| ${spec.label} |`);
      for (const rest of [spec.pc, spec.mobile]) if (rest) expect(row).toContain(rest);
    }
  });

  it('names the test command that CI runs, and the demo command that package.json defines', () => {
    const ci = readFileSync(`${root}.ci/run`, 'utf8');
    const scripts = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts as Record<string, string>;
    expect(readme).toContain('npm test ');
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toContain('npm run demo ');
    expect(scripts.demo).toContain('demo/server.ts');
  });

  it('links only files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?:docs|examples|demo|LICENSE)[^)#]*)\)/g)].map((match) => match[1] as string);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(`${root}${link}`), link).toBe(true);
  });
});
