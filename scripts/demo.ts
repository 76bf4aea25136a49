/**
 * `npm run demo`: the whole story in two minutes. Brings up the local Kafka and Neo4j (deploy/local),
 * starts `borderline serve` with examples/policy.yaml, plays the estate of instrumented services,
 * prints each alert as it happens, then the residency summary, and leaves the web page up.
 *
 *   npm run demo                 # Ctrl-C stops the tracker (the infra stays up)
 *   npm run demo -- --once       # play the story, check its alerts, print the summary, exit 0 (CI)
 *   npm run demo -- --down       # also stop Kafka and Neo4j at the end
 *   npm run demo -- --with-collector   # the backup job and the admin console report through an
 *                                      # OpenTelemetry Collector (deploy/local) instead of the SDK
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import Table from 'cli-table3';
import pc from 'picocolors';
import { createKafkaClient } from '../src/adapters/kafka/create-kafka-client.js';
import { createLineageEmitter } from '../src/sdk/create-lineage-emitter.js';
import { ensureTopics } from '../src/adapters/kafka/ensure-topics.js';
import { createNeo4jDriver } from '../src/adapters/neo4j/create-neo4j-driver.js';
import { forgetNamespaces } from '../src/adapters/neo4j/forget-namespaces.js';
import { formatAlertLine } from '../src/cli/render-answer.js';
import { readServerSentEvents } from '../src/http/read-server-sent-events.js';
import { createLogger } from '../src/observability/create-logger.js';
import { Alert } from '../src/policy/alert.js';
import { nodeName } from '../src/lineage/name-node.js';
import { AlertsResponse, ResidencyAnswer } from '../src/api/api-schemas.js';
import { EXPECTED_ALERTS, OPENLINEAGE_JOB, SERVICES, STORY_NAMESPACES } from '../src/simulate/estate-story.js';
import { Estate } from '../src/simulate/estate.js';
import { SpanReporter } from '../src/simulate/span-reporter.js';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

const root = fileURLToPath(new URL('..', import.meta.url));
const options = new Command()
  .option('--once', 'play the story, check the expected alerts, print the summary and exit (0 when all is as expected)')
  .option('--down', 'stop the local Kafka and Neo4j at the end')
  .option('--port <port>', "port of the tracker's API and web page", process.env.PORT ?? '8080')
  .option('--pause <ms>', 'pause between story steps', '600')
  .option(
    '--with-collector',
    'the backup job and the admin console report through an OpenTelemetry Collector (deploy/local) instead of the SDK: spans with lineage attributes, and a plain database span',
  )
  .parse()
  .opts<{ once?: boolean; down?: boolean; port: string; pause: string; withCollector?: boolean }>();

// The local infrastructure's ports (deploy/local), unless the contract's variables say otherwise.
const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.BORDERLINE_KAFKA_PORT ?? '9092'}`).split(',');
const neo4jUri = process.env.NEO4J_URI ?? `bolt://127.0.0.1:${process.env.BORDERLINE_NEO4J_BOLT_PORT ?? '7687'}`;
const base = `http://127.0.0.1:${options.port}`;
const say = (text: string) => process.stdout.write(`${text}\n`);

async function portTaken(): Promise<boolean> {
  try {
    await fetch(`${base}/healthz`);
    return true;
  } catch {
    return false;
  }
}

say(
  pc.bold('Borderline demo') +
    " — US user data may live only in OCI's US regions; EU personal data only in the EU (examples/policy.yaml)\n",
);
if (!existsSync(`${root}dist/web/index.html`) || !existsSync(`${root}dist/cli/main.js`)) {
  say('building (npm run build) …');
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}
if (await portTaken()) {
  say(pc.red(`Something already answers on ${base}. Stop it (an earlier demo or npm start?) or use --port.`));
  process.exit(1);
}

say(pc.dim('1/4 starting Kafka and Neo4j (deploy/local; the first run downloads the jars) …'));
if (spawnSync('bash', [`${root}deploy/local/infra.sh`, 'up'], { stdio: 'inherit' }).status !== 0) process.exit(1);
// Services traced with OpenTelemetry export OTLP to the Collector, whose Kafka exporter writes otlp_spans.
const COLLECTOR_SERVICES: readonly string[] = [SERVICES.backup.name, SERVICES.adminConsole.name];
if (options.withCollector) {
  say(pc.dim('    … and the OpenTelemetry Collector (deploy/local/collector.sh; the first run builds it from the Go module proxy)'));
  if (spawnSync('bash', [`${root}deploy/local/collector.sh`, 'up'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}

// A clean slate: what an earlier run of the story left in the graph is forgotten (nothing else is).
const driver = createNeo4jDriver({ uri: neo4jUri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
await forgetNamespaces(driver, STORY_NAMESPACES, [SERVICES.adminConsole.name]).catch(() => undefined); // a first run has no schema yet
await driver.close();

say(pc.dim('2/4 starting the tracker (borderline serve) …'));
const tracker = spawn(process.execPath, [`${root}dist/cli/main.js`, 'serve'], {
  cwd: root,
  env: {
    ...process.env,
    KAFKA_BROKERS: brokers.join(','),
    NEO4J_URI: neo4jUri,
    BORDERLINE_POLICY: process.env.BORDERLINE_POLICY ?? 'examples/policy.yaml',
    BORDERLINE_OPENLINEAGE_TOPIC: process.env.BORDERLINE_OPENLINEAGE_TOPIC ?? 'openlineage.events',
    ...(options.withCollector ? { BORDERLINE_OTLP_TOPIC: 'otlp_spans', BORDERLINE_OTLP_DB_READS: 'true' } : {}),
    PORT: options.port,
    BORDERLINE_LOG_LEVEL: 'error',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let trackerExited = false;
tracker.on('exit', (code) => {
  trackerExited = true;
  if (!stopping) {
    say(pc.red(`the tracker exited (${String(code)})`));
    process.exit(1);
  }
});
let stopping = false;
for (let i = 0; ; i += 1) {
  const ok = await fetch(`${base}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (i > 240) throw new Error('the tracker did not become healthy in 2 minutes');
  await new Promise((r) => setTimeout(r, 500));
}

// Alerts as they are published: the API's live stream.
const received = new Map<string, Alert>();
const stream = new AbortController();
const streaming = (async () => {
  const response = await fetch(`${base}/api/v1/alerts/stream`, { signal: stream.signal });
  let ready: (() => void) | undefined;
  const isReady = new Promise<void>((r) => (ready = r));
  void readServerSentEvents(response.body!, (event, data) => {
    if (event === 'ready') ready?.();
    if (event === 'alert' && data) {
      const alert = Alert.parse(JSON.parse(data));
      received.set(`${alert.alertId}/${alert.status}`, alert);
      say(`  ${pc.red('ALERT')} ${formatAlertLine(alert)}`);
    }
  }).catch(() => undefined);
  return isReady;
})();
await streaming; // resolves once the stream says it is following the alerts

say(pc.dim('3/4 the estate plays the story: instrumented services (SDK + OpenTelemetry), then a job that speaks OpenLineage …\n'));
const kafka = createKafkaClient({ brokers, clientId: 'borderline-demo', ssl: false }, createLogger('warn'));
await ensureTopics(kafka, ['lineage.events'], 6);
const viaCollector = (service: string) => options.withCollector === true && COLLECTOR_SERVICES.includes(service);
const estate = Estate.start((resource) =>
  viaCollector(String(resource.attributes['service.name']))
    ? new SpanReporter(resource.attributes, new OTLPTraceExporter({ url: 'http://127.0.0.1:4318/v1/traces' }))
    : createLineageEmitter({ kafka, topic: process.env.BORDERLINE_EVENTS_TOPIC ?? 'lineage.events', resource }),
);
await estate.playStory((step, event) => {
  const how = viaCollector(SERVICES[step.service].name)
    ? event.operation === 'access'
      ? 'a database span through the Collector, '
      : 'a span through the Collector, '
    : '';
  say(
    `${pc.cyan(`▸ ${SERVICES[step.service].name}`)} ${step.narration} ${pc.dim(`(${how}${event.operation} ${event.eventId.slice(0, 8)}…, trace ${event.trace?.traceId.slice(0, 8) ?? '-'}…)`)}`,
  );
}, Number(options.pause));
await estate.stop();
// A data platform's job reports OpenLineage over HTTP, as Airflow does with OPENLINEAGE_URL=<the tracker>.
for (const runEvent of OPENLINEAGE_JOB.runEvents(randomUUID(), new Date())) {
  const posted = await fetch(`${base}/api/v1/lineage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(runEvent),
  });
  if (posted.status !== 201) throw new Error(`POST /api/v1/lineage answered ${posted.status}: ${await posted.text()}`);
}
say(
  `${pc.cyan(`▸ ${OPENLINEAGE_JOB.name}`)} ${OPENLINEAGE_JOB.narration} ${pc.dim('(OpenLineage START + COMPLETE, POST /api/v1/lineage)')}`,
);

// Wait until the story's alerts have reached their final states (the tracker works asynchronously).
const current = async () => AlertsResponse.parse(await (await fetch(`${base}/api/v1/alerts?limit=10000`)).json()).alerts;
const missing = (alerts: Alert[]) =>
  EXPECTED_ALERTS.filter((e) => !alerts.some((a) => a.policyId === e.policyId && nodeName(a.node) === e.node && a.status === e.status));
let finalAlerts = await current();
for (let i = 0; missing(finalAlerts).length > 0 && i < 120; i += 1) {
  await new Promise((r) => setTimeout(r, 500));
  finalAlerts = await current();
}

say(pc.dim('\n4/4 where the protected data lives now (GET /api/v1/residency)'));
const storyScope = new URLSearchParams({
  namespace: STORY_NAMESPACES.join(','),
  service: Object.values(SERVICES)
    .map((s) => s.name)
    .join(','),
});
for (const classification of ['us-user-data', 'eu-personal-data']) {
  // The graph may hold more than the story (tests, other services): the summary shows the story's places.
  const answer = ResidencyAnswer.parse(
    await (await fetch(`${base}/api/v1/residency?classification=${classification}&${storyScope.toString()}`)).json(),
  );
  const table = new Table({ head: ['place', 'where', 'approved', 'since'].map((h) => pc.bold(h)), style: { head: [], border: [] } });
  for (const h of answer.holdings) {
    table.push([
      h.node.kind === 'dataset' ? `${h.node.namespace} ${h.node.name}` : `${h.node.service} (reader)`,
      `${h.node.provider ?? ''} ${h.node.region ?? ''}${h.country ? ` (${h.country})` : ''}`,
      h.approved ? pc.green('yes') : pc.red('no'),
      h.since,
    ]);
  }
  say(`${pc.bold(classification)}\n${table.toString()}`);
}
const storyAlerts = finalAlerts.filter((a) =>
  a.node.kind === 'dataset' ? STORY_NAMESPACES.includes(a.node.namespace) : a.node.service === SERVICES.adminConsole.name,
);
const open = storyAlerts.filter((a) => a.status === 'open').length;
say(
  `\nthe story's alerts: ${pc.red(`${open} open`)}, ${pc.green(`${storyAlerts.length - open} remediated`)} (the Virginia and Singapore copies were deleted by the migration)`,
);

const problems = missing(finalAlerts);
if (problems.length > 0) say(pc.red(`not as expected: ${problems.map((p) => `${p.node} should be ${p.status}`).join('; ')}`));
else say(pc.green('the story ended as expected: every expected alert raised, Virginia and Singapore remediated'));

async function shutdown(code: number): Promise<never> {
  stopping = true;
  stream.abort();
  if (!trackerExited) {
    const exited = new Promise((r) => tracker.once('exit', r));
    tracker.kill('SIGTERM');
    await exited;
  }
  if (options.withCollector) spawnSync('bash', [`${root}deploy/local/collector.sh`, 'down'], { stdio: 'inherit' });
  if (options.down) spawnSync('bash', [`${root}deploy/local/infra.sh`, 'down'], { stdio: 'inherit' });
  process.exit(code);
}

if (options.once) await shutdown(problems.length > 0 ? 1 : 0);
say(
  `\n${pc.bold('Web page:')} ${base}/   ·   audit report: ${base}/api/v1/report?format=html   ·   Ctrl-C to stop${options.down ? ' (and the infra)' : ' (the infra stays up; npm run infra:down stops it)'}`,
);
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
