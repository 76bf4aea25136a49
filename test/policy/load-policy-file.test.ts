import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicyFile, PolicyFileError } from '../../src/policy/load-policy-file.js';

const problemsOf = (yaml: string): string[] => {
  try {
    parsePolicyFile(yaml, 'p.yaml');
  } catch (error) {
    if (error instanceof PolicyFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
};

describe('the policy file', () => {
  it('loads the example policy with defaults filled in', () => {
    const file = loadPolicyFile(fileURLToPath(new URL('../../examples/policy.yaml', import.meta.url)));
    expect(file.policies.map((p) => p.id)).toEqual(['us-user-data-residency', 'eu-personal-data-residency']);
    expect(file.policies[0]?.allowed).toEqual([{ provider: 'oci', regions: ['us-ashburn-1', 'us-phoenix-1'] }]);
    expect(file.clockSkewToleranceMs).toBe(1000);
    expect(file.stores.map((s) => s.namespace)).toEqual([
      's3://tt-backup-sg',
      'postgres://legacy-va-*',
      'mysql://payments-us*',
      'postgres://users-db:5432',
    ]);
    expect(file.classify).toEqual([
      { namespace: 'mysql://payments-us*', name: 'billing.*', classifications: ['us-user-data'] },
      { namespace: 'postgres://users-db:5432', name: 'users.public.profiles', classifications: ['us-user-data'] },
    ]);
  });

  it('defaults stores to none and the skew tolerance to 1000 ms', () => {
    const file = parsePolicyFile('policies:\n  - id: p\n    classifications: [x]\n    severity: low\n    allowed: [{ countries: [US] }]\n');
    expect(file).toMatchObject({ stores: [], classify: [], clockSkewToleranceMs: 1000 });
  });

  it('names the line, the field and the rule of each problem', () => {
    const yaml = [
      'policies:',
      '  - id: us',
      '    classifications: [us-user-data]',
      '    severity: urgent',
      '    allowed:',
      '      - countries: [usa]',
      '      - {}',
      '  - id: us',
      '    classifications: [x]',
      '    severity: low',
      '    allowed: [{ provider: aws }]',
      '    colour: red',
    ].join('\n');
    expect(problemsOf(yaml)).toEqual([
      'p.yaml:4: policies[0].severity: Invalid option: expected one of "critical"|"high"|"medium"|"low"',
      'p.yaml:6: policies[0].allowed[0].countries[0]: expected an ISO 3166-1 alpha-2 country code such as US or DE',
      'p.yaml:7: policies[0].allowed[1]: an allowed entry needs provider, regions or countries (an empty entry would allow everything)',
      'p.yaml:12: policies[1].colour: unknown field', // the key's own line, not its list item's (issue 15)
    ]);
  });

  it('rejects duplicate policy ids', () => {
    const yaml =
      'policies:\n  - { id: a, classifications: [x], severity: low, allowed: [{ provider: aws }] }\n  - { id: a, classifications: [y], severity: low, allowed: [{ provider: aws }] }\n';
    expect(problemsOf(yaml)).toEqual(['p.yaml:3: policies[1].id: duplicate policy id "a"']);
  });

  it('rejects a store prefix with a * anywhere but the end', () => {
    const yaml =
      'policies:\n  - { id: a, classifications: [x], severity: low, allowed: [{ provider: aws }] }\nstores:\n  - { namespace: "s3://*-backup", region: us-east-1 }\n';
    expect(problemsOf(yaml)).toEqual(['p.yaml:4: stores[0].namespace: only a trailing * is allowed']);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problemsOf('policies:\n  - id: [unclosed\n')[0]).toMatch(/^p\.yaml:\d+: not valid YAML: /);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadPolicyFile('/nonexistent/policy.yaml')).toThrow(
      /invalid policy file \/nonexistent\/policy\.yaml:\n {2}cannot read: ENOENT/,
    );
  });
});

