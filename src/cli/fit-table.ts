import { stripVTControlCharacters } from 'node:util';

const visible = (cell: string) => stripVTControlCharacters(cell).length;
const cut = (cell: string, room: number) => (visible(cell) <= room ? cell : `${cell.slice(0, Math.max(1, room - 1))}…`);

/**
 * The width a table should fit: the terminal's, when the output is one and `--wide` was not given;
 * otherwise none (a pipe or a file gets every character, for scripts and for `less -S`).
 */
export function tableWidth(wide: boolean | undefined, stream: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  return wide || !stream.isTTY ? undefined : stream.columns;
}

/** How to fit a table: which columns may be cut, and which may be left out (first listed, first left out) when cutting is not enough. */
export interface FitColumns {
  flexible: readonly string[];
  optional?: readonly string[];
  /** No flexible column is cut below this many characters. */
  minimum?: number;
}

/**
 * Fits a cli-table3 table of these rows into `width` characters (borders and padding included): cuts
 * the flexible columns' cells with an ellipsis, widest first, and when that is not enough leaves out
 * optional columns. Without a width, everything is kept.
 */
export function fitTable(
  head: string[],
  rows: string[][],
  width: number | undefined,
  columns: FitColumns,
): { head: string[]; rows: string[][] } {
  if (width === undefined) return { head, rows };
  const minimum = columns.minimum ?? 10;
  let keep = head.map((_, i) => i);
  const measure = (i: number) => rows.reduce((widest, r) => Math.max(widest, visible(r[i] ?? '')), visible(head[i] ?? ''));
  const isFlexible = (i: number) => columns.flexible.includes(head[i] ?? '');
  const least = (kept: number[]) =>
    kept.reduce((sum, i) => sum + (isFlexible(i) ? Math.min(minimum, measure(i)) : measure(i)), 3 * kept.length + 1);
  for (const name of columns.optional ?? []) {
    if (least(keep) <= width) break;
    keep = keep.filter((i) => head[i] !== name);
  }
  const widths = new Map(keep.map((i) => [i, measure(i)]));
  let over = [...widths.values()].reduce((a, b) => a + b, 3 * keep.length + 1) - width;
  while (over > 0) {
    const candidates = keep.filter((i) => isFlexible(i) && (widths.get(i) ?? 0) > minimum);
    const widest = candidates.sort((a, b) => (widths.get(b) ?? 0) - (widths.get(a) ?? 0))[0];
    if (widest === undefined) break;
    const next = candidates.slice(1).reduce((most, i) => Math.max(most, widths.get(i) ?? 0), minimum);
    const step = Math.min(over, Math.max(1, (widths.get(widest) ?? 0) - next));
    widths.set(widest, (widths.get(widest) ?? 0) - step);
    over -= step;
  }
  return {
    head: keep.map((i) => head[i] ?? ''),
    rows: rows.map((r) => keep.map((i) => (isFlexible(i) ? cut(r[i] ?? '', widths.get(i) ?? 0) : (r[i] ?? '')))),
  };
}
