import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { borderline } from '../support/run-borderline.js';

describe('borderline policy check', () => {
  it('validates the example policy and summarises what each policy allows', async () => {
    const result = await borderline('policy', 'check', 'examples/policy.yaml');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('examples/policy.yaml: valid');
    expect(result.stdout).toContain(
      'us-user-data-residency  [critical]  protects us-user-data\n  allowed: oci: us-ashburn-1, us-phoenix-1',
    );
    expect(result.stdout).toMatch(
      /allowed: any provider in BE \(gcp 1, azure 1\), DE \(aws 1, gcp 2, azure 2, oci 2\), .*; \d+ more countries have no catalogued region/,
    );
    expect(result.stdout).toContain('  s3://tt-backup-sg -> aws ap-southeast-1');
  });

  it('exits 2 and names the line, field and rule of an invalid file', async () => {
    const path = join(tmpdir(), `bad-policy-${process.pid}.yaml`);
    writeFileSync(path, 'policies:\n  - id: p\n    classifications: []\n    severity: low\n    allowed: [{ countries: [US] }]\n');
    const result = await borderline('policy', 'check', path);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${path}:3: policies[0].classifications: a policy protects at least one classification`);
  });
});
