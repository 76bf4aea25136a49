import { InstrumentedGraphStore } from '../../support/instrumented-graph-store.js';
import { buildPipeline } from '../../support/build-pipeline.js';
import { Writable } from 'node:stream';
import kafkajs, { CompressionTypes } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createKafkaClient } from '../../../src/adapters/kafka/create-kafka-client.js';
import { KafkaEventConsumer } from '../../../src/adapters/kafka/kafka-event-consumer.js';
import { UndecodableBatchError } from '../../../src/adapters/kafka/register-compression-codecs.js';
import { CountingIngestObserver } from '../../../src/adapters/memory/counting-ingest-observer.js';
import { InMemoryLineageGraph } from '../../../src/adapters/memory/in-memory-lineage-graph.js';
import { InMemoryMessagePublisher } from '../../../src/adapters/memory/in-memory-message-publisher.js';
import { waitFor } from '../../support/graph-queries.js';
import { testKafkaBrokers, uniqueName } from '../../support/infra-endpoints.js';
import { createTestTopic, testKafka } from '../../support/kafka-test-topics.js';
import { copyEvent } from '../../support/produce-raw.js';

type Codecs = Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
const codecs = kafkajs.CompressionCodecs as Codecs;

describe('a record batch the consumer cannot decode', () => {
  it('stops consumption once, naming the partition and offset in one fatal log, without a crash loop', async () => {
    const prefix = uniqueName('undecodable');
    const topic = await createTestTopic(`${prefix}-events`, 3);
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write: (chunk: Buffer, _enc, done) =>
          done(
            void lines.push(
              ...chunk
                .toString()
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l) as Record<string, unknown>),
            ),
          ),
      }),
    );
    const kafka = createKafkaClient({ brokers: testKafkaBrokers, clientId: prefix, ssl: false }, logger);
    const registered = codecs[CompressionTypes.ZSTD]!; // zstd-napi's, registered by createKafkaClient
    const graph = new InstrumentedGraphStore(new InMemoryLineageGraph());
    const observer = new CountingIngestObserver();
    const publisher = new InMemoryMessagePublisher();
    const { pipeline } = buildPipeline({
      graph,
      deadLetters: publisher,
      alerts: publisher,
      pipeline: { observer: observer, logger: logger, retry: { initialMs: 10, maxMs: 100 }, maxEventBytes: 1_048_576 },
    });
    const fatal: Error[] = [];
    const consumer = new KafkaEventConsumer(
      kafka,
      pipeline,
      observer,
      logger,
      {
        topics: [topic],
        groupId: `${prefix}-group`,
        maxEventsPerWrite: 100,
        concurrentWrites: 3,
        sessionTimeoutMs: 10_000,
        lagIntervalMs: 500,
      },
      (e) => void fatal.push(e),
    );
    // Idempotent: a send retried on a slow broker must not write a record twice (a CI run once found two on partition 1).
    const producer = testKafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await consumer.start();
      const event = (id: string) => JSON.stringify(copyEvent(prefix, id, 'a', id));
      await producer.send({
        topic,
        messages: [
          { partition: 0, value: event('p0') },
          { partition: 1, value: event('p1') },
        ],
      });
      await waitFor(
        'partitions 0 and 1 written and committed',
        () => consumer.positions(),
        (all) => new Set(graph.writtenEventIds).size === 2 && all.every((p) => p.lag === 0),
        20_000,
      );

      // A consumer that cannot read zstd (as if its codec were missing) — in place before the batch is
      // produced, so that no fetch can decode it first — then a zstd batch on partition 2.
      const real = registered();
      codecs[CompressionTypes.ZSTD] = () => ({
        compress: (encoder) => real.compress(encoder),
        decompress: () => Promise.reject(new UndecodableBatchError('zstd', new Error('this build cannot read zstd'))),
      });
      await producer.send({
        topic,
        compression: CompressionTypes.ZSTD,
        messages: ['z1', 'z2', 'z3'].map((id) => ({ partition: 2, value: event(id) })),
      });

      const [line] = await waitFor(
        'the fatal log line',
        () => Promise.resolve(lines.filter((l) => l.level === 60)),
        (found) => found.length > 0,
        20_000,
      );
      expect(line).toMatchObject({
        topics: [topic],
        codec: 'zstd',
        cause: 'this build cannot read zstd',
        partitionsWithMessagesLeft: [{ topic, partition: 2, fromOffset: '0', messagesLeft: 3 }],
      });
      expect(String(line?.msg)).toMatch(/^cannot decode a record batch of .*: consumption stopped, the API stays up/);
      expect(consumer.haltReason()).toBe('consumption stopped: cannot decompress a zstd record batch: this build cannot read zstd');
      expect(observer.counts).toMatchObject({ halted: 1, restarts: 0 });
      expect(fatal).toEqual([]); // the process is not taken down, so a supervisor does not restart it into the same batch
      expect([...new Set(graph.writtenEventIds)].sort()).toEqual(['p0', 'p1'].map((id) => `${prefix}-${id}`)); // none of partition 2's
    } finally {
      codecs[CompressionTypes.ZSTD] = registered;
      await producer.disconnect();
      await consumer.stop();
    }
  });
});
