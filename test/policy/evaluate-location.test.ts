import { describe, expect, it } from 'vitest';
import { evaluateLocation } from '../../src/policy/evaluate-location.js';
import type { Policy } from '../../src/policy/policy-file.js';
import { countryOfRegion } from '../../src/policy/region-catalog.js';
import { createStoreCatalog } from '../../src/policy/store-catalog.js';

const usOnOci: Policy = {
  id: 'us',
  classifications: ['us-user-data'],
  severity: 'critical',
  allowed: [{ provider: 'oci', regions: ['us-ashburn-1', 'us-phoenix-1'] }],
};
const inUs: Policy = { id: 'us-any', classifications: ['us-user-data'], severity: 'high', allowed: [{ countries: ['US'] }] };
const at = (provider: string | null, region: string | null) => ({ provider, region });

describe('the region catalog', () => {
  it.each([
    ['aws', 'us-east-1', 'US'],
    ['aws', 'ap-southeast-1', 'SG'],
    ['aws', 'eu-central-1', 'DE'],
    ['aws', 'cn-north-1', 'CN'],
    ['gcp', 'us-central1', 'US'],
    ['gcp', 'europe-west3', 'DE'],
    ['gcp', 'asia-southeast1', 'SG'],
    ['azure', 'eastus', 'US'],
    ['azure', 'westeurope', 'NL'],
    ['azure', 'southeastasia', 'SG'],
    ['oci', 'us-ashburn-1', 'US'],
    ['oci', 'us-phoenix-1', 'US'],
    ['oci', 'eu-frankfurt-1', 'DE'],
    ['oci', 'ap-singapore-1', 'SG'],
  ])('places %s %s in %s', (provider, region, country) => {
    expect(countryOfRegion(region, provider)).toBe(country);
    expect(countryOfRegion(region.toUpperCase())).toBe(country);
  });

  it('places nothing it does not know, and nothing under the wrong provider', () => {
    expect(countryOfRegion('mars-north-1')).toBeUndefined();
    expect(countryOfRegion('us-east-1', 'gcp')).toBeUndefined();
  });
});

describe('evaluateLocation', () => {
  it('allows the trusted provider in a listed region, comparing codes case-insensitively', () => {
    expect(evaluateLocation(usOnOci, at('oci', 'us-ashburn-1'))).toEqual({ allowed: true });
    expect(evaluateLocation(usOnOci, at('OCI', 'US-Phoenix-1'))).toEqual({ allowed: true });
  });

  it('rejects another provider or region as unapproved', () => {
    expect(evaluateLocation(usOnOci, at('aws', 'us-east-1'))).toEqual({ allowed: false, reason: 'unapproved-location' });
    expect(evaluateLocation(usOnOci, at('oci', 'ap-singapore-1'))).toEqual({ allowed: false, reason: 'unapproved-location' });
    expect(evaluateLocation(usOnOci, at(null, 'us-ashburn-1'))).toEqual({ allowed: false, reason: 'unapproved-location' });
  });

  it('places regions in countries through the catalog', () => {
    expect(evaluateLocation(inUs, at('aws', 'us-east-1'))).toEqual({ allowed: true });
    expect(evaluateLocation(inUs, at('gcp', 'us-central1'))).toEqual({ allowed: true });
    expect(evaluateLocation(inUs, at('aws', 'ap-southeast-1'))).toEqual({ allowed: false, reason: 'unapproved-location' });
  });

  it('fails closed: an unknown region, or one the catalog cannot place, is unknown-location', () => {
    expect(evaluateLocation(usOnOci, at('oci', null))).toEqual({ allowed: false, reason: 'unknown-location' });
    expect(evaluateLocation(inUs, at(null, 'dc-virginia-legacy'))).toEqual({ allowed: false, reason: 'unknown-location' });
  });
});

describe('createStoreCatalog', () => {
  const lookup = createStoreCatalog([
    { namespace: 's3://tt-backup-*', provider: 'aws', region: 'AP-Southeast-1' },
    { namespace: 's3://tt-backup-us', provider: 'aws', region: 'us-east-1' },
    { namespace: 's3://*', region: 'eu-west-1' },
  ]);

  it('prefers an exact namespace, then the longest prefix', () => {
    expect(lookup('s3://tt-backup-us')).toEqual({ provider: 'aws', region: 'us-east-1' });
    expect(lookup('s3://tt-backup-sg')).toEqual({ provider: 'aws', region: 'ap-southeast-1' });
    expect(lookup('s3://other')).toEqual({ provider: null, region: 'eu-west-1' });
    expect(lookup('postgres://db')).toBeUndefined();
  });

  it('gives the same answer when asked again (answers are remembered), and past 10,000 namespaces still answers', () => {
    expect(lookup('s3://tt-backup-sg')).toEqual({ provider: 'aws', region: 'ap-southeast-1' });
    expect(lookup('postgres://db')).toBeUndefined();
    for (let i = 0; i < 10_010; i++) lookup(`gs://bucket-${i}`);
    expect(lookup('s3://tt-backup-late')).toEqual({ provider: 'aws', region: 'ap-southeast-1' });
    expect(lookup('s3://late')).toEqual({ provider: null, region: 'eu-west-1' });
  });
});
