import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/infra-endpoints.js';
import { countEvents, waitFor } from '../support/graph-queries.js';
import { readAlerts, waitUntilAlertsRead } from '../support/alerts-reader.js';
import { createTestTopic, waitForGroupMembers, waitUntilConsumed } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

const trackers: TrackerProcess[] = [];
let stopReader: (() => Promise<void>) | undefined;

afterAll(async () => {
  await stopReader?.();
  await Promise.all(trackers.map((t) => t.kill('SIGTERM')));
});

describe('evaluation with several serve processes', () => {
  it('raises every alert when the two hops of each path are consumed by different processes at the same moment', async () => {
    const run = uniqueName('concurrent');
    const topic = await createTestTopic(`${run}-events`, 2);
    const policy = join(tmpdir(), `${run}-policy.yaml`);
    writeFileSync(
      policy,
      'policies:\n  - { id: us, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }\n',
    );
    for (let i = 0; i < 2; i += 1) {
      trackers.push(
        await TrackerProcess.create({
          BORDERLINE_POLICY: policy,
          BORDERLINE_EVENTS_TOPIC: topic,
          BORDERLINE_ALERTS_TOPIC: `${run}-alerts`,
          BORDERLINE_DLQ_TOPIC: `${run}-dlq`,
          BORDERLINE_GROUP_ID: `${run}-group`,
          BORDERLINE_EVENTS_PER_WRITE: '20',
        }),
      );
      trackers[i]!.start();
    }
    await Promise.all(trackers.map((t) => t.waitUntilHealthy()));
    await waitForGroupMembers(`${run}-group`, 2); // both joined: one partition each

    const { alerts, stop } = await readAlerts(`${run}-alerts`);
    stopReader = stop;

    const chains = 200;
    const at = (s: number) => new Date(Date.parse('2026-11-22T10:00:00Z') + s * 1000).toISOString();
    const ds = (name: string, region: string, provider: string, classifications?: string[]) => ({
      namespace: `pg://${run}`,
      name,
      region,
      provider,
      ...(classifications ? { classifications } : {}),
    });
    const messages = Array.from({ length: chains }, (_, i) => [
      {
        partition: 0,
        key: `a${i}`,
        value: JSON.stringify({
          specVersion: '1.0',
          eventId: `${run}-a${i}`,
          eventTime: at(10),
          operation: 'copy',
          inputs: [ds(`profiles-${i}`, 'us-ashburn-1', 'oci', ['us-user-data'])],
          outputs: [ds(`replica-${i}`, 'us-ashburn-1', 'oci')],
        }),
      },
      {
        partition: 1,
        key: `b${i}`,
        value: JSON.stringify({
          specVersion: '1.0',
          eventId: `${run}-b${i}`,
          eventTime: at(20),
          operation: 'copy',
          inputs: [ds(`replica-${i}`, 'us-ashburn-1', 'oci')],
          outputs: [ds(`backup-${i}`, 'ap-southeast-1', 'aws')],
        }),
      },
    ]).flat();
    await produceRaw(topic, messages);

    await waitFor(
      'every event written',
      () => countEvents(`${run}-`),
      (n) => n === 2 * chains,
      120_000,
    );
    const written = await Promise.all(
      trackers.map(async (t) => Number(/^borderline_events_written_total (\d+)/m.exec(await t.metrics())?.[1] ?? 0)),
    );
    expect(written.every((n) => n > 0)).toBe(true); // both processes did part of the work
    await waitFor(
      'an alert per chain',
      () => Promise.resolve(alerts.length),
      (n) => n >= chains,
      60_000,
    );
    // Both processes committed to the end and every alert on the topic was read: no alert can come later.
    await waitUntilConsumed(`${run}-group`, topic);
    await waitUntilAlertsRead({ alerts }, `${run}-alerts`);
    const nodes = alerts.map((a) => (a.node.kind === 'dataset' ? a.node.name : '')).sort();
    expect(nodes).toEqual(Array.from({ length: chains }, (_, i) => `backup-${i}`).sort());
    expect(alerts.every((a) => a.path.length === 3 && a.eventIds.length === 2)).toBe(true);
  }, 240_000);
});
