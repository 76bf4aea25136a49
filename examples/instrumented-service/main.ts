/**
 * An instrumented service: @opentelemetry/sdk-node for tracing, borderline/sdk for lineage.
 * Run it with `npm run example:service` (starts the local Kafka and Neo4j when they are down).
 *
 * It reports three movements of US user data, two ways:
 *  - explicitly, with the emitter's helpers (`copy`, `access`), inside traced spans;
 *  - implicitly, by setting `borderline.lineage.*` attributes on a span (a `derive`).
 */
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { Kafka, logLevel } from 'kafkajs';
import { createLineageEmitter, LINEAGE_ATTRIBUTES, LineageSpanProcessor } from '../../src/sdk/index.js';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const topic = process.env.BORDERLINE_EVENTS_TOPIC ?? 'lineage.events';

// The tracker creates its topics at start; the example makes sure it exists when run alone.
const admin = new Kafka({ clientId: 'example-admin', brokers, logLevel: logLevel.NOTHING }).admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
await admin.disconnect();

// One resource for traces and lineage: service.name becomes the producer and the actor,
// cloud.region / cloud.provider the actor's location.
const resource = resourceFromAttributes({ 'service.name': 'profile-service', 'cloud.region': 'us-ashburn-1', 'cloud.provider': 'oci' });
const lineage = createLineageEmitter({ brokers, topic, resource });
const sdk = new NodeSDK({ resource, spanProcessors: [new LineageSpanProcessor(lineage)] });
sdk.start();

const tracer = trace.getTracer('example-profile-service');
const profiles = {
  namespace: 'postgres://users-db',
  name: 'public.profiles',
  region: 'us-ashburn-1',
  provider: 'oci',
  classifications: ['us-user-data'],
};

await tracer.startActiveSpan('nightly-backup', async (span) => {
  const event = await lineage.copy({
    inputs: profiles,
    outputs: { namespace: 's3://tt-backup-sg', name: 'profiles', region: 'ap-southeast-1', provider: 'aws' },
  });
  console.log(
    `copy    ${event.eventId}  trace ${event.trace?.traceId}  ${profiles.namespace}/${profiles.name} -> s3://tt-backup-sg/profiles`,
  );
  span.end();
});

await tracer.startActiveSpan('support-lookup', async (span) => {
  const event = await lineage.access({ inputs: profiles, actor: { service: 'support-console', region: 'eu-west-1', provider: 'aws' } });
  console.log(`access  ${event.eventId}  trace ${event.trace?.traceId}  read by support-console in eu-west-1`);
  span.end();
});

// No emitter call here: the span's attributes are the lineage.
tracer.startActiveSpan('daily-aggregate', (span) => {
  span.setAttributes({
    [LINEAGE_ATTRIBUTES.operation]: 'derive',
    [LINEAGE_ATTRIBUTES.inputs]: JSON.stringify(profiles),
    [LINEAGE_ATTRIBUTES.outputs]: JSON.stringify({ namespace: 'bq://analytics', name: 'daily_signups', region: 'eu-frankfurt-1' }),
    [LINEAGE_ATTRIBUTES.removesClassifications]: ['us-user-data'],
  });
  console.log(`derive  otel-${span.spanContext().traceId}-${span.spanContext().spanId}  (from span attributes)`);
  span.end();
});

await sdk.shutdown(); // flushes the span processor, and with it the derive event
await lineage.close();
console.log(`3 events on ${topic} at ${brokers.join(',')}`);
