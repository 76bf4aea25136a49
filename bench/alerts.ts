import { writeFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { benchEvent } from './support/bench-events.js';
import { createProgress } from './support/progress.js';
import { renderLineChart } from './support/render-chart.js';
import { percentile, startBenchTracker } from './support/tracker.js';

/**
 * `npm run bench:alerts`:
 *  1. latency from producing a violating event to its alert on the alerts topic, while background
 *     events flow (and are evaluated) at each of BENCH_BACKGROUND_RATES events/s (0, 1,000 and
 *     2,000 — the target's — unless given); chart in bench/results/alert-latency.svg;
 *  2. ingest throughput with evaluation on (the example policy; one source in ten carries US data,
 *     which propagates) as a fraction of the rate with evaluation idle (a policy whose label no event
 *     carries).
 * BENCH_PARTS=latency or =throughput runs one of the two; BENCH_WARM_UP_MS (10,000) is how long the
 * background load runs before the first probe.
 */
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const probes = Number(process.env.BENCH_PROBES ?? 200);
const backgroundRates = (process.env.BENCH_BACKGROUND_RATES ?? '0,1000,2000').split(',').map(Number);
const throughputEvents = Number(process.env.BENCH_THROUGHPUT_EVENTS ?? 150_000);
const warmUpMs = Number(process.env.BENCH_WARM_UP_MS ?? 10_000);
const kafka = new Kafka({ clientId: 'bench-alerts', brokers, logLevel: logLevel.NOTHING });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = `alerts-${Date.now().toString(36)}`;

async function createTopics(names: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: 6 })), waitForLeaders: true });
  await admin.disconnect();
}

