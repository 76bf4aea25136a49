import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restartNeo4j } from '../../support/restart-neo4j.js';
import { readAlerts, waitUntilAlertsRead } from '../../support/alerts-reader.js';
import { testDriver } from '../../support/graph-queries.js';
import { uniqueName } from '../../support/infra-endpoints.js';
import { countMessages, createTestTopic, readTopic, waitUntilConsumed } from '../../support/kafka-test-topics.js';
import { produceRaw } from '../../support/produce-raw.js';
import { TrackerProcess } from '../../support/tracker-process.js';

// Issue 16, finding 2: limits a managed Neo4j commonly sets, configured on the local server for
// these tests (Community Edition cannot change them at run time: the server restarts with them)
// and taken away afterwards, whatever the outcome.
beforeAll(() => restartNeo4j('db.memory.transaction.max=16m'), 240_000);
afterAll(() => restartNeo4j(), 240_000);

let tracker: TrackerProcess | undefined;
let stopReader: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopReader?.();
  await tracker?.kill('SIGTERM');
  tracker = undefined;
});

const origin = (run: string) => ({
  namespace: `pg://${run}`,
  name: 'profiles',
  region: 'us-ashburn-1',
  provider: 'oci',
  classifications: ['us-user-data'],
});
const leak = (run: string, id: string) => ({
  specVersion: '1.0',
  eventId: `${run}-${id}`,
  eventTime: '2026-11-22T10:00:00Z',
  operation: 'copy',
  inputs: [origin(run)],
  outputs: [{ namespace: `s3://${run}-sg`, name: id, region: 'ap-southeast-1', provider: 'aws' }],
});

describe('Neo4j server limits (issue 16, finding 2)', () => {
  it('splits a write over db.memory.transaction.max and dead-letters only the event too large, with the reason; the rest is written and alerted', async () => {
    const run = uniqueName('txmem');
    const topic = await createTestTopic(`${run}-events`, 1);
    // Within the event limits (100 × 100 = 10,000 movements), but far over 16 MiB in one transaction.
    const huge = {
      specVersion: '1.0',
      eventId: `${run}-huge`,
      eventTime: '2026-11-22T10:00:00Z',
      operation: 'copy',
      inputs: Array.from({ length: 100 }, (_, i) => ({ namespace: `pg://${run}`, name: `in-${i}`, classifications: ['us-user-data'] })),
      outputs: Array.from({ length: 100 }, (_, i) => ({ namespace: `s3://${run}-wide`, name: `out-${i}` })),
    };
    tracker = await TrackerProcess.startForRun(run, topic, { BORDERLINE_EVENTS_PER_WRITE: '100' });
    const reader = await readAlerts(`${run}-alerts`);
    stopReader = reader.stop;
    // One partition, one batch: the huge event between two small leaks.
    await produceRaw(topic, [
      { key: 'a', value: JSON.stringify(leak(run, 'before')) },
      { key: 'b', value: JSON.stringify(huge) },
      { key: 'c', value: JSON.stringify(leak(run, 'after')) },
    ]);
    await consumedOrSay(tracker, `${run}-group`, topic);
    await waitUntilAlertsRead(reader, `${run}-alerts`);

    const [dead] = await readTopic(`${run}-dlq`, 1);
    expect((JSON.parse(String(dead?.value)) as { eventId: string }).eventId).toBe(`${run}-huge`);
    expect(dead?.headers['x-dlq-reason']).toMatch(/memory limit per transaction/);
    expect(await countMessages(`${run}-dlq`)).toBe(1);
    const { records } = await testDriver.executeQuery(
      'MATCH (e:Event) WHERE e.eventId STARTS WITH $run RETURN e.eventId AS id ORDER BY id',
      { run: `${run}-` },
    );
    expect(records.map((r) => r.get('id') as string)).toEqual([`${run}-after`, `${run}-before`]);
    expect(reader.alerts.map((a) => a.node.kind === 'dataset' && a.node.name).sort()).toEqual(['after', 'before']);
  }, 180_000);

  it('retries a write its transaction timeout ended while it waited for a lock: nothing dead-lettered, the violation alerted', async () => {
    const run = uniqueName('txtimeout');
    const topic = await createTestTopic(`${run}-events`, 1);
    // The tracker's own timeout on a write is the one that applies to it (a client's overrides db.transaction.timeout).
    tracker = await TrackerProcess.startForRun(run, topic, { BORDERLINE_NEO4J_WRITE_TIMEOUT_MS: '2000' });
    const reader = await readAlerts(`${run}-alerts`);
    stopReader = reader.stop;
    // The origin exists; then another transaction holds its lock for 6 s and more while the tracker
    // gives a write 2 s: the write times out (more than once) until the lock is free.
    await produceRaw(topic, [{ key: 'a', value: JSON.stringify(leak(run, 'first')) }]);
    await waitUntilConsumed(`${run}-group`, topic, 60_000);
    const session = testDriver.session();
    const holder = await session.beginTransaction();
    try {
      await holder.run('MATCH (d:Dataset {namespace: $ns, name: $name}) SET d.heldByTest = true', {
        ns: `pg://${run}`,
        name: 'profiles',
      });
      await produceRaw(topic, [{ key: 'b', value: JSON.stringify(leak(run, 'second')) }]);
      await waitForLogLine(tracker, WRITE_TIMED_OUT, 30_000);
      // The lock stays held until the tracker's write has timed out more than once.
      await waitForLogLine(tracker, WRITE_TIMED_OUT, 30_000, 2);
    } finally {
      await holder.rollback();
      await session.close();
    }
    await consumedOrSay(tracker, `${run}-group`, topic);
    await waitUntilAlertsRead(reader, `${run}-alerts`);
    expect(await countMessages(`${run}-dlq`), 'nothing dead-lettered').toBe(0);
    expect(reader.alerts.map((a) => a.node.kind === 'dataset' && a.node.name).sort()).toEqual(['first', 'second']);
  }, 180_000);
});

/** Waits until the tracker's group consumed `topic` to its end; on a timeout, says what the tracker logged. */
async function consumedOrSay(t: TrackerProcess, group: string, topic: string): Promise<void> {
  await waitUntilConsumed(group, topic, 120_000).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; the tracker said:\n${t.output.slice(-15).join('\n')}`);
  });
}

const WRITE_TIMED_OUT = /"err":"Neo4j write failed \(Neo\.ClientError\.Transaction\.(TransactionTimedOut|Terminated|LockClientStopped)/;

/** Waits until the tracker has logged `times` lines matching `pattern`. */
async function waitForLogLine(t: TrackerProcess, pattern: RegExp, timeoutMs: number, times = 1): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (t.output.filter((l) => pattern.test(l)).length < times) {
    if (Date.now() > deadline)
      throw new Error(`the tracker did not log ${pattern} in ${timeoutMs} ms; last lines:\n${t.output.slice(-15).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
