import { describe, expect, it } from 'vitest';
import { decodeOpenLineageValue } from '../../src/adapters/openlineage/openlineage-decoder.js';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import { BorderlineError } from '../../src/errors/borderline-error.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import type { LineageQueries } from '../../src/ports/lineage-queries.js';
import { airflowStart } from '../adapters/openlineage/openlineage-fixtures.js';

const token = 'alice-token-0123456789';
const unused = () => Promise.reject(new Error('unused'));
const queries: LineageQueries = {
  alerts: unused,
  alert: unused,
  lineage: unused,
  residency: unused,
  residencyPlaces: unused,
  paths: unused,
  node: unused,
  report: unused,
  searchDatasets: unused,
};

function appWith(publisher: InMemoryMessagePublisher, options: { tokens?: string[]; timeoutMs?: number } = {}) {
  const intake = {
    topic: 'openlineage.events',
    publisher,
    check: (v: unknown) => decodeOpenLineageValue(v, { maskableLabels: [] }),
    maxBytes: 10_000,
    timeoutMs: options.timeoutMs ?? 1_000,
  };
  return createHttpApp({
    health: { consumerJoined: () => true, graphAvailable: () => true },
    metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
    api: {
      queries,
      tokens: (options.tokens ?? []).map((t, i) => ({ name: `token-${i + 1}`, token: t })),
      limits: { maxDepth: 10, maxNodes: 100, maxEdges: 100 },
      intake,
    },
    webRoot: null,
  });
}

const post = (app: ReturnType<typeof appWith>, body: string, headers: Record<string, string> = {}) =>
  app.request('/api/v1/lineage', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('POST /api/v1/lineage (Marquez-compatible, docs/contract.md §8)', () => {
  it('produces the event as it came, keyed by its run id, and answers 201', async () => {
    const publisher = new InMemoryMessagePublisher();
    const body = JSON.stringify(airflowStart);
    const response = await post(appWith(publisher), body);
    expect(response.status).toBe(201);
    expect(publisher.sent).toEqual([{ topic: 'openlineage.events', key: airflowStart.run.runId, value: Buffer.from(body), headers: {} }]);
  });

  it('answers 401 without a valid token when tokens are configured, and 201 with one', async () => {
    const publisher = new InMemoryMessagePublisher();
    const app = appWith(publisher, { tokens: [token] });
    expect((await post(app, JSON.stringify(airflowStart))).status).toBe(401);
    expect((await post(app, JSON.stringify(airflowStart), { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await post(app, JSON.stringify(airflowStart), { authorization: `Bearer ${token}` })).status).toBe(201);
    expect(publisher.sent).toHaveLength(1);
  });

  it('answers 400 naming the problem for JSON that is not an OpenLineage event, 413 over the size limit', async () => {
    const publisher = new InMemoryMessagePublisher();
    const app = appWith(publisher);
    expect(await (await post(app, '{"nope": 1}')).json()).toEqual({
      error: expect.stringMatching(/^read as OpenLineage: \(event\): not a RunEvent/) as unknown,
    });
    expect((await post(app, '{oops')).status).toBe(400);
    expect((await post(app, JSON.stringify({ ...airflowStart, pad: 'x'.repeat(20_000) }))).status).toBe(413);
    expect(publisher.sent).toEqual([]);
  });

  it('answers 503 with Retry-After when Kafka refuses the event or does not acknowledge it in time', async () => {
    const refusing = new InMemoryMessagePublisher();
    refusing.failWith = new BorderlineError('broker away', { retriable: true });
    const refused = await post(appWith(refusing), JSON.stringify(airflowStart));
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '5']);
    const hanging = new InMemoryMessagePublisher();
    hanging.send = () => new Promise(() => undefined);
    expect((await post(appWith(hanging, { timeoutMs: 50 }), JSON.stringify(airflowStart))).status).toBe(503);
  });
});
