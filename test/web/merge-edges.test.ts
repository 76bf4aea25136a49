import { describe, expect, it } from 'vitest';
import { describeMergedEdge, edgeLabel, mergeEdges } from '../../src/web/merge-edges.js';

const edge = (eventId: string, from: string, to: string, eventTime: string, operation: 'copy' | 'derive' = 'copy') => ({
  eventId,
  from,
  to,
  operation,
  eventTime,
});

describe('mergeEdges (issue 15, item 2: one edge per pair of nodes, not per event)', () => {
  it('merges repeated movements between the same two nodes by the same operation, with count, first and last time', () => {
    const nightly = Array.from({ length: 58 }, (_, i) =>
      edge(`n${i}`, 'a', 'b', `2026-10-${String((i % 28) + 1).padStart(2, '0')}T01:00:00Z`),
    );
    const merged = mergeEdges([
      ...nightly,
      edge('d1', 'a', 'b', '2026-11-01T00:00:00Z', 'derive'),
      edge('x', 'b', 'c', '2026-11-02T00:00:00Z'),
    ]);
    expect(merged.map((m) => [m.from, m.to, m.operation, m.count])).toEqual([
      ['a', 'b', 'copy', 58],
      ['a', 'b', 'derive', 1],
      ['b', 'c', 'copy', 1],
    ]);
    expect(merged[0]).toMatchObject({ first: '2026-10-01T01:00:00Z', last: '2026-10-28T01:00:00Z' });
    expect(merged[0]?.eventIds).toHaveLength(58);
    expect(merged.map(edgeLabel)).toEqual(['copy ×58', 'derive', 'copy']);
    expect(describeMergedEdge(merged[0]!, (id) => id.toUpperCase())).toBe(
      '58 copy movements from A to B: first 2026-10-01T01:00:00Z, last 2026-10-28T01:00:00Z',
    );
  });
});
