import { afterAll, describe, expect, it } from 'vitest';
import { readAlerts, waitUntilAlertsRead } from '../support/alerts-reader.js';
import { testDriver, waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic, waitUntilConsumed } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

let tracker: TrackerProcess | undefined;
let stopReader: (() => Promise<void>) | undefined;
afterAll(async () => {
  await stopReader?.();
  await tracker?.kill('SIGTERM');
});

describe('twenty concurrent reports (issue 16, finding 7)', () => {
  it('answers each with the report or 503 and Retry-After, never 500; ingest goes on meanwhile and the database keeps answering', async () => {
    const run = uniqueName('reports');
    const topic = await createTestTopic(`${run}-events`, 3);
    tracker = await TrackerProcess.startForRun(run, topic);
    const reader = await readAlerts(`${run}-alerts`);
    stopReader = reader.stop;
    const leak = (i: number) => ({
      key: `k${i}`,
      value: JSON.stringify({
        specVersion: '1.0',
        eventId: `${run}-${i}`,
        eventTime: new Date(Date.parse('2026-11-22T10:00:00Z') + i * 1000).toISOString(),
        operation: 'copy',
        inputs: [
          { namespace: `pg://${run}`, name: 'profiles', region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] },
        ],
        outputs: [{ namespace: `s3://${run}-sg`, name: `copy-${i}`, region: 'ap-southeast-1', provider: 'aws' }],
      }),
    });
    const before = 2_000;
    const during = 200;
    await produceRaw(
      topic,
      Array.from({ length: before }, (_, i) => leak(i)),
    );
    await waitUntilConsumed(`${run}-group`, topic);

    const url = `http://127.0.0.1:${tracker.port}/api/v1/report`;
    const reports = Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await fetch(url);
        const body = await response.text();
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
      }),
    );
    // Meanwhile: more events, and a question to the database.
    await produceRaw(
      topic,
      Array.from({ length: during }, (_, i) => leak(before + i)),
    );
    const answered = await testDriver.executeQuery('RETURN 1 AS one');
    expect(answered.records[0]?.get('one')).toBe(1);
    const answers = await reports;
    await waitUntilConsumed(`${run}-group`, topic);
    await waitUntilAlertsRead(reader, `${run}-alerts`);

    const statuses = answers.map((a) => a.status);
    console.log(
      `20 concurrent reports: ${statuses.filter((s) => s === 200).length} answered, ${statuses.filter((s) => s === 503).length} told to retry`,
    );
    expect(
      statuses.filter((s) => s !== 200 && s !== 503),
      'only the report or 503',
    ).toEqual([]);
    expect(statuses.filter((s) => s === 200).length, 'at least as many answered as the pool runs at once').toBeGreaterThanOrEqual(2);
    for (const a of answers.filter((x) => x.status === 503)) expect(Number(a.retryAfter), `Retry-After on ${a.body}`).toBeGreaterThan(0);
    expect(new Set(reader.alerts.map((a) => a.alertId)).size, 'ingest went on: every leak alerted').toBe(before + during);

    // Once the storm has passed, a report is answered, and it counts everything.
    const after = await waitFor(
      'a report after the storm',
      async () => {
        const response = await fetch(url);
        return response.status === 200 ? ((await response.json()) as { totals: { open: number } }) : undefined;
      },
      (r) => r !== undefined,
    );
    expect(after?.totals.open).toBeGreaterThanOrEqual(before + during); // the database is shared with other tests
  }, 240_000);
});
