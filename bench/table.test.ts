import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args';
import { latencyPercentiles, percentile, summarize } from './stats';
import { buildTable, formatValue, renderMarkdown, renderText } from './table';

describe('bench statistics', () => {
  it.each([
    [[5], 50, 5],
    [[1, 2, 3, 4], 50, 2.5],
    [[10, 0, 5], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
  ])('percentile(%j, %i) is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('summarizes runs as median, min and max', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(latencyPercentiles([1, 2, 3, 100]).max).toBe(100);
  });
});

describe('bench table', () => {
  it.each([
    [44733, 'bytes', '44,733 B'],
    [4.567, 'ms', '4.57 ms'],
    [123.45, 'ms', '123.5 ms'],
    [2396.4, 'req/s', '2,396 req/s'],
    [0.2149, 'ratio', '0.21×'],
    [150_630, 'KB', '147.1 KB'],
    [-3, 'count', '-3'],
    [Number.NaN, 'ms', 'n/a'],
  ] as const)('formats %d %s as %s', (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });

  it('prints one section name per group, a dash for exact figures, and min–max for the rest', () => {
    const table = buildTable([
      { section: 'bundle', figure: 'raw', unit: 'bytes', values: [100], exact: true },
      { section: 'browser', figure: 'ready', unit: 'ms', values: [3, 1, 2] },
      { section: 'browser', figure: 'eval', unit: 'ms', values: [0.5, 0.7, 0.6] },
    ]);
    expect(table.cells).toEqual([
      ['bundle', 'raw', '100 B', '—', '—'],
      ['browser', 'ready', '2.00 ms', '1.00–3.00 ms', '3'],
      ['', 'eval', '0.60 ms', '0.50–0.70 ms', '3'],
    ]);
    const lines = renderText(table).split('\n');
    expect(new Set(lines.slice(0, 2).map((line) => line.length)).size).toBe(1);
    expect(renderMarkdown(table).split('\n')[1]).toBe('| :--- | :--- | ---: | ---: | ---: |');
  });
});

describe('bench arguments', () => {
  it.each([
    [[], { runs: 7, quick: false, throughputRequests: 5_000, mixedRequests: 10_000, modalCycles: 1_000 }],
    [['--quick'], { runs: 3, quick: true, throughputRequests: 1_000 }],
    [['--runs', '5'], { runs: 5 }],
    [['--quick', '--runs=9'], { runs: 9, quick: true }],
    [['--no-build'], { build: false }],
  ])('reads %j', (argv, expected) => {
    expect(parseBenchArgs(argv)).toMatchObject(expected);
  });

  it.each([[['--runs', '0']], [['--runs', 'x']], [['--fast']]])('refuses %j', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(/--runs must be|unknown argument/);
  });
});
