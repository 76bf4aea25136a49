import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testKafkaBrokers } from './infra-endpoints.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const infraDir = process.env.BORDERLINE_INFRA_DIR ?? `${root}.infra`;

/** One message as a non-Node producer sends it. */
export interface PlainMessage {
  key: string | null;
  value: string | null;
  headers?: Record<string, string>;
}

function run(command: string, args: string[], input: string, what: string): string {
  const result = spawnSync(command, args, { cwd: root, input, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${String(result.status)}): ${result.error?.message ?? ''}\n${result.stderr}`);
  return result.stdout;
}

/** deploy/local's Python environment (made on first use): the python that has the real clients. */
export function pythonClients(): string {
  return run('bash', ['deploy/local/python-env.sh'], '', 'deploy/local/python-env.sh').trim();
}

/** Produces with librdkafka through confluent-kafka for Python, `compression.type` as given. */
export function produceWithLibrdkafka(topic: string, compression: string, messages: PlainMessage[]): void {
  const ndjson = messages.map((m) => JSON.stringify(m)).join('\n');
  run(
    pythonClients(),
    ['test/clients/python/produce_events.py', testKafkaBrokers.join(','), topic, compression],
    ndjson,
    'confluent-kafka producer',
  );
}

const javaClasspath = `${infraDir}/kafka-lib/*`;

/**
 * Produces with Kafka's own Java producer (kafka-console-producer, from the kafka-tools jar that
 * deploy/local fetched), `compression.type` as given; keys and headers parsed from each line.
 */
export function produceWithJava(topic: string, compression: string, messages: PlainMessage[]): void {
  const lines = messages.map((m) => {
    const headers = Object.entries(m.headers ?? {})
      .map(([k, v]) => `${k}:${v}`)
      .join(',');
    // kafka-console-producer reads "headers<TAB>key<TAB>value"; "[null]" is its null marker.
    return [headers || '[null]', m.key ?? '[null]', m.value ?? '[null]'].join('\t');
  });
  run(
    'java',
    [
      '-cp',
      javaClasspath,
      '-Dlog4j2.configurationFile=deploy/local/kafka/tools-log4j2.properties',
      'org.apache.kafka.tools.ConsoleProducer',
      '--bootstrap-server',
      testKafkaBrokers.join(','),
      '--topic',
      topic,
      '--compression-codec',
      compression,
      '--producer-property',
      'linger.ms=20',
      '--property',
      'parse.key=true',
      '--property',
      'parse.headers=true',
      '--property',
      'null.marker=[null]',
    ],
    `${lines.join('\n')}\n`,
    'kafka-console-producer',
  );
}

/** Reads `count` values from the beginning of a topic with Kafka's own Java consumer (kafka-console-consumer). */
export function consumeWithJava(topic: string, count: number): string[] {
  const out = run(
    'java',
    [
      '-cp',
      javaClasspath,
      '-Dlog4j2.configurationFile=deploy/local/kafka/tools-log4j2.properties',
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server',
      testKafkaBrokers.join(','),
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      String(count),
      '--timeout-ms',
      '30000',
    ],
    '',
    'kafka-console-consumer',
  );
  return out.split('\n').filter((line) => line.length > 0);
}

/** One OpenLineage run as test/clients/python/emit_openlineage.py takes it. */
export interface OpenLineageRunSpec {
  eventType: 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT' | 'OTHER';
  eventTime: string;
  runId: string;
  job: { namespace: string; name: string };
  inputs?: Array<{ namespace: string; name: string; classification?: string; location?: { provider?: string; region: string } }>;
  outputs?: Array<{ namespace: string; name: string; classification?: string; location?: { provider?: string; region: string } }>;
}

/** Emits RunEvents with the real openlineage-python client, through its Kafka transport or its HTTP transport (as to Marquez). */
export function emitOpenLineage(transport: { kafkaTopic: string } | { url: string; apiKey?: string }, runs: OpenLineageRunSpec[]): void {
  const args =
    'kafkaTopic' in transport
      ? ['kafka', testKafkaBrokers.join(','), transport.kafkaTopic]
      : ['http', transport.url, ...(transport.apiKey ? [transport.apiKey] : [])];
  run(pythonClients(), ['test/clients/python/emit_openlineage.py', ...args], JSON.stringify(runs), 'openlineage-python client');
}

/** Runs test/clients/python/traced_service.py (opentelemetry-sdk, OTLP/HTTP exporter) and returns the ids of the span it ended. */
export function runPythonTracedService(
  url: string,
  resource: { service: string; region: string; provider: string },
  action: { copyTo: { namespace: string; name: string } } | { dbRead: { host: string; database: string; table: string } },
): { traceId: string; spanId: string } {
  const args =
    'copyTo' in action
      ? [action.copyTo.namespace, action.copyTo.name]
      : ['--db-read', action.dbRead.host, action.dbRead.database, action.dbRead.table];
  const out = run(
    pythonClients(),
    ['test/clients/python/traced_service.py', url, resource.service, resource.region, resource.provider, ...args],
    '',
    'Python traced service',
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { traceId: string; spanId: string };
}