describe('the policy file: typos fail loudly (issue 15)', () => {
  it('rejects a region the catalog does not know, an unknown provider or country, naming the line and the nearest known values', () => {
    const yaml = [
      'policies:',
      '  - id: us',
      '    classifications: [us-user-data]',
      '    severity: critical',
      '    allowed:',
      '      - provider: oci',
      '        regions: [us-ashburn-1, us-phonix-1]',
      '      - provider: oracle',
      '      - countries: [US, XX, UK]',
      'stores:',
      '  - { namespace: "s3://x", provider: aws, region: ap-southeast-9 }',
      '  - { namespace: "dc://virginia", provider: onprem, region: dc-va-2 }',
    ].join('\n');
    const problems = problemsOf(yaml);
    expect(problems[0]).toMatch(
      /^p\.yaml:7: policies\[0\]\.allowed\[0\]\.regions\[1\]: unknown region "us-phonix-1" for oci; the nearest known: us-phoenix-1, /,
    );
    expect(problems.slice(1, 4)).toEqual([
      'p.yaml:8: policies[0].allowed[1].provider: unknown provider "oracle"; known: aws, azure, gcp, oci (or onprem for your own data centres, whose regions are not checked)',
      'p.yaml:9: policies[0].allowed[2].countries[1]: XX is not an ISO 3166-1 alpha-2 country code (e.g. US, DE, GB)',
      'p.yaml:9: policies[0].allowed[2].countries[2]: UK: the ISO code of the United Kingdom is GB',
    ]);
    expect(problems[4]).toMatch(
      /^p\.yaml:11: stores\[0\]\.region: unknown region "ap-southeast-9" for aws; the nearest known: ap-southeast-1/,
    );
    expect(problems).toHaveLength(5); // onprem regions are yours: not checked
  });
});

describe('waivers in the policy file (docs/contract.md §12)', () => {
  const NOW = Date.parse('2026-12-01T10:00:00Z');
  const file = (waiver: string) => `policies:
  - { id: us, classifications: [us-user-data], severity: critical, allowed: [{ countries: [US] }] }
waivers:
  - policyId: us
${waiver}
`;
  const problems = (text: string, expired: 'reject' | 'ignore' = 'reject') => {
    try {
      parsePolicyFile(text, 'p.yaml', { now: NOW, expired });
      return [];
    } catch (error) {
      return (error as PolicyFileError).problems;
    }
  };
  const complete = `    namespace: "s3://bk-sg*"
    justification: migration
    approvedBy: security@example.com`;

  it('accepts a complete waiver, a date or an instant', () => {
    expect(problems(file(`${complete}\n    until: "2027-01-31"`))).toEqual([]);
    expect(problems(file(`${complete}\n    until: "2027-01-31T12:00:00Z"`))).toEqual([]);
    expect(problems(file(`    service: admin-console\n    justification: j\n    approvedBy: a\n    until: "2027-01-31"`))).toEqual([]);
  });

  it('rejects a waiver without justification, approver or expiry, naming the line', () => {
    expect(problems(file(`    namespace: "s3://x"\n    approvedBy: a\n    until: "2027-01-31"`))).toEqual([
      expect.stringMatching(/^p\.yaml:4: waivers\[0\]\.justification: required/),
    ]);
    expect(problems(file(`    namespace: "s3://x"\n    justification: "  "\n    until: "2027-01-31"`))).toEqual([
      expect.stringMatching(/^p\.yaml:\d: waivers\[0\]\.(approvedBy: required|justification: a waiver needs a justification)/),
      expect.stringMatching(/waivers\[0\]\.(approvedBy: required|justification: a waiver needs a justification)/),
    ]);
    expect(problems(file(complete))).toEqual([expect.stringMatching(/waivers\[0\]\.until: /)]);
    expect(problems(file(`${complete}\n    until: "next month"`))).toEqual([
      expect.stringContaining('waivers[0].until: expected a date (2027-01-31) or an RFC 3339 instant'),
    ]);
  });

  it('rejects an expiry in the past (policy check) or more than 366 days ahead, at the line of until', () => {
    expect(problems(file(`${complete}\n    until: "2026-11-30"`))).toEqual([
      'p.yaml:8: waivers[0].until: expired: 2026-11-30 is in the past (remove the waiver, or renew it after review)',
    ]);
    expect(problems(file(`${complete}\n    until: "2026-11-30"`), 'ignore')).toEqual([]); // a running tracker ignores it
    expect(problems(file(`${complete}\n    until: "2027-12-03"`), 'ignore')).toEqual([
      expect.stringMatching(/^p\.yaml:8: waivers\[0\]\.until: too far ahead: 2027-12-03 is more than 366 days from now \(2026-12-01\)/),
    ]);
  });

  it('rejects a waiver of an unknown policy, or one naming both a namespace and a service', () => {
    expect(problems(file(`${complete}\n    until: "2027-01-31"`).replace('policyId: us', 'policyId: uss'))).toEqual([
      'p.yaml:4: waivers[0].policyId: no policy "uss" in this file; known: us',
    ]);
    expect(problems(file(`${complete}\n    service: console\n    until: "2027-01-31"`))).toEqual([
      expect.stringContaining('a waiver names either namespace (datasets, with an optional name) or service (an actor), not both'),
    ]);
  });
});
