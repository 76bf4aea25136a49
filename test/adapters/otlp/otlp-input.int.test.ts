import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineageEmitter } from '../../../src/sdk/create-lineage-emitter.js';
import type { Alert } from '../../../src/policy/alert.js';
import { LineageSpanProcessor } from '../../../src/sdk/lineage-span-processor.js';
import { readAlerts } from '../../support/alerts-reader.js';
import { startCollector, type RunningCollector } from '../../support/collector.js';
import { countEvents, waitFor } from '../../support/graph-queries.js';
import { testKafkaBrokers, uniqueName } from '../../support/infra-endpoints.js';
import { createTestTopic, readTopic } from '../../support/kafka-test-topics.js';
import { produceRaw } from '../../support/produce-raw.js';
import { pythonClients, runPythonTracedService } from '../../support/real-clients.js';
import { TrackerProcess } from '../../support/tracker-process.js';
import { writeTestPolicy } from '../../support/test-policy.js';

const prefix = uniqueName('otlp');
const topics = { events: `${prefix}-events`, otlp: `${prefix}-otlp-spans`, alerts: `${prefix}-alerts`, dlq: `${prefix}-dlq` };
let tracker: TrackerProcess;
let collector: RunningCollector;
let reader: Awaited<ReturnType<typeof readAlerts>>;

const consoleDb = `${prefix}-users-db`;

beforeAll(async () => {
  pythonClients(); // made on first use, as the Collector is built by startCollector
  // The US user database is labelled and placed by the policy: its database clients know nothing of Borderline.
  const policy = writeTestPolicy(prefix, {
    stores: `  - namespace: "postgres://${consoleDb}*"\n    provider: oci\n    region: us-ashburn-1\n`,
    classify: `  - namespace: "postgres://${consoleDb}:5432"\n    name: users.public.profiles\n    classifications: [us-user-data]\n`,
  });
  await createTestTopic(topics.events, 3);
  await createTestTopic(topics.otlp, 3);
  collector = await startCollector(topics.otlp);
  tracker = await TrackerProcess.create({
    BORDERLINE_POLICY: policy,
    BORDERLINE_OTLP_DB_READS: 'true',
    BORDERLINE_EVENTS_TOPIC: topics.events,
    BORDERLINE_OTLP_TOPIC: topics.otlp,
    BORDERLINE_ALERTS_TOPIC: topics.alerts,
    BORDERLINE_DLQ_TOPIC: topics.dlq,
    BORDERLINE_GROUP_ID: `${prefix}-group`,
  });
  tracker.start();
  await tracker.waitUntilHealthy();
  reader = await readAlerts(topics.alerts);
}, 900_000); // a first run builds the Collector and the Python environment

afterAll(async () => {
  await reader?.stop();
  await tracker?.kill('SIGTERM');
  await collector?.stop();
});

const resource = resourceFromAttributes({ 'service.name': 'backup-job', 'cloud.provider': 'aws', 'cloud.region': 'ap-southeast-1' });

/** A service traced with the OpenTelemetry SDK, exporting over OTLP/HTTP to the Collector. */
function tracedService(exporter: SpanExporter, ...extra: SpanProcessor[]) {
  return new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter), ...extra] });
}

/** Ends one span that copies US profiles to Singapore (`name` the output), with the lineage attributes of docs/events.md. */
function copySpan(
  provider: BasicTracerProvider,
  name: string,
  inputs = JSON.stringify({
    namespace: `pg://${prefix}`,
    name: 'profiles',
    region: 'us-ashburn-1',
    provider: 'oci',
    classifications: ['us-user-data'],
  }),
) {
  const span = provider.getTracer('backup').startSpan(`backup ${name}`, {
    attributes: {
      'borderline.lineage.operation': 'copy',
      'borderline.lineage.inputs': inputs,
      'borderline.lineage.outputs': JSON.stringify({ namespace: `s3://${prefix}`, name }),
    },
  });
  span.end();
  return span.spanContext();
}

const alertOn = (name: string) =>
  waitFor(
    `an alert on ${name}`,
    () => Promise.resolve(reader.alerts.filter((a: Alert) => a.node.kind === 'dataset' && a.node.name === name)),
    (l) => l.length > 0,
    60_000,
  );

