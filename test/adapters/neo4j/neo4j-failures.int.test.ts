import { afterAll, describe, expect, it } from 'vitest';
import { readAlerts } from '../../support/alerts-reader.js';
import { testDriver, waitFor } from '../../support/graph-queries.js';
import { uniqueName } from '../../support/infra-endpoints.js';
import { countMessages, createTestTopic, waitUntilConsumed } from '../../support/kafka-test-topics.js';
import { produceRaw } from '../../support/produce-raw.js';
import { TrackerProcess } from '../../support/tracker-process.js';

const trackers: TrackerProcess[] = [];
afterAll(async () => {
  await Promise.all(trackers.map((t) => t.kill('SIGTERM')));
});

describe('Neo4j failures (issue 16, finding 2)', () => {
  it('retries a write that timed out instead of dead-lettering it, and raises its alerts once the database lets it through', async () => {
    const run = uniqueName('timeout');
    const events = await createTestTopic(`${run}-events`, 1);
    // The tracker gives each write transaction 1 s; the test holds a lock the write needs for longer.
    const tracker = await TrackerProcess.startForRun(run, events, { BORDERLINE_NEO4J_WRITE_TIMEOUT_MS: '1000' });
    trackers.push(tracker);
    const { alerts, stop } = await readAlerts(`${run}-alerts`);

    const session = testDriver.session();
    const blocker = session.beginTransaction();
    try {
      await blocker.run("MERGE (d:Dataset {namespace: $ns, name: 'profiles'}) SET d.heldByTest = true", { ns: `pg://${run}` });
      const event = {
        specVersion: '1.0',
        eventId: `${run}-1`,
        eventTime: '2026-11-22T10:00:00Z',
        operation: 'copy',
        inputs: [
          { namespace: `pg://${run}`, name: 'profiles', region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] },
        ],
        outputs: [{ namespace: `pg://${run}`, name: 'leak', region: 'ap-southeast-1', provider: 'aws' }],
      };
      await produceRaw(events, [{ key: run, value: JSON.stringify(event) }]);
      await waitFor(
        'the tracker to report a timed-out write it will retry',
        () =>
          Promise.resolve(
            tracker.output.filter(
              (l) =>
                l.includes('graph write failed; consumption paused, retrying') &&
                /Transaction\.(Terminated|LockClientStopped|TransactionTimedOut)/.test(l),
            ).length,
          ),
        (n) => n >= 2,
        30_000,
      );
    } finally {
      await blocker.rollback();
      await session.close();
    }
    await waitFor(
      'the alert, once the lock is released',
      () => Promise.resolve(alerts.length),
      (n) => n >= 1,
      60_000,
    );
    await waitUntilConsumed(`${run}-group`, events);
    expect(await countMessages(`${run}-dlq`), 'nothing dead-lettered').toBe(0);
    expect(alerts[0]).toMatchObject({ status: 'open', node: { namespace: `pg://${run}`, name: 'leak' } });
    await stop();
  }, 120_000);
});
