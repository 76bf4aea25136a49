import { mkdirSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import neo4j from 'neo4j-driver';
import { Neo4jGraphStore } from '../src/adapters/neo4j/neo4j-graph-store.js';
import { planGraphWrite } from '../src/lineage/plan-graph-write.js';
import { OtlpDecoder } from '../src/adapters/otlp/otlp-decoder.js';
import { removeBenchData } from './support/clean-up.js';
import { benchEvent, benchRunEvent, benchSpanBatch } from './support/bench-events.js';
import { createProgress } from './support/progress.js';
import { renderLineChart } from './support/render-chart.js';
import { startBenchTracker } from './support/tracker.js';

/**
 * `npm run bench:ingest`: end to end (first produce -> every event committed in Neo4j) through a
 * real `borderline serve` process, then the ceiling (the same writes straight into Neo4j, no Kafka,
 * no validation) and a naive baseline (one transaction per event). Figures on stdout, a rate chart
 * in bench/results/ingest-rate.svg.
 */
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const neo4jUri = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687';
const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const datasets = Number(process.env.BENCH_DATASETS ?? 100_000);
const ceilingEvents = Math.min(total, Number(process.env.BENCH_CEILING_EVENTS ?? 200_000));
const naiveEvents = Number(process.env.BENCH_NAIVE_EVENTS ?? 3_000);
const compareEvents = Number(process.env.BENCH_COMPARE_EVENTS ?? 100_000);
const prefix = `bench-${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One end-to-end run: `events` messages produced, as native events or as OpenLineage RunEvents of the
 * same workload (on the tracker's OpenLineage topic), timed until the tracker has written them all.
 */
type Format = 'native' | 'openlineage' | 'otlp';
/** Spans per Kafka record on the OTLP path: one exported batch, as the Collector's batch processor makes them. */
const SPANS_PER_BATCH = 200;

async function endToEnd(
  events = total,
  format: Format = 'native',
  run = prefix,
): Promise<{ seconds: number; series: Array<{ t: number; written: number }>; peakRssMb: number }> {
  const kafka = new Kafka({ clientId: 'bench-ingest', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `${run}.${format === 'native' ? 'events' : format}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const inputVariable = { native: 'BORDERLINE_EVENTS_TOPIC', openlineage: 'BORDERLINE_OPENLINEAGE_TOPIC', otlp: 'BORDERLINE_OTLP_TOPIC' }[
    format
  ];
  const inputs: Record<string, string> = { BORDERLINE_EVENTS_TOPIC: `${run}.events`, [inputVariable]: topic };
  const tracker = await startBenchTracker({
    ...inputs,
    BORDERLINE_DLQ_TOPIC: `${run}.dlq`,
    BORDERLINE_ALERTS_TOPIC: `${run}.alerts`,
    BORDERLINE_GROUP_ID: run,
  });
  const written = () => tracker.written();

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  const series: Array<{ t: number; written: number }> = [{ t: 0, written: 0 }];
  let peakRssKb = 0;
  const progress = createProgress(`ingest of ${format} events (written to Neo4j)`, events);
  const sampler = setInterval(() => {
    void written().then((n) => {
      series.push({ t: (Date.now() - started) / 1000, written: n });
      progress.update(n);
    });
    peakRssKb = Math.max(peakRssKb, tracker.rssKb('VmRSS'));
  }, 1000);
  for (let i = 0; i < events; i += 2000) {
    const messages = [];
    if (format === 'otlp') {
      for (let j = i; j < Math.min(i + 2000, events); j += SPANS_PER_BATCH)
        messages.push({ key: null, value: Buffer.from(benchSpanBatch(run, j, Math.min(SPANS_PER_BATCH, events - j), datasets)) });
      await producer.send({ topic, acks: -1, messages });
      continue;
    }
    for (let j = i; j < Math.min(i + 2000, events); j += 1) {
      const event = benchEvent(run, j, datasets);
      const value = format === 'native' ? event : benchRunEvent(run, j, datasets);
      messages.push({ key: `${event.outputs?.[0]?.namespace}/${event.outputs?.[0]?.name}`, value: JSON.stringify(value) });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  while ((await written()) < events) await sleep(100);
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  series.push({ t: seconds, written: events });
  progress.done();
  const hwm = tracker.rssKb('VmHWM');
  await tracker.stop();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return { seconds, series, peakRssMb: Math.round(Math.max(peakRssKb, hwm) / 1024) };
}

async function ceiling(): Promise<number> {
  const store = Neo4jGraphStore.fromConfig({
    uri: neo4jUri,
    user: process.env.NEO4J_USER ?? 'neo4j',
    password: process.env.NEO4J_PASSWORD ?? '',
  });
  const run = `${prefix}-ceiling`;
  const started = Date.now();
  for (let i = 0; i < ceilingEvents; i += 2000) {
    const events = Array.from({ length: Math.min(2000, ceilingEvents - i) }, (_, j) => benchEvent(run, i + j, datasets));
    await store.write(planGraphWrite(events), { id: `bench-${run}`, outbox: `${run}.alerts` });
  }
  const rate = ceilingEvents / ((Date.now() - started) / 1000);
  await store.close();
  return rate;
}

async function naive(): Promise<number> {
  const driver = neo4j.driver(neo4jUri, neo4j.auth.basic(process.env.NEO4J_USER ?? 'neo4j', process.env.NEO4J_PASSWORD ?? ''));
  const run = `${prefix}-naive`;
  const started = Date.now();
  for (let i = 0; i < naiveEvents; i += 1) {
    const e = benchEvent(run, i, datasets);
    await driver.executeQuery(
      `MERGE (a:Dataset {namespace: $ns, name: $from}) MERGE (b:Dataset {namespace: $ns, name: $to})
       MERGE (ev:Event {eventId: $id}) ON CREATE SET ev.operation = 'copy', ev.timeMs = $t
       MERGE (a)-[r:FLOWS_TO {eventId: $id}]->(b) ON CREATE SET r.timeMs = $t`,
      { ns: e.inputs[0]?.namespace, from: e.inputs[0]?.name, to: e.outputs?.[0]?.name, id: e.eventId, t: Date.parse(e.eventTime) },
    );
  }
  const rate = naiveEvents / ((Date.now() - started) / 1000);
  await driver.close();
  return rate;
}

/** Events/s between the samples where `written` crossed `from` and `to`. */
function rateBetween(series: Array<{ t: number; written: number }>, from: number, to: number): number {
  const a = series.find((s) => s.written >= from) ?? series[0]!;
  const b = series.find((s) => s.written >= to) ?? series[series.length - 1]!;
  return (b.written - a.written) / Math.max(b.t - a.t, 0.001);
}

const e2e = await endToEnd();
const rate = total / e2e.seconds;
const tenth = Math.floor(total / 10);
const first = rateBetween(e2e.series, 0, tenth);
const last = rateBetween(e2e.series, total - tenth, total);
console.log(
  `bench:ingest  ${total.toLocaleString('en-US')} events over ${datasets.toLocaleString('en-US')} datasets, end to end in ${e2e.seconds.toFixed(1)} s`,
);
console.log(`bench:ingest  end-to-end rate ${Math.round(rate).toLocaleString('en-US')} events/s (target >= 20,000)`);
console.log(
  `bench:ingest  first 10%: ${Math.round(first).toLocaleString('en-US')} events/s, last 10%: ${Math.round(last).toLocaleString('en-US')} events/s (${((100 * last) / first - 100).toFixed(0)}%; target within ±20%)`,
);
console.log(`bench:ingest  consumer peak RSS ${e2e.peakRssMb} MB (target <= 300 MB)`);
const ceilingRate = await ceiling();
console.log(
  `bench:ingest  ceiling (plain UNWIND batches of 2,000 straight into Neo4j, ${ceilingEvents.toLocaleString('en-US')} events): ${Math.round(ceilingRate).toLocaleString('en-US')} events/s; end to end reaches ${Math.round((100 * rate) / ceilingRate)}% of it`,
);
const naiveRate = await naive();
console.log(
  `bench:ingest  naive baseline (one transaction per event, ${naiveEvents.toLocaleString('en-US')} events): ${Math.round(naiveRate).toLocaleString('en-US')} events/s`,
);

// Native events and OpenLineage RunEvents of the same workload, side by side in this run (each on a graph of its own prefix).
// Alternated over BENCH_COMPARE_ROUNDS rounds, so that a stall of the shared machine does not land on one side only.
const compared: Record<Format, number[]> = { native: [], openlineage: [], otlp: [] };
const formats = (process.env.BENCH_COMPARE_FORMATS ?? 'native,openlineage,otlp').split(',') as Format[];
const perSecond = (rate: number | undefined) => (rate === undefined ? '-' : Math.round(rate).toLocaleString('en-US'));
for (let round = 0; round < Number(process.env.BENCH_COMPARE_ROUNDS ?? 2); round += 1) {
  for (const format of formats) {
    const run = await endToEnd(compareEvents, format, `${prefix}-${format}-${round}`);
    compared[format].push(compareEvents / run.seconds);
  }
  const [n, o, t] = [compared.native[round], compared.openlineage[round], compared.otlp[round]];
  const share = (rate: number | undefined) =>
    rate === undefined || n === undefined ? '' : ` (${Math.round((100 * rate) / n)}% of native; goal >= 90%)`;
  console.log(
    `bench:ingest  same workload, round ${round + 1}, ${compareEvents.toLocaleString('en-US')} events each: native ${perSecond(n)} events/s, OpenLineage ${perSecond(o)} events/s${share(o)}, OTLP spans ${perSecond(t)} events/s${share(t)}`,
  );
}
// Decoding alone, in this process: spans/s the OTLP decoder turns into events.
const batches = Array.from({ length: 50 }, (_, b) =>
  Buffer.from(benchSpanBatch(`${prefix}-decode`, b * SPANS_PER_BATCH, SPANS_PER_BATCH, datasets)),
);
const decoder = new OtlpDecoder();
const decodeRates: number[] = [];
for (let pass = 0; pass < 5; pass += 1) {
  const decodeStarted = performance.now();
  for (const value of batches) decoder.decode({ topic: 't', partition: 0, offset: '0', key: null, value, headers: {} });
  decodeRates.push((batches.length * SPANS_PER_BATCH) / ((performance.now() - decodeStarted) / 1000));
}
console.log(
  `bench:ingest  OTLP decode alone: ${decodeRates.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')} spans/s over five passes (the first cold; otlp_proto, ${SPANS_PER_BATCH} lineage spans a record)`,
);

mkdirSync('bench/results', { recursive: true });
const perSecondRows = e2e.series.slice(1).map((s, i) => ({
  seconds: s.t,
  rate: (s.written - e2e.series[i]!.written) / Math.max(s.t - e2e.series[i]!.t, 0.001),
  series: 'per second',
}));
// Writes land in whole transactions, so per-second samples jump; the moving average shows the trend.
const averaged = e2e.series
  .filter((s) => s.t >= 10)
  .map((s) => {
    const before = e2e.series.find((p) => p.t >= s.t - 10)!;
    return { seconds: s.t, rate: (s.written - before.written) / Math.max(s.t - before.t, 0.001), series: '10 s moving average' };
  });
const rows = [...perSecondRows, ...averaged];
writeFileSync(
  'bench/results/ingest.json',
  JSON.stringify(
    {
      total,
      datasets,
      seconds: e2e.seconds,
      rate,
      first,
      last,
      peakRssMb: e2e.peakRssMb,
      ceilingRate,
      naiveRate,
      compared,
      series: e2e.series,
    },
    null,
    2,
  ),
);
await renderLineChart(
  'bench/results/ingest-rate.svg',
  `Ingest rate, ${total.toLocaleString('en-US')} events (Kafka -> Neo4j)`,
  rows,
  { field: 'seconds', title: 'seconds since first produce' },
  { field: 'rate', title: 'events written per second' },
  'series',
);
console.log('bench:ingest  chart: bench/results/ingest-rate.svg');
await removeBenchData({ eventIdPrefix: prefix, producerPrefix: `bench-${prefix}`, namespacePrefix: `pg://${prefix}` });