describe('lineage spans through a real OpenTelemetry Collector and its Kafka exporter', () => {
  it.each([
    ['otlp_proto', (url: string) => new OtlpProtoExporter({ url })],
    ['otlp_json', (url: string) => new OtlpJsonExporter({ url })],
  ] as const)('%s: a lineage span becomes the event, its alert carrying the span as event and trace', async (encoding, exporter) => {
    const provider = tracedService(exporter(collector.endpoints[encoding]));
    const { traceId, spanId } = copySpan(provider, `backup-${encoding}`);
    await provider.forceFlush();
    const [alert] = await alertOn(`backup-${encoding}`);
    expect(alert).toMatchObject({
      status: 'open',
      eventIds: [`otel-${traceId}-${spanId}`],
      traceIds: [traceId],
      node: { kind: 'dataset', name: `backup-${encoding}` },
    });
    await provider.shutdown();
  });

  it('counts a span that arrives both through the SDK and through the Collector once', async () => {
    const emitter = createLineageEmitter({ brokers: testKafkaBrokers, topic: topics.events, resource });
    const provider = tracedService(new OtlpProtoExporter({ url: collector.endpoints.otlp_proto }), new LineageSpanProcessor(emitter));
    const { traceId, spanId } = copySpan(provider, 'both-ways');
    await provider.forceFlush();
    await emitter.close();
    await alertOn('both-ways');
    // Both copies were consumed once the consumer has committed everything on both topics.
    await waitFor(
      'both topics consumed',
      () => tracker.metrics(),
      (m) =>
        [topics.events, topics.otlp].every((t) =>
          new RegExp(`^borderline_consumer_lag\\{topic="${t}",partition="\\d"\\} 0$`, 'm').test(m),
        ) && !/^borderline_consumer_lag\{[^}]*\} [1-9]/m.test(m),
      30_000,
    );
    expect(await countEvents(`otel-${traceId}-${spanId}`)).toBe(1);
    expect(reader.alerts.filter((a) => a.node.kind === 'dataset' && a.node.name === 'both-ways')).toHaveLength(1);
    await provider.shutdown();
  });

  it('dead-letters a batch with a bad lineage span, naming the span and the field, and still writes its good span', async () => {
    const provider = tracedService(new OtlpProtoExporter({ url: collector.endpoints.otlp_proto }));
    copySpan(provider, 'bad-span', '{not json');
    const good = copySpan(provider, 'good-neighbour');
    await provider.forceFlush();
    await alertOn('good-neighbour');
    const letters = await readTopic(topics.dlq, 1);
    const letter = letters.find((l) => l.headers['x-dlq-reason']?.includes('backup bad-span'));
    expect(letter?.headers['x-dlq-reason']).toMatch(
      /^span "backup bad-span" \(trace [0-9a-f]{32}, span [0-9a-f]{16}\): borderline\.lineage\.inputs: not JSON/,
    );
    expect(good.traceId).toMatch(/^[0-9a-f]{32}$/);
    await provider.shutdown();
  });

  it('dead-letters a message that is neither otlp_proto nor otlp_json, and goes on', async () => {
    await produceRaw(topics.otlp, [{ key: 'k', value: Buffer.from([0xff, 0xff, 0xff, 0x01]) }]);
    const letters = await readTopic(topics.dlq, 2);
    expect(letters.map((l) => l.headers['x-dlq-reason'])).toContainEqual(
      expect.stringMatching(/^\(message\): neither otlp_json nor otlp_proto: /),
    );
    const provider = tracedService(new OtlpJsonExporter({ url: collector.endpoints.otlp_json }));
    copySpan(provider, 'after-garbage');
    await provider.forceFlush();
    await alertOn('after-garbage');
    await provider.shutdown();
  });

  it('a Python service traced with opentelemetry-sdk and its OTLP exporter: an alert with the span as its event and trace', async () => {
    const { traceId, spanId } = runPythonTracedService(
      collector.endpoints.otlp_proto,
      { service: 'py-backup', region: 'ap-southeast-1', provider: 'aws' },
      { copyTo: { namespace: `s3://${prefix}`, name: 'python-backup' } },
    );
    const [alert] = await alertOn('python-backup');
    // The profiles table may hold the label from earlier events of the shared graph: the span is the path's last hop.
    expect(alert?.eventIds.at(-1)).toBe(`otel-${traceId}-${spanId}`);
    expect(alert?.traceIds).toContain(traceId);
  });

  it("a database read by an engineer's console abroad, as standard instrumentation records it, is US data leaving", async () => {
    const service = `${prefix}-admin-console`;
    const { traceId, spanId } = runPythonTracedService(
      collector.endpoints.otlp_proto,
      { service, region: 'eu-west-2', provider: 'aws' },
      { dbRead: { host: consoleDb, database: 'users', table: 'profiles' } },
    );
    const [alert] = await waitFor(
      'the console read alert',
      () => Promise.resolve(reader.alerts.filter((a) => a.node.kind === 'actor' && a.node.service === service)),
      (l) => l.length > 0,
      60_000,
    );
    expect(alert).toMatchObject({
      status: 'open',
      node: { kind: 'actor', service, region: 'eu-west-2', provider: 'aws' },
      path: [
        { kind: 'dataset', namespace: `postgres://${consoleDb}:5432`, name: 'users.public.profiles' },
        { kind: 'actor', service },
      ],
      eventIds: [`otel-${traceId}-${spanId}`],
      traceIds: [traceId],
    });
  });
});
