import { afterAll, describe, expect, it } from 'vitest';
import { maxMessageBytes } from '../../src/adapters/kafka/ensure-topics.js';
import { countEvents, waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { readTopic, testKafka } from '../support/kafka-test-topics.js';
import { copyEvent, produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

const running: TrackerProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((t) => t.kill('SIGTERM')));
});

async function createTopic(topic: string, maxBytes?: number): Promise<void> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const configEntries = maxBytes ? [{ name: 'max.message.bytes', value: String(maxBytes) }] : [];
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function topicMaxBytes(topic: string): Promise<number> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    return await maxMessageBytes(admin, topic);
  } finally {
    await admin.disconnect();
  }
}

async function startTracker(prefix: string): Promise<TrackerProcess> {
  const tracker = await TrackerProcess.create({
    BORDERLINE_EVENTS_TOPIC: `${prefix}-events`,
    BORDERLINE_DLQ_TOPIC: `${prefix}-dlq`,
    BORDERLINE_ALERTS_TOPIC: `${prefix}-alerts`,
    BORDERLINE_GROUP_ID: `${prefix}-group`,
  });
  running.push(tracker);
  tracker.start();
  await tracker.waitUntilHealthy();
  return tracker;
}

describe('dead letters that never stall a partition', () => {
  it('creates the DLQ to take what the events topic takes: a 2 MB invalid event is dead-lettered whole, and a tombstone stays null', async () => {
    const prefix = uniqueName('dlq-size');
    await createTopic(`${prefix}-events`, 3 * 1024 * 1024);
    const tracker = await startTracker(prefix);
    expect(await topicMaxBytes(`${prefix}-dlq`)).toBeGreaterThanOrEqual(3 * 1024 * 1024);

    const huge = JSON.stringify({ ...copyEvent(prefix, 'huge', 'a', 'b'), attributes: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    await produceRaw(`${prefix}-events`, [{ key: 'k', value: huge }]);
    const producer = testKafka.producer();
    await producer.connect();
    await producer.send({ topic: `${prefix}-events`, messages: [{ key: 'gone', value: null }] });
    await producer.disconnect();
    await produceRaw(`${prefix}-events`, [{ key: 'k', value: JSON.stringify(copyEvent(prefix, 'after', 'a', 'b')) }]);

    const letters = await readTopic(`${prefix}-dlq`, 2);
    const [whole, tombstone] = letters.sort((a, b) => Number(a.headers['x-dlq-source-offset']) - Number(b.headers['x-dlq-source-offset']));
    expect(whole?.value?.length).toBe(Buffer.byteLength(huge));
    expect(whole?.headers['x-dlq-reason']).toBe(`(message): ${Buffer.byteLength(huge)} bytes is over the 1048576-byte limit`);
    expect(whole?.headers['x-dlq-truncated']).toBeUndefined();
    expect(tombstone?.key).toBe('gone');
    expect(tombstone?.value).toBeNull();
    await waitFor(
      'the event after them',
      () => countEvents(`${prefix}-after`),
      (n) => n === 1,
    );
    expect(await tracker.metrics()).toMatch(/^borderline_dead_letter_publish_failures_total 0$/m);
  });

  it('sends a shortened copy, with headers saying so, when an existing DLQ refuses the dead letter, and goes on', async () => {
    const prefix = uniqueName('dlq-small');
    await createTopic(`${prefix}-events`, 3 * 1024 * 1024);
    await createTopic(`${prefix}-dlq`, 200 * 1024); // made by someone else, too small for the events topic
    const tracker = await startTracker(prefix);
    expect(tracker.output.some((line) => line.includes('larger dead letters are sent shortened'))).toBe(true);

    const big = JSON.stringify({ ...copyEvent(prefix, 'big', 'a', 'b'), attributes: { pad: 'y'.repeat(1_500_000) } });
    await produceRaw(`${prefix}-events`, [
      { key: 'k', value: big },
      { key: 'k', value: JSON.stringify(copyEvent(prefix, 'after', 'a', 'b')) },
    ]);

    const [letter] = await readTopic(`${prefix}-dlq`, 1);
    expect(letter?.value).toEqual(Buffer.from(big).subarray(0, 64 * 1024));
    expect(letter?.headers).toMatchObject({
      'x-dlq-truncated': 'true',
      'x-dlq-original-size': String(Buffer.byteLength(big)),
      'x-dlq-source-topic': `${prefix}-events`,
      'x-dlq-source-offset': '0',
    });
    expect(letter?.headers['x-dlq-reason']).toMatch(/bytes is over the 1048576-byte limit$/);
    await waitFor(
      'the event after it',
      () => countEvents(`${prefix}-after`),
      (n) => n === 1,
    );
    expect(await tracker.metrics()).toMatch(/^borderline_dead_letter_publish_failures_total [1-9]/m);
    expect(await tracker.health()).toBe(200);
  });
});
