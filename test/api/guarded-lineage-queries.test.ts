import { describe, expect, it } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import type { LineageQueries } from '../../src/ports/lineage-queries.js';
import { GuardedLineageQueries } from '../../src/api/guarded-lineage-queries.js';

const policies = new PolicyIndex(
  parsePolicyFile('policies:\n  - { id: p, classifications: [x], severity: low, allowed: [{ countries: [US] }] }\n'),
);

function setup(graphAvailable: () => boolean) {
  const inner = new InMemoryLineageGraph(policies).queries;
  const gates: Array<() => void> = [];
  // Reports that wait until the test lets them finish: questions in flight, as a slow database would keep them.
  const slow: LineageQueries = Object.assign(Object.create(inner) as LineageQueries, {
    report: () =>
      new Promise<Awaited<ReturnType<LineageQueries['report']>>>((resolve) => gates.push(() => void inner.report().then(resolve))),
  });
  const queries = new GuardedLineageQueries(slow, { graphAvailable, heavyConcurrency: 1, heavyQueue: 1 });
  const app = createHttpApp({
    health: { consumerJoined: () => true, graphAvailable },
    metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
    api: { queries, tokens: [], limits: { maxDepth: 10, maxNodes: 100, maxEdges: 100 } },
    webRoot: null,
  });
  return { app, gates };
}

describe('bounded questions (issue 16, findings 7 and 8)', () => {
  it('answers heavy questions beyond the pool and its queue with 503 and Retry-After, and the others once the pool frees', async () => {
    const { app, gates } = setup(() => true);
    const first = app.request('/api/v1/report');
    const second = app.request('/api/v1/report');
    await expect.poll(() => gates.length).toBe(1);
    const third = await app.request('/api/v1/report');
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('2');
    expect(((await third.json()) as { error: string }).error).toMatch(/^busy: 1 heavy questions running and 1 waiting/);
    gates.shift()!();
    expect((await first).status).toBe(200);
    await expect.poll(() => gates.length).toBe(1);
    gates.shift()!();
    expect((await second).status).toBe(200);
  });

  it('answers 503 at once while the graph is known to be away, without asking it', async () => {
    const { app, gates } = setup(() => false);
    const response = await app.request('/api/v1/report');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(gates).toHaveLength(0);
    expect((await app.request('/api/v1/alerts')).status).toBe(503);
  });
});
