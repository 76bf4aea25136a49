import { describe, expect, it } from 'vitest';
import { compareSearchMatches, searchRank } from '../../src/search/search-datasets.js';

const rank = (datasets: Array<[string, string]>, text: string) =>
  datasets
    .map(([namespace, name]) => ({ namespace, name, rank: searchRank(namespace, name, text) }))
    .filter((m): m is { namespace: string; name: string; rank: number } => m.rank !== undefined)
    .sort(compareSearchMatches)
    .map((m) => `${m.namespace} ${m.name}`);

describe('ranked dataset search (issue 15, item 3)', () => {
  const estate: Array<[string, string]> = [
    ['postgres://users-db', 'public.profiles'],
    ['postgres://users-replica', 'public.profiles'],
    ['s3://tt-backup-sg', 'nightly/profiles'],
    ['s3://tt-backup-sg', 'nightly/profiles-2026-11-01'],
    ['s3://analytics', 'profiles'],
    ['bigquery', 'billing.invoices'],
  ];

  it('finds a dataset typed as the page shows it ("namespace name"), and by its namespace', () => {
    expect(rank(estate, 'postgres://users-db public.profiles')).toEqual(['postgres://users-db public.profiles']);
    expect(rank(estate, 'postgres://users-db')).toEqual(['postgres://users-db public.profiles']);
    expect(rank(estate, 'USERS public')).toEqual(['postgres://users-db public.profiles', 'postgres://users-replica public.profiles']);
  });

  it('ranks the exact name first, then names starting with the text, then names holding it, shorter first', () => {
    expect(rank(estate, 'profiles')).toEqual([
      's3://analytics profiles', // the whole name
      'postgres://users-db public.profiles', // holds the word, shorter names first, then by namespace
      'postgres://users-replica public.profiles',
      's3://tt-backup-sg nightly/profiles',
      's3://tt-backup-sg nightly/profiles-2026-11-01',
    ]);
    expect(rank(estate, 'nightly')).toEqual(['s3://tt-backup-sg nightly/profiles', 's3://tt-backup-sg nightly/profiles-2026-11-01']);
    expect(rank(estate, 'bill')[0]).toBe('bigquery billing.invoices');
  });

  it('matches every dataset for an empty text, and none when a word is missing', () => {
    expect(rank(estate, '')).toHaveLength(estate.length);
    expect(rank(estate, 'profiles oracle')).toEqual([]);
  });
});
