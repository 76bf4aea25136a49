import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';

/** When the waiver tests judge waivers. */
export const NOW = Date.parse('2026-12-01T10:00:00Z');

/** US data may stay in OCI's us-ashburn-1 (policy `us`), with these `waivers:` list items (YAML), judged at NOW. */
export const usPolicyWithWaivers = (waivers: string): PolicyIndex =>
  new PolicyIndex(
    parsePolicyFile(
      `policies:
  - { id: us, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }
waivers:
${waivers}
`,
      'policy.yaml',
      { now: NOW },
    ),
  );

export const US_SOURCE = {
  namespace: 'pg://users',
  name: 'profiles',
  provider: 'oci',
  region: 'us-ashburn-1',
  classifications: ['us-user-data'],
};

/** A copy of the US source to `to`, an hour before NOW, as a producer sends it. */
export const copyFromUs = (id: string, to: object) => ({
  specVersion: '1.0',
  eventId: id,
  eventTime: '2026-12-01T09:00:00Z',
  operation: 'copy',
  inputs: [US_SOURCE],
  outputs: [to],
});
