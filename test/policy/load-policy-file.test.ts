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
      'p.yaml:8: policies[1].colour: unknown field',
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
