/** Formats fen as "¥12.34"; integer arithmetic, since fen / 100 in floating point can round the last digit wrong. */
export function formatYuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
