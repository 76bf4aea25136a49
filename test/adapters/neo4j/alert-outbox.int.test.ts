import { afterAll, describe, expect, it } from 'vitest';
import { Neo4jGraphStore } from '../../../src/adapters/neo4j/neo4j-graph-store.js';
import { testNeo4jUri, uniqueName } from '../../support/infra-endpoints.js';
import { testDriver } from '../../support/graph-queries.js';

const store = Neo4jGraphStore.fromConfig({ uri: testNeo4jUri, user: 'neo4j', password: '' });

afterAll(async () => {
  await store.close();
});

describe('the alert outbox in Neo4j', () => {
  it('gives each pending alert to exactly one of many concurrent claimers, and publishes nothing twice', async () => {
    await store.ensureSchema();
    const run = uniqueName('outbox');
    const ids = Array.from({ length: 40 }, (_, i) => `${run}-${i}`);
    const payload = (alertId: string) => JSON.stringify({ schemaVersion: '1', alertId, status: 'open', policyId: 'p', severity: 'low', reason: 'unknown-location', classifications: ['x'], node: { kind: 'actor', service: 's', region: 'r' }, path: [{ kind: 'actor', service: 's', region: 'r' }], eventIds: [], traceIds: [], occurredAt: '2026-11-22T10:00:00Z', detectedAt: '2026-11-22T10:00:00Z' });
    await testDriver.executeQuery(
      'UNWIND $rows AS r CREATE (:Alert {alertId: r.id, payload: r.payload, classifications: ["x"], status: "open", openPending: true, remediatedPending: false})',
      { rows: ids.map((id) => ({ id, payload: payload(id) })) },
    );
    for (let round = 0; round < 3; round += 1) {
      const claims = await Promise.all(Array.from({ length: 8 }, (_, c) => store.claimPendingAlerts(`claimant-${round}-${c}`, ids)));
      const claimed = claims.flatMap((list) => list.map((p) => p.alertId));
      expect(claimed.length, `round ${round}: an alert was claimed twice`).toBe(new Set(claimed).size);
      if (round === 0) expect(new Set(claimed).size).toBe(ids.length);
      else expect(claimed).toEqual([]); // still under lease: nobody else gets them
    }
    await testDriver.executeQuery('MATCH (al:Alert) WHERE al.alertId STARTS WITH $run DELETE al', { run });
  });
});
