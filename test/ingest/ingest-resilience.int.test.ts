import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/infra-endpoints.js';
import { countEvents, query, waitFor } from '../support/graph-queries.js';
import { createTestTopic, waitUntilConsumed } from '../support/kafka-test-topics.js';
import { copyEvent, produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

const infraScript = fileURLToPath(new URL('../../deploy/local/infra.sh', import.meta.url));
const running: TrackerProcess[] = [];

async function startTracker(prefix: string, eventsTopic: string): Promise<TrackerProcess> {
  // A short session: the group hands a killed member's partitions on after 8 s instead of 30.
  const tracker = await TrackerProcess.create({
    BORDERLINE_EVENTS_TOPIC: eventsTopic,
    BORDERLINE_DLQ_TOPIC: `${prefix}-dlq`,
    BORDERLINE_ALERTS_TOPIC: `${prefix}-alerts`,
    BORDERLINE_GROUP_ID: `${prefix}-group`,
    BORDERLINE_EVENTS_PER_WRITE: '500',
    BORDERLINE_SESSION_TIMEOUT_MS: '8000',
  });
  running.push(tracker);
  tracker.start();
  return tracker;
}

function manyEvents(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    key: `k${i % 50}`,
    value: JSON.stringify(copyEvent(prefix, i, `src-${i % 200}`, `dst-${i % 1000}`)),
  }));
}

/** Every event once: as many Event nodes and FLOWS_TO relationships as events, none twice. */
async function expectEachWrittenOnce(prefix: string, count: number): Promise<void> {
  const rows = await query<{ events: number; flows: number; distinctFlows: number }>(
    `MATCH (e:Event) WHERE e.eventId STARTS WITH $prefix WITH count(e) AS events
     MATCH (:Dataset {namespace: $ns})-[r:FLOWS_TO]->() RETURN events, count(r) AS flows, count(DISTINCT r.eventId) AS distinctFlows`,
    { prefix: `${prefix}-`, ns: `pg://${prefix}` },
  );
  expect(rows).toEqual([{ events: count, flows: count, distinctFlows: count }]);
}

/** The sum of the tracker's per-partition lag gauge for `topic`. */
async function totalLag(tracker: TrackerProcess, topic: string): Promise<number> {
  const lines = (await tracker.metrics()).split('\n').filter((line) => line.startsWith(`borderline_consumer_lag{topic="${topic}"`));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.kill('SIGKILL')));
  spawnSync('bash', [infraScript, 'up', 'neo4j'], { stdio: 'inherit' }); // in case a test left it down
});

describe('ingest under failure', () => {
  it('ends with every event written exactly once after a SIGKILL mid-stream and a restart', async () => {
    const prefix = uniqueName('sigkill');
    const topic = await createTestTopic(`${prefix}-events`, 6);
    const total = 20_000;
    await produceRaw(topic, manyEvents(prefix, total));

    const first = await startTracker(prefix, topic);
    const partial = await waitFor(
      'some events written',
      () => countEvents(`${prefix}-`),
      (n) => (n ?? 0) > 2_000,
      90_000,
    );
    const killed = await first.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(partial).toBeLessThan(total);

    const second = await startTracker(prefix, topic);
    await second.waitUntilHealthy();
    await waitFor(
      'every event written',
      () => countEvents(`${prefix}-`),
      (n) => n === total,
      120_000,
    );
    // Committed to the end: every redelivery has been written by now (a batch is committed after its write).
    await waitUntilConsumed(`${prefix}-group`, topic);
    await expectEachWrittenOnce(prefix, total);
  }, 150_000);

  it('pauses while Neo4j is down, retrying the write, resumes, and loses nothing', async () => {
    const prefix = uniqueName('outage');
    const topic = await createTestTopic(`${prefix}-events`, 3);
    const tracker = await startTracker(prefix, topic);
    await tracker.waitUntilHealthy();
    const before = manyEvents(prefix, 3_000);
    await produceRaw(topic, before.slice(0, 1_000));
    await waitFor(
      'the first events written',
      () => countEvents(`${prefix}-`),
      (n) => (n ?? 0) >= 1_000,
    );

    expect(spawnSync('bash', [infraScript, 'down', 'neo4j'], { stdio: 'inherit' }).status).toBe(0);
    await produceRaw(topic, before.slice(1_000, 2_000)); // arrives while the graph is away
    await waitFor(
      'health to report the outage',
      () => tracker.health(),
      (status) => status === 503,
      30_000,
    );
    // The lag is read from the broker, so it counts what waits while the writes are stuck: all 1,000.
    await waitFor(
      'the lag to count the events waiting',
      () => totalLag(tracker, topic),
      (lag) => lag === 1_000,
      30_000,
    );
    // The outage lasts until the tracker has retried the stuck write more than once (paused, not dropped).
    await waitFor(
      'the tracker to retry the write while the graph is away',
      () => Promise.resolve(tracker.output.filter((line) => line.includes('graph write failed; consumption paused, retrying')).length),
      (retries) => retries >= 2,
      60_000,
    );
    await produceRaw(topic, before.slice(2_000));

    expect(spawnSync('bash', [infraScript, 'up', 'neo4j'], { stdio: 'inherit' }).status).toBe(0);
    await waitFor(
      'every event written',
      () => countEvents(`${prefix}-`),
      (n) => n === 3_000,
      120_000,
    );
    await tracker.waitUntilHealthy();
    await expectEachWrittenOnce(prefix, 3_000);
    await waitFor(
      'the lag back to 0',
      () => totalLag(tracker, topic),
      (lag) => lag === 0,
      30_000,
    );
    // The writes waited, the consumer did not: it stayed in its group through an outage far longer than its 8-s session.
    expect(tracker.output.filter((line) => line.includes('joined consumer group'))).toHaveLength(1);
  }, 150_000);

  it('shares the partitions between two processes of one group and writes everything once', async () => {
    const prefix = uniqueName('scale');
    const topic = await createTestTopic(`${prefix}-events`, 6);
    const [a, b] = [await startTracker(prefix, topic), await startTracker(prefix, topic)];
    await Promise.all([a.waitUntilHealthy(), b.waitUntilHealthy()]);
    await produceRaw(topic, manyEvents(prefix, 10_000));
    await waitFor(
      'every event written',
      () => countEvents(`${prefix}-`),
      (n) => n === 10_000,
      120_000,
    );
    await expectEachWrittenOnce(prefix, 10_000);
    const written = await Promise.all(
      [a, b].map(async (t) => Number(/^borderline_events_written_total (\d+)/m.exec(await t.metrics())?.[1] ?? 0)),
    );
    expect(written.every((n) => n > 0)).toBe(true);
  });

  it('stops within 10 s on SIGTERM', async () => {
    const prefix = uniqueName('sigterm');
    const topic = await createTestTopic(`${prefix}-events`, 3);
    const tracker = await startTracker(prefix, topic);
    await tracker.waitUntilHealthy();
    await produceRaw(topic, manyEvents(prefix, 5_000));
    await waitFor(
      'some events written',
      () => countEvents(`${prefix}-`),
      (n) => (n ?? 0) > 0,
    );
    const stopped = await tracker.kill('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
  });
});
