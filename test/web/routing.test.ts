import { describe, expect, it } from 'vitest';
import { asOfOfInput, hashOf, inputOfAsOf, placeOfHash, type Place } from '../../src/web/routing.js';
import { nextOption, searchResults } from '../../src/web/search-results.js';

describe("the page's addresses", () => {
  it.each<[string, Place]>([
    ['an alert', { alert: 'al/1 ü' }],
    ['a dataset', { dataset: { kind: 'dataset', namespace: 'postgres://users-db:5432', name: 'public.profiles' } }],
    ['a reader', { actor: { service: 'admin-console', region: 'eu-west-2' } }],
  ])('reads back %s from its address', (_what, place) => {
    expect(placeOfHash(hashOf(place))).toEqual(place);
  });

  it('names nothing for an address of another kind, with parts missing, or badly encoded', () => {
    for (const hash of ['', '#/', '#/report', '#/alert/', '#/dataset/only-one', '#/actor/a/b/c', '#/alert/%E0%A4%A'])
      expect(placeOfHash(hash), hash).toBeUndefined();
  });

  it('reads the as-of control as UTC and writes an address instant back into it', () => {
    expect(asOfOfInput('2026-11-22T10:00:05')).toBe('2026-11-22T10:00:05.000Z');
    expect([asOfOfInput(''), asOfOfInput('yesterday')]).toEqual([undefined, undefined]);
    expect(inputOfAsOf('2026-11-22T12:00:05+02:00')).toBe('2026-11-22T10:00:05');
    expect([inputOfAsOf(null), inputOfAsOf('soon')]).toEqual(['', '']);
  });
});

describe("the page's search results", () => {
  const ds = (name: string) => ({ kind: 'dataset' as const, namespace: 'pg://x', name });

  it('replaces the results with a first page and adds a later page, saying how many are left', () => {
    const first = searchResults([ds('old')], 0, { datasets: [ds('a'), ds('b')], total: 5, truncated: true });
    expect([first.datasets.map((d) => d.name), first.summary, first.more]).toEqual([
      ['a', 'b'],
      '2 of 5 datasets',
      'more results (3 left)',
    ]);
    const next = searchResults(first.datasets, 2, { datasets: [ds('c'), ds('d'), ds('e')], total: 5, truncated: false });
    expect([next.datasets.map((d) => d.name), next.summary, next.more]).toEqual([['a', 'b', 'c', 'd', 'e'], '5 of 5 datasets', undefined]);
    expect(searchResults([], 0, { datasets: [], total: 0, truncated: false }).summary).toBe('no dataset matches');
  });

  it('moves through the options with the arrow keys: down stops at the last, up from the first returns to the text box', () => {
    expect([
      nextOption(-1, 3, 'ArrowDown'),
      nextOption(2, 3, 'ArrowDown'),
      nextOption(0, 3, 'ArrowUp'),
      nextOption(-1, 3, 'ArrowUp'),
    ]).toEqual([0, 2, -1, -1]);
  });
});
