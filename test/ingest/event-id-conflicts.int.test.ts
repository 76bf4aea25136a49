import { afterAll, describe, expect, it } from 'vitest';
import { readAlerts } from '../support/alerts-reader.js';
import { countEvents, query, waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic, readTopic, waitUntilConsumed } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

let tracker: TrackerProcess | undefined;
afterAll(async () => {
  await tracker?.kill('SIGTERM');
});

describe('event id conflicts on Neo4j (issue 16, finding 6)', () => {
  it('keeps the first version of an event id and dead-letters a different event under it, with the reason, counted', async () => {
    const run = uniqueName('conflict');
    const events = await createTestTopic(`${run}-events`, 1);
    tracker = await TrackerProcess.startForRun(run, events);
    const { alerts, stop } = await readAlerts(`${run}-alerts`);
    const copy = (id: string, to: string, region: string) => ({
      specVersion: '1.0',
      eventId: id,
      eventTime: '2026-11-22T10:00:00Z',
      operation: 'copy',
      inputs: [{ namespace: `pg://${run}`, name: 'profiles', region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] }],
      outputs: [{ namespace: `pg://${run}`, name: to, region, provider: 'oci' }],
    });
    await produceRaw(events, [{ key: run, value: JSON.stringify(copy(`${run}-1`, 'replica', 'us-phoenix-1')) }]);
    await waitFor(
      'the first version written',
      () => countEvents(`${run}-`),
      (n) => n === 1,
    );
    // The same id for a copy abroad (a producer bug), then a real leak after it.
    await produceRaw(events, [
      { key: run, value: JSON.stringify(copy(`${run}-1`, 'abroad', 'ap-singapore-1')) },
      { key: run, value: JSON.stringify(copy(`${run}-2`, 'leak', 'ap-singapore-1')) },
    ]);
    await waitFor(
      'the leak alert',
      () => Promise.resolve(alerts.length),
      (n) => n >= 1,
    );
    await waitUntilConsumed(`${run}-group`, events);
    const [dead] = await readTopic(`${run}-dlq`, 1);
    expect(dead?.headers['x-dlq-reason']).toBe(
      `eventId ${run}-1 was already used for a different event: a redelivery must be identical (docs/contract.md §2); the first version stands`,
    );
    expect(alerts.map((a) => [a.node.kind === 'dataset' ? a.node.name : '', a.eventIds])).toEqual([['leak', [`${run}-2`]]]);
    const flows = await query<{ to: string }>('MATCH (:Dataset)-[r:FLOWS_TO {eventId: $id}]->(d) RETURN d.name AS to', { id: `${run}-1` });
    expect(flows).toEqual([{ to: 'replica' }]);
    expect(await tracker.metrics()).toMatch(/^borderline_event_id_conflicts_total 1$/m);
    await stop();
  }, 120_000);
});
