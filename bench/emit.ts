import { Kafka, logLevel } from 'kafkajs';
import { createLineageEmitter } from '../src/sdk/create-lineage-emitter.js';
import type { DataMovementEvent } from '../src/events/data-movement-event.js';
import { createProgress } from './support/progress.js';

/**
 * `npm run bench:emit`: events/s that one emitter produces to the local broker with ~500-byte
 * events (validation, serialization, batching, idempotent produce with acks=all, all included).
 */
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const total = Number(process.env.BENCH_EVENTS ?? 500_000);
const chunk = 5_000;
const window = 40_000;
const topic = `bench.emit.${Date.now().toString(36)}`;

const admin = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING }).admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });

const emitter = createLineageEmitter({
  brokers,
  topic,
  resource: { attributes: { 'service.name': 'bench-emitter', 'cloud.region': 'us-ashburn-1', 'cloud.provider': 'oci' } },
});
const source = {
  namespace: 'postgres://users-db.prod:5432',
  name: 'public.user_profiles',
  region: 'us-ashburn-1',
  provider: 'oci',
  classifications: ['us-user-data'],
};
const attributes = { job: 'nightly-replication', rows: 125_000 };

const progress = createProgress('emit', total);
const sample: DataMovementEvent[] = [];
const started = process.hrtime.bigint();
// A busy service: keep up to `window` events unacknowledged, waiting on the oldest beyond that.
const pending: Array<Promise<DataMovementEvent>> = [];
for (let i = 0; i < total; i += 1) {
  pending.push(
    emitter.copy({
      inputs: source,
      outputs: {
        namespace: 's3://tt-backup-sg/warehouse',
        name: `profiles/part-${i % 100_000}`,
        region: 'ap-southeast-1',
        provider: 'aws',
      },
      attributes,
    }),
  );
  if (pending.length >= window) {
    const oldest = await pending.splice(0, chunk)[chunk - 1];
    if (sample.length === 0 && oldest) sample.push(oldest);
    progress.update(i + 1);
  }
}
await Promise.all(pending);
await emitter.close();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
progress.done();
// The ceiling: kafkajs alone sending pre-built messages of the same size and keys, same producer settings.
const rawProducer = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING }).producer({
  idempotent: true,
  maxInFlightRequests: 1,
});
await rawProducer.connect();
const rawValue = Buffer.alloc(Buffer.byteLength(JSON.stringify(sample[0])), 120);
const rawStarted = process.hrtime.bigint();
for (let sent = 0; sent < total; sent += 1_600) {
  const messages = Array.from({ length: Math.min(1_600, total - sent) }, (_, i) => ({
    key: `s3://tt-backup-sg/warehouse/profiles/part-${(sent + i) % 100_000}`,
    value: rawValue,
  }));
  await rawProducer.send({ topic, acks: -1, messages });
}
const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;
await rawProducer.disconnect();
await admin.deleteTopics({ topics: [topic] });
await admin.disconnect();

const eventBytes = Buffer.byteLength(JSON.stringify(sample[0]));
console.log(`bench:emit  events=${total}  event size=${eventBytes} B  time=${seconds.toFixed(2)} s`);
console.log(
  `bench:emit  throughput=${Math.round(total / seconds).toLocaleString('en-US')} events/s  (${((total * eventBytes) / seconds / 1e6).toFixed(1)} MB/s)  target >= 50,000 events/s`,
);
console.log(
  `bench:emit  kafkajs alone (pre-built messages, same size and keys): ${Math.round(total / rawSeconds).toLocaleString('en-US')} messages/s; the SDK reaches ${Math.round((100 * rawSeconds) / seconds)}% of it`,
);
console.log(`bench:emit  peak RSS=${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
