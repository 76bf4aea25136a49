import { describe, expect, it } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';

const policies = new PolicyIndex(
  parsePolicyFile(
    'policies:\n  - { id: us-residency, classifications: [us-user-data], severity: critical, allowed: [{ countries: [US] }] }\n  - { id: eu-residency, classifications: [eu-personal-data], severity: high, allowed: [{ countries: [DE] }] }\n',
  ),
);
const app = createHttpApp({
  health: { consumerJoined: () => true, graphAvailable: () => true },
  metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
  api: {
    queries: new InMemoryLineageGraph(policies).queries,
    policies: policies.policies,
    tokens: [],
    limits: { maxDepth: 10, maxNodes: 100, maxEdges: 100 },
  },
  webRoot: null,
});

describe('filters that name nothing the tracker loaded (issue 15, item 6)', () => {
  it.each([
    [
      '/api/v1/alerts?policyId=us-residencyy',
      'policyId: no policy "us-residencyy" in the loaded policy file; known: us-residency, eu-residency',
    ],
    ['/api/v1/report?policyId=nope', 'policyId: no policy "nope" in the loaded policy file; known: us-residency, eu-residency'],
    [
      '/api/v1/residency?classification=us-userdata',
      'classification: no policy protects the label "us-userdata" in the loaded policy file; known: eu-personal-data, us-user-data',
    ],
  ])('answers 400 to %s, listing the known values', async (path, error) => {
    const response = await app.request(path);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error });
  });

  it.each([
    '/api/v1/residency?classification=us-user-data&asOf=yesterday',
    '/api/v1/residency/places?classification=us-user-data&asOf=2026-13-01T00:00:00Z',
    '/api/v1/lineage?namespace=pg://x&name=y&asOf=2026-11-22',
  ])('answers 400 to an as-of time that is not RFC 3339 (%s), naming the parameter', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'asOf: must be an RFC 3339 time, e.g. 2026-11-22T10:00:00Z', parameter: 'asOf' });
  });

  it('answers known ones as before', async () => {
    expect((await app.request('/api/v1/alerts?policyId=us-residency')).status).toBe(200);
    expect((await app.request('/api/v1/residency?classification=us-user-data')).status).toBe(200);
  });
});