/** Probe latencies (ms) with `backgroundRate` background events/s, against a fresh tracker with its default settings. */
async function latency(backgroundRate: number): Promise<number[]> {
  const name = `${run}-${backgroundRate}`;
  const topic = `${name}.events`;
  const alertsTopic = `${name}.alerts`;
  await createTopics([topic, alertsTopic]);
  const tracker = await startBenchTracker({
    BORDERLINE_EVENTS_TOPIC: topic,
    BORDERLINE_ALERTS_TOPIC: alertsTopic,
    BORDERLINE_DLQ_TOPIC: `${run}.dlq`,
    BORDERLINE_GROUP_ID: name,
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const reader = kafka.consumer({ groupId: `${name}-reader`, maxWaitTimeInMs: 10 });
  await reader.connect();
  await reader.subscribe({ topic: alertsTopic, fromBeginning: true });
  await reader.run({
    eachMessage: ({ message }) => {
      const alert = JSON.parse(message.value?.toString() ?? '{}') as { node: { name?: string }; status: string };
      const started = alert.node.name ? sentAt.get(alert.node.name) : undefined;
      if (started !== undefined && alert.status === 'open') latencies.push(performance.now() - started);
      return Promise.resolve();
    },
  });
  await sleep(2000); // the reader joins its group

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let background = 0;
  let running = true;
  const backgroundLoop = (async () => {
    const started = performance.now();
    while (running) {
      const due = Math.floor(((performance.now() - started) / 1000) * backgroundRate);
      const messages = [];
      for (; background < due; background += 1) {
        const event = benchEvent(`${name}-bg`, background, 20_000);
        messages.push({ key: event.outputs?.[0]?.name ?? '', value: JSON.stringify(event) });
      }
      if (messages.length > 0) await producer.send({ topic, acks: -1, messages });
      await sleep(20);
    }
  })();
  // Steady state: the background load reaches its pace, and the tracker (a fresh process, its
  // connections and JIT cold) settles, before the first probe. The first probes after a start were
  // 150-230 ms where the rest took ~40 (README).
  await sleep(warmUpMs);

  const progress = createProgress(`alerts at ${backgroundRate.toLocaleString('en-US')} background events/s (probes answered)`, probes);
  for (let i = 0; i < probes; i += 1) {
    const probe = `probe-${i}`;
    const event = {
      specVersion: '1.0',
      eventId: `${name}-probe-${i}`,
      eventTime: new Date().toISOString(),
      operation: 'copy',
      inputs: [
        { namespace: `pg://${name}`, name: `users-${i}`, region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] },
      ],
      outputs: [{ namespace: `s3://${name}`, name: probe, region: 'ap-southeast-1', provider: 'aws' }],
    };
    sentAt.set(probe, performance.now());
    await producer.send({ topic, acks: -1, messages: [{ key: probe, value: JSON.stringify(event) }] });
    progress.update(latencies.length);
    await sleep(150);
  }
  const deadline = Date.now() + 60_000;
  while (latencies.length < probes && Date.now() < deadline) {
    progress.update(latencies.length);
    await sleep(100);
  }
  progress.done();
  running = false;
  await backgroundLoop;
  const writtenAtEnd = await tracker.written();
  console.log(
    `bench:alerts  background: ${background.toLocaleString('en-US')} events produced at ${backgroundRate.toLocaleString('en-US')}/s, ${writtenAtEnd.toLocaleString('en-US')} written by the end of the probes`,
  );
  await producer.disconnect();
  await reader.disconnect();
  await tracker.stop();
  return latencies;
}

/** Events/s for `throughputEvents` events produced at once, with a policy given as YAML. */
async function throughput(label: string, policyYaml: string): Promise<number> {
  const topic = `${run}.${label}.events`;
  await createTopics([topic]);
  const policy = `/tmp/${run}-${label}-policy.yaml`;
  writeFileSync(policy, policyYaml);
  const tracker = await startBenchTracker({
    BORDERLINE_POLICY: policy,
    BORDERLINE_EVENTS_TOPIC: topic,
    BORDERLINE_ALERTS_TOPIC: `${run}.${label}.alerts`,
    BORDERLINE_DLQ_TOPIC: `${run}.dlq`,
    BORDERLINE_GROUP_ID: `${run}-${label}`,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < throughputEvents; i += 2000) {
    const messages = Array.from({ length: Math.min(2000, throughputEvents - i) }, (_, j) => {
      const event = benchEvent(`${run}-${label}`, i + j, 100_000);
      return { key: event.outputs?.[0]?.name ?? '', value: JSON.stringify(event) };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  const progress = createProgress(`ingest, evaluation ${label}`, throughputEvents);
  for (let n = 0; n < throughputEvents; n = await tracker.written()) {
    progress.update(n);
    await sleep(500);
  }
  progress.done();
  const rate = throughputEvents / ((performance.now() - started) / 1000);
  await tracker.stop();
  return rate;
}

const parts = new Set((process.env.BENCH_PARTS ?? 'latency,throughput').split(','));
if (parts.has('latency')) {
  const rows: Array<Record<string, number | string>> = [];
  for (const rate of backgroundRates) {
    const measured = await latency(rate);
    console.log(
      `bench:alerts  violation -> alert on the topic, ${rate.toLocaleString('en-US')} background events/s, ${measured.length}/${probes} probes: p50 ${percentile(measured, 50).toFixed(0)} ms, p95 ${percentile(measured, 95).toFixed(0)} ms, p99 ${percentile(measured, 99).toFixed(0)} ms, max ${Math.max(...measured).toFixed(0)} ms${rate === 2000 ? ' (target p50 <= 50 ms, p99 <= 250 ms)' : ''}`,
    );
    for (const p of [50, 95, 99]) rows.push({ background: rate, latency: Math.round(percentile(measured, p)), percentile: `p${p}` });
  }
  await renderLineChart(
    'bench/results/alert-latency.svg',
    'Violation to alert on the topic, by background load',
    rows,
    { field: 'background', title: 'background events per second' },
    { field: 'latency', title: 'latency (ms)' },
    'percentile',
  );
  console.log('bench:alerts  chart: bench/results/alert-latency.svg');
}
if (parts.has('throughput')) {
  const on = await throughput(
    'on',
    'policies:\n  - { id: us, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }\n',
  );
  const idle = await throughput(
    'idle',
    'policies:\n  - { id: unused, classifications: [label-no-event-carries], severity: low, allowed: [{ countries: [US] }] }\n',
  );
  console.log(
    `bench:alerts  ingest with evaluation on: ${Math.round(on).toLocaleString('en-US')} events/s; idle: ${Math.round(idle).toLocaleString('en-US')} events/s; on/idle = ${Math.round((100 * on) / idle)}% (target >= 80%)`,
  );
}
