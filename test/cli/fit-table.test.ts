import { stripVTControlCharacters } from 'node:util';
import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { fitTable, tableWidth } from '../../src/cli/fit-table.js';

const head = ['status', 'policy', 'severity', 'node', 'where', 'path', 'detected'];
const rows = Array.from({ length: 5 }, (_, i) => [
  '\u001b[31mopen\u001b[39m',
  'us-user-data-residency',
  'critical',
  `s3://tt-backup-sg-${i} nightly/profiles-with-a-very-long-partition-name/part-0000${i}.parquet`,
  'aws ap-southeast-1 (SG)',
  'signup-events → … 2 more … → users → nightly/profiles-with-a-very-long-partition-name/part.parquet',
  '2026-12-02T07:30:00Z',
]);
const columns = { flexible: ['policy', 'node', 'where', 'path'], optional: ['detected', 'severity'] };
const render = (fitted: { head: string[]; rows: string[][] }) => {
  const t = new Table({ head: fitted.head, style: { head: [], border: [] } });
  t.push(...fitted.rows);
  return t.toString().split('\n').map(stripVTControlCharacters);
};

describe('tables fit the terminal', () => {
  it.each([80, 120])('cuts the flexible columns so that every line fits %i columns', (width) => {
    const unfitted = render({ head, rows });
    expect(Math.max(...unfitted.map((l) => l.length))).toBeGreaterThan(200); // the case the issue found: 300+ columns
    const fitted = fitTable(head, rows, width, columns);
    const lines = render(fitted);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
    expect(lines.join('\n')).toContain('…'); // cut, and says so
    expect(lines.join('\n')).toContain('open'); // fixed columns keep their text
    if (width === 120)
      expect(fitted.head).toEqual(head); // room for every column
    else expect(fitted.head).toEqual(head.filter((h) => h !== 'detected')); // the first optional column goes first
  });

  it('leaves a table that fits, a pipe and --wide alone', () => {
    expect(fitTable(head, rows, undefined, columns)).toEqual({ head, rows });
    expect(fitTable(['a'], [['short']], 80, { flexible: ['a'] })).toEqual({ head: ['a'], rows: [['short']] });
    expect(tableWidth(false, { isTTY: true, columns: 80 })).toBe(80);
    expect(tableWidth(true, { isTTY: true, columns: 80 })).toBeUndefined();
    expect(tableWidth(false, { isTTY: false })).toBeUndefined();
  });
});
