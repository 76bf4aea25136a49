import { describe, expect, it } from 'vitest';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';

const index = new PolicyIndex(
  parsePolicyFile(`
policies:
  - { id: us-oci, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }
  - { id: us-country, classifications: [us-user-data, us-health-data], severity: high, allowed: [{ countries: [US] }] }
stores:
  - { namespace: "s3://tt-backup-sg", provider: aws, region: ap-southeast-1 }
clockSkewToleranceMs: 250
`),
);

describe('PolicyIndex', () => {
  it('lists the protected labels and the skew tolerance', () => {
    expect(index.protectedLabels).toEqual(['us-health-data', 'us-user-data']);
    expect(index.skewMs).toBe(250);
  });

  it('locates a dataset by what events said, else by the store catalog, else nowhere', () => {
    expect(index.locate({ kind: 'dataset', namespace: 's3://tt-backup-sg', provider: 'oci', region: 'us-ashburn-1' })).toEqual({
      provider: 'oci',
      region: 'us-ashburn-1',
    });
    expect(index.locate({ kind: 'dataset', namespace: 's3://tt-backup-sg', provider: null, region: null })).toEqual({
      provider: 'aws',
      region: 'ap-southeast-1',
    });
    expect(index.locate({ kind: 'dataset', namespace: 's3://elsewhere', provider: 'aws', region: null })).toEqual({
      provider: 'aws',
      region: null,
    });
    expect(index.locate({ kind: 'actor', provider: null, region: 'cn-north-1' })).toEqual({ provider: null, region: 'cn-north-1' });
  });

  it('returns every policy that protects the label and does not allow the location, with its reason', () => {
    const inSingapore = { provider: 'aws', region: 'ap-southeast-1' };
    expect(index.violations('us-user-data', inSingapore).map((v) => [v.policy.id, v.reason])).toEqual([
      ['us-oci', 'unapproved-location'],
      ['us-country', 'unapproved-location'],
    ]);
    expect(index.violations('us-health-data', inSingapore).map((v) => v.policy.id)).toEqual(['us-country']);
    expect(index.violations('us-user-data', { provider: 'aws', region: 'us-east-1' }).map((v) => v.policy.id)).toEqual(['us-oci']);
    expect(index.violations('us-user-data', { provider: 'oci', region: null }).map((v) => v.reason)).toEqual([
      'unknown-location',
      'unknown-location',
    ]);
    expect(index.violations('internal', inSingapore)).toEqual([]);
  });
});
