import { buildPipeline } from '../../support/build-pipeline.js';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaMessagePublisher } from '../../../src/adapters/kafka/kafka-message-publisher.js';
import { Neo4jGraphStore } from '../../../src/adapters/neo4j/neo4j-graph-store.js';
import { createLogger } from '../../../src/observability/create-logger.js';
import { CountingIngestObserver } from '../../../src/adapters/memory/counting-ingest-observer.js';
import { testNeo4jUri, uniqueName } from '../../support/infra-endpoints.js';
import { testDriver, waitFor } from '../../support/graph-queries.js';
import { readAlerts } from '../../support/alerts-reader.js';
import { createTestTopic, testKafka } from '../../support/kafka-test-topics.js';

const store = Neo4jGraphStore.fromConfig({ uri: testNeo4jUri, user: 'neo4j', password: '' });

afterAll(async () => {
  await store.close();
});

describe('the alert outbox in Neo4j', () => {
  it('gives each pending alert to exactly one of many concurrent claimers, and publishes nothing twice', async () => {
    await store.ensureSchema();
    const run = uniqueName('outbox');
    const ids = Array.from({ length: 40 }, (_, i) => `${run}-${i}`);
    const outbox = `${run}-alerts`;
    const elsewhere = Array.from({ length: 5 }, (_, i) => `${run}-other-${i}`);
    await createPendingAlerts(ids, outbox);
    await createPendingAlerts(elsewhere, `${run}-another-topic`);
    for (let round = 0; round < 3; round += 1) {
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, c) =>
          store.claimPendingAlerts({ id: `claimant-${round}-${c}`, outbox }, c % 2 === 0 ? [...ids, ...elsewhere] : undefined),
        ),
      );
      const claimed = claims.flatMap((list) => list.map((p) => p.alertId));
      expect(claimed.length, `round ${round}: an alert was claimed twice`).toBe(new Set(claimed).size);
      if (round === 0)
        expect(new Set(claimed)).toEqual(new Set(ids)); // never another outbox's
      else expect(claimed).toEqual([]); // still under lease: nobody else gets them
    }
    await testDriver.executeQuery('MATCH (al:Alert) WHERE al.alertId STARTS WITH $run DELETE al', { run });
  });

  it('publishes a backlog far larger than one produce request, in rounds, every alert once', async () => {
    await store.ensureSchema();
    const run = uniqueName('backlog');
    const ids = Array.from({ length: 2_500 }, (_, i) => `${run}-${String(i).padStart(5, '0')}`);
    const topic = await createTestTopic(`${run}-alerts`, 3);
    // ~2 KB per alert: about 5 MB in all, five times what the broker takes in one batch.
    await createPendingAlerts(ids, topic, 30);
    const publisher = KafkaMessagePublisher.fromKafka(testKafka);
    const quiet = new CountingIngestObserver();
    const { outbox } = buildPipeline({
      graph: store,
      deadLetters: publisher,
      alerts: publisher,
      pipeline: {
        observer: quiet,
        logger: createLogger('error'),
        retry: { initialMs: 100, maxMs: 1_000 },
        maxEventBytes: 1_048_576,
        deadLetterTopic: `${run}-dlq`,
      },
      outbox: { alertsTopic: topic },
    });
    const reader = await readAlerts(topic);
    try {
      expect(await outbox.publishPending(ids)).toBe(ids.length);
      await waitFor(
        'every alert on the topic',
        () => Promise.resolve(reader.alerts.length),
        (n) => n >= ids.length,
        60_000,
      );
      expect(new Set(reader.alerts.map((a) => a.alertId)).size).toBe(ids.length);
      expect(await outbox.publishPending(ids)).toBe(0); // all marked published
    } finally {
      await reader.stop();
      await publisher.close();
      await testDriver.executeQuery('MATCH (al:Alert) WHERE al.alertId STARTS WITH $run DELETE al', { run });
    }
  }, 120_000);

  it('hands back to the claim holder a state another write recorded while it held the claim, and keeps it in the outbox', async () => {
    await store.ensureSchema();
    const run = uniqueName('held');
    const id = `${run}-0`;
    const outbox = `${run}-alerts`;
    const holder = { id: `${run}-holder`, outbox };
    await createPendingAlerts([id], outbox);
    expect((await store.claimPendingAlerts(holder, [id])).map((p) => p.alertId)).toEqual([id]);
    // What a write of another batch does meanwhile: it records the remediation, and the claim stops it from claiming.
    await testDriver.executeQuery('MATCH (al:Alert {alertId: $id}) SET al.remediatedPending = true, al.remediatedAt = $at', {
      id,
      at: '2026-11-22T11:00:00Z',
    });
    expect(await store.claimPendingAlerts({ id: `${run}-other`, outbox }, [id])).toEqual([]);
    expect(await store.markAlertsPublished(holder, [{ alertId: id, statuses: ['open'] }])).toEqual([id]);
    const next = await store.claimPendingAlerts(holder, [id]);
    expect(next.map((p) => p.messages.map((m) => m.status))).toEqual([['remediated']]);
    expect(await store.markAlertsPublished(holder, [{ alertId: id, statuses: ['remediated'] }])).toEqual([]);
    const { records } = await testDriver.executeQuery('MATCH (al:Alert {alertId: $id}) RETURN al.outbox AS outbox', { id });
    expect(records[0]?.get('outbox')).toBeNull();
    await testDriver.executeQuery('MATCH (al:Alert) WHERE al.alertId STARTS WITH $run DELETE al', { run });
  });
});

/** Alerts with their open state still to publish to `outbox`, as a write records them. */
async function createPendingAlerts(ids: string[], outbox: string, hops = 1): Promise<void> {
  await testDriver.executeQuery(
    'UNWIND $rows AS r CREATE (:Alert {alertId: r.id, payload: r.payload, classifications: ["x"], status: "open", openPending: true, remediatedPending: false, outbox: $outbox})',
    { rows: ids.map((id) => ({ id, payload: alertPayload(id, hops) })), outbox },
  );
}

/** An alert payload; `hops` long witness paths make it large. */
function alertPayload(alertId: string, hops = 1): string {
  const path = Array.from({ length: hops }, (_, i) => ({
    kind: 'dataset',
    namespace: 's3://a-rather-long-bucket-name-for-the-test',
    name: `warehouse/table-${i}`,
    region: 'ap-southeast-1',
    provider: 'aws',
  }));
  return JSON.stringify({
    schemaVersion: '1',
    alertId,
    status: 'open',
    policyId: 'p',
    severity: 'low',
    reason: 'unknown-location',
    classifications: ['x'],
    node: { kind: 'actor', service: 's', region: 'r' },
    path,
    eventIds: [],
    traceIds: [],
    occurredAt: '2026-11-22T10:00:00Z',
    detectedAt: '2026-11-22T10:00:00Z',
  });
}
