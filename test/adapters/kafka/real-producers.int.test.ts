import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineageEmitter } from '../../../src/sdk/create-lineage-emitter.js';
import { COMPRESSION_NAMES } from '../../../src/config/compression.js';
import type { Alert } from '../../../src/policy/alert.js';
import { readAlerts } from '../../support/alerts-reader.js';
import { waitFor } from '../../support/graph-queries.js';
import { testKafkaBrokers, uniqueName } from '../../support/infra-endpoints.js';
import { createTestTopic } from '../../support/kafka-test-topics.js';
import { copyEvent, produceRaw } from '../../support/produce-raw.js';
import { consumeWithJava, produceWithJava, produceWithLibrdkafka, pythonClients, type PlainMessage } from '../../support/real-clients.js';
import { TrackerProcess } from '../../support/tracker-process.js';

const prefix = uniqueName('producers');
let events = '';
let tracker: TrackerProcess;
let reader: Awaited<ReturnType<typeof readAlerts>>;

beforeAll(async () => {
  pythonClients(); // made on first use: a few minutes on a new machine
  events = await createTestTopic(`${prefix}-events`, 3);
  tracker = await TrackerProcess.create({
    BORDERLINE_EVENTS_TOPIC: events,
    BORDERLINE_DLQ_TOPIC: `${prefix}-dlq`,
    BORDERLINE_ALERTS_TOPIC: `${prefix}-alerts`,
    BORDERLINE_GROUP_ID: `${prefix}-group`,
  });
  tracker.start();
  await tracker.waitUntilHealthy();
  reader = await readAlerts(`${prefix}-alerts`);
}, 600_000);

afterAll(async () => {
  await reader?.stop();
  await tracker?.kill('SIGTERM');
});

/** Three violating copies (US data to Singapore) under `tag`, each with a traceparent header and no trace in the body. */
function violations(tag: string): { messages: PlainMessage[]; traceIds: string[] } {
  const traceIds: string[] = [];
  const messages = [0, 1, 2].map((i) => {
    const traceId = randomBytes(16).toString('hex');
    traceIds.push(traceId);
    return {
      key: `s3://${prefix}/${tag}-${i}`,
      value: JSON.stringify(copyEvent(prefix, `${tag}-${i}`, 'profiles', `${tag}-${i}`)),
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    };
  });
  return { messages, traceIds };
}

async function alertsFor(tag: string): Promise<Alert[]> {
  const mine = (a: Alert) => a.node.kind === 'dataset' && a.node.name.startsWith(`${tag}-`);
  const found = await waitFor(
    `the alerts of ${tag}`,
    () => Promise.resolve(reader.alerts.filter(mine)),
    (list) => list.length >= 3,
    60_000,
  );
  return [...found].sort((a, b) => (a.node.kind === 'dataset' && b.node.kind === 'dataset' ? a.node.name.localeCompare(b.node.name) : 0));
}

describe.each([
  ["Kafka's own Java producer (kafka-console-producer)", 'java', produceWithJava],
  ['librdkafka (confluent-kafka for Python)', 'rdkafka', produceWithLibrdkafka],
] as const)('%s', (_client, tag, produce) => {
  it.each(COMPRESSION_NAMES)('with compression %s: an alert per event, its trace taken from the traceparent header', async (codec) => {
    const { messages, traceIds } = violations(`${tag}-${codec}`);
    produce(events, codec, messages);
    const alerts = await alertsFor(`${tag}-${codec}`);
    expect(alerts.map((a) => [a.status, a.traceIds])).toEqual(traceIds.map((id) => ['open', [id]]));
  });
});

describe('after every codec', () => {
  it('goes on consuming: a later event still alerts, nothing was dead-lettered, the consumer never restarted', async () => {
    const marker = copyEvent(prefix, 'after-codecs', 'profiles', 'after-codecs-0');
    await produceRaw(events, [
      { key: 'marker', value: JSON.stringify(marker) },
      ...[1, 2].map((i) => ({
        key: 'marker',
        value: JSON.stringify(copyEvent(prefix, `after-codecs-${i}`, 'profiles', `after-codecs-${i}`)),
      })),
    ]);
    await alertsFor('after-codecs');
    expect(await tracker.health()).toBe(200);
    const metrics = await tracker.metrics();
    expect(metrics).toMatch(/^borderline_events_dead_lettered_total 0$/m);
    expect(metrics).toMatch(/^borderline_consumer_restarts_total 0$/m);
    expect(metrics).toMatch(/^borderline_consumer_halted 0$/m);
  });
});

describe('the SDK with compression', () => {
  it.each(COMPRESSION_NAMES)("produces %s batches that Kafka's own Java consumer reads", async (compression) => {
    const topic = await createTestTopic(`${prefix}-sdk-${compression}`, 1);
    const emitter = createLineageEmitter({
      brokers: testKafkaBrokers,
      topic,
      compression,
      resource: { attributes: { 'service.name': 'sdk-compat' } },
    });
    const sent = await Promise.all(
      [0, 1, 2].map((i) =>
        emitter.copy({ inputs: { namespace: 'pg://a', name: 'x' }, outputs: { namespace: 's3://b', name: `${compression}-${i}` } }),
      ),
    );
    await emitter.close();
    const read = consumeWithJava(topic, 3).map((line) => (JSON.parse(line) as { eventId: string }).eventId);
    expect(read).toEqual(sent.map((e) => e.eventId));
  });

  it('rejects an unknown compression, naming the ones it knows', () => {
    expect(() => createLineageEmitter({ brokers: testKafkaBrokers, compression: 'brotli' as never })).toThrow(
      /compression: .*"none"\|"gzip"\|"snappy"\|"lz4"\|"zstd"|compression: .*none.*gzip.*snappy.*lz4.*zstd/,
    );
  });
});
