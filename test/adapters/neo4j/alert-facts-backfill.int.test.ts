import { describe, expect, it } from 'vitest';
import { Neo4jGraphStore } from '../../../src/adapters/neo4j/neo4j-graph-store.js';
import { Neo4jLineageQueries } from '../../../src/adapters/neo4j/neo4j-lineage-queries.js';
import type { Alert } from '../../../src/policy/alert.js';
import { parsePolicyFile } from '../../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../../src/policy/policy-index.js';
import { query, testDriver } from '../../support/graph-queries.js';
import { uniqueName } from '../../support/infra-endpoints.js';

describe('alerts recorded before the lists could be filtered', () => {
  it('get their filter facts when the store starts, and are then found by region and text', async () => {
    const run = uniqueName('backfill');
    const alert: Alert = {
      schemaVersion: '1',
      alertId: `${run}-alert`,
      status: 'open',
      policyId: `${run}-policy`,
      severity: 'critical',
      reason: 'unapproved-location',
      classifications: ['us-user-data'],
      node: { kind: 'dataset', namespace: `s3://${run}`, name: 'nightly', provider: 'aws', region: 'ap-southeast-1' },
      path: [{ kind: 'dataset', namespace: `s3://${run}`, name: 'nightly', provider: 'aws', region: 'ap-southeast-1' }],
      eventIds: [],
      traceIds: [],
      occurredAt: '2026-11-22T10:00:00.000Z',
      detectedAt: '2026-11-22T10:00:01.000Z',
    };
    // As an earlier version wrote it: no filter facts.
    await query(
      `CREATE (:Alert {alertId: $id, policyId: $policyId, severity: 'critical', status: 'open', classifications: ['us-user-data'],
         payload: $payload, detectedAt: $detectedAt, remediatedAt: null, nodeId: 'none'})`,
      { id: alert.alertId, policyId: alert.policyId, payload: JSON.stringify(alert), detectedAt: alert.detectedAt },
    );
    const policies = new PolicyIndex(
      parsePolicyFile(`policies:\n  - { id: p, classifications: [us-user-data], severity: low, allowed: [{ countries: [US] }] }\n`),
    );
    const queries = new Neo4jLineageQueries(testDriver, undefined, policies);
    const before = await queries.alerts({ offset: 0, limit: 10, q: run, region: 'ap-southeast-1' });
    expect(before.total).toBe(0); // invisible to the filter until it has facts

    await new Neo4jGraphStore(testDriver, undefined, policies).ensureSchema();
    const after = await queries.alerts({
      offset: 0,
      limit: 10,
      q: `${run} nightly`,
      region: 'AP-SOUTHEAST-1',
      namespace: [`s3://${run}*`],
    });
    expect(after).toMatchObject({ total: 1, counts: { open: 1, remediated: 0 } });
    expect(after.alerts[0]).toEqual(alert);
  });
});
