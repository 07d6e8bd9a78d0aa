import { summarize } from './stats';

/** How a figure's numbers are printed. */
export type Unit = 'bytes' | 'ms' | 'req/s' | 'ratio' | 'KB' | 'count' | 'B/bill' | 'B/cycle';

/** One line of the results table: a figure with one value per run, or one deterministic value. */
export interface Row {
  section: string;
  figure: string;
  unit: Unit;
  values: number[];
  /** True for figures that do not vary between runs (bytes): the spread column shows a dash. */
  exact?: boolean;
}

/** A rendered table: its header and its cells, ready for text or markdown. */
export interface Table {
  header: string[];
  cells: string[][];
}

const GROUP = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Formats one number in a unit: bytes and counts grouped, ms with one or two decimals, ratios as ×. */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'bytes':
      return `${GROUP.format(value)} B`;
    case 'B/bill':
    case 'B/cycle':
      return `${GROUP.format(value)} ${unit}`;
    case 'KB':
      return `${(value / 1024).toFixed(1)} KB`;
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
    case 'req/s':
      return `${GROUP.format(value)} req/s`;
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'count':
      return Number.isInteger(value) ? GROUP.format(value) : value.toFixed(1);
  }
}

function formatBare(value: number, unit: Unit): string {
  return formatValue(value, unit).replace(/ (B|ms|req\/s|KB|B\/bill|B\/cycle)$/, '');
}

/** Turns rows into cells: section, figure, median, spread (min–max over the runs) and run count. */
export function buildTable(rows: readonly Row[]): Table {
  const header = ['section', 'figure', 'median', 'spread (min–max)', 'runs'];
  let lastSection = '';
  const cells = rows.map((row) => {
    const summary = summarize(row.values);
    const section = row.section === lastSection ? '' : row.section;
    lastSection = row.section;
    const spread =
      row.exact || summary.runs < 2 ? '—' : `${formatBare(summary.min, row.unit)}–${formatValue(summary.max, row.unit)}`;
    return [section, row.figure, formatValue(summary.median, row.unit), spread, row.exact ? '—' : String(summary.runs)];
  });
  return { header, cells };
}

const RIGHT_ALIGNED = new Set([2, 3, 4]);

/** The table as aligned plain text. */
export function renderText(table: Table): string {
  const widths = table.header.map((title, column) => Math.max(width(title), ...table.cells.map((row) => width(row[column] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (RIGHT_ALIGNED.has(column) ? pad(cell, widths[column] as number, 'left') : pad(cell, widths[column] as number, 'right')))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(table.header), rule, ...table.cells.map(line)].join('\n');
}

/** The table as GitHub markdown. */
export function renderMarkdown(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const align = table.header.map((_, column) => (RIGHT_ALIGNED.has(column) ? '---:' : ':---'));
  return [table.header, align, ...table.cells].map((row) => `| ${row.map(escape).join(' | ')} |`).join('\n');
}

// Monospace width: CJK and the × sign's neighbours are all single width in the strings used here.
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, side: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return side === 'left' ? fill + text : text + fill;
}
