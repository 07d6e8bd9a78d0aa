import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RESULT_CODES } from '../result-codes';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The rows of the table under `heading`, as cells. */
function rows(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThan(-1);
  const lines = readme.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  return lines.slice(first + 2, end).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

describe('README: the server API', () => {
  it('gives each REST result code the number and name the gateway answers with', () => {
    const table = rows('### REST result codes');
    expect(table.length).toBeGreaterThan(10);
    for (const [code, name] of table) {
      const entry = RESULT_CODES[name as keyof typeof RESULT_CODES];
      expect(entry, `${name} is a result code`).toBeDefined();
      expect(`\`${entry.code}\``).toBe(code);
    }
    for (const name of ['NO_SUCH_BILL', 'BILL_UNSUCCESS', 'ALREADY_REFUNDING', 'REFUND_AMOUNT_TOO_LARGE', 'NO_SUCH_REFUND']) {
      expect(table.map(([, listed]) => listed)).toContain(name);
    }
  });

  it('lists the nine REST paths', () => {
    const paths = rows('## The server API (BeeCloud REST v2)').map(([path]) => path);
    expect(paths).toEqual([
      '`/2/rest/bill`', '`/2/rest/bill/{id}`', '`/2/rest/bills`', '`/2/rest/bills/count`', '`/2/rest/refund`',
      '`/2/rest/refund/{id}`', '`/2/rest/refunds`', '`/2/rest/refunds/count`', '`/2/rest/refund/status`',
    ]);
  });
});
