import { describe, expect, it } from 'vitest';
import { BorderlineError } from '../../src/errors/borderline-error.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import type { LineageQueries } from '../../src/ports/lineage-queries.js';

const failing = (error: Error): LineageQueries => {
  const fail = () => Promise.reject(error);
  return {
    alerts: fail,
    alert: fail,
    lineage: fail,
    residency: fail,
    residencyPlaces: fail,
    paths: fail,
    node: fail,
    report: fail,
    searchDatasets: fail,
  };
};

const appWith = (queries: LineageQueries, logged: unknown[] = []) =>
  createHttpApp({
    health: { consumerJoined: () => true, graphAvailable: () => true },
    metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
    api: { queries, tokens: [], limits: { maxDepth: 10, maxNodes: 100, maxEdges: 100 } },
    logger: { error: (o: unknown) => logged.push(o), warn: (o: unknown) => logged.push(o) } as never,
    webRoot: null,
  });

describe('HTTP error handling', () => {
  it('answers 500 with a reference and no internals, and logs the details under that reference', async () => {
    const logged: Array<{ reference?: string; err?: string }> = [];
    const response = await appWith(failing(new Error('Neo.ClientError.Statement.SyntaxError at line 3: MATCH (secret)')), logged).request(
      '/api/v1/alerts',
    );
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string };
    expect(body.error).not.toContain('Neo');
    expect(body.error).not.toContain('secret');
    const reference = /reference ([0-9a-f-]{36})/.exec(body.error)?.[1];
    expect(reference).toBeDefined();
    expect(logged[0]).toMatchObject({ reference, err: expect.stringContaining('SyntaxError') as unknown });
  });

  it('answers 503 while the graph is unavailable', async () => {
    const response = await appWith(failing(new BorderlineError('Neo4j query failed: connection refused', { retriable: true }))).request(
      '/api/v1/residency?classification=x',
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'the lineage graph is unavailable; try again shortly' });
  });

  it('tells that the page is not built instead of a blank 404', async () => {
    const response = await appWith(failing(new Error('unused'))).request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  it('sends security headers on the page and the API: CSP, no framing, no sniffing', async () => {
    for (const path of ['/', '/api/v1/alerts', '/healthz']) {
      const response = await appWith(failing(new Error('unused'))).request(path);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});

describe('GET /healthz', () => {
  it('answers 503 naming Kafka while the brokers do not answer, and 200 once they do', async () => {
    let reachable = false;
    const app = createHttpApp({
      health: { consumerJoined: () => true, graphAvailable: () => true, kafkaReachable: () => reachable },
      metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
      webRoot: null,
    });
    const down = await app.request('/healthz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', consumer: 'joined', graph: 'connected', kafka: 'unreachable' });
    reachable = true;
    expect((await app.request('/healthz')).status).toBe(200);
  });
});
