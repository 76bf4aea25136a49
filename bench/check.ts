// bench:check — the lineage rules evaluated in process (the in-memory graph of `borderline check`):
// events/s on the acceptance-style random workload (shuffled, about one event in ten delivered twice,
// labels asserted on one dataset reference in eight), and the memory it takes. The events go through an
// NDJSON file and are read back as `check` reads its files (also timed).
// BENCH_CHECK_EVENTS (default 1,000,000), BENCH_CHECK_DATASETS (default 50,000), BENCH_CHECK_CHUNK
// (events per write, default 10,000), BENCH_CHECK_ROUNDS (default 1: rounds of ceiling, delivery order and
// check, one after the other, each figure printed as its spread). Prints figures; draws bench/results/check-rate.svg.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLineageGraph } from '../src/adapters/memory/in-memory-lineage-graph.js';
import { checkEvents } from '../src/check/check-events.js';
import { readEventFiles } from '../src/check/read-event-files.js';
import type { DataMovementEvent } from '../src/events/data-movement-event.js';
import { parsePolicyFile } from '../src/policy/load-policy-file.js';
import { PolicyIndex } from '../src/policy/policy-index.js';
import { generateWorkload, RANDOM_POLICY, shuffleWithDuplicates } from '../test/support/random-workload.js';
import { createProgress } from './support/progress.js';
import { renderLineChart } from './support/render-chart.js';

const count = Number(process.env.BENCH_CHECK_EVENTS ?? 1_000_000);
const datasets = Number(process.env.BENCH_CHECK_DATASETS ?? 50_000);
const chunk = Number(process.env.BENCH_CHECK_CHUNK ?? 10_000);
const roundCount = Number(process.env.BENCH_CHECK_ROUNDS ?? 1);
const policies = new PolicyIndex(parsePolicyFile(RANDOM_POLICY));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

process.stderr.write(`generating ${count.toLocaleString('en-US')} events over ${datasets.toLocaleString('en-US')} datasets…\n`);
// Through an NDJSON file, read as `check` reads its files (line by line, each event validated: the
// objects the rules run on are the schema's, not JSON.parse's).
const dir = mkdtempSync(join(tmpdir(), 'borderline-bench-check-'));
const file = join(dir, 'estate.ndjson');
const bytes = writeNdjson(file, shuffleWithDuplicates(generateWorkload('bench', 42, count, datasets), 43));
gc();
const reading = createProgress('reading the file', bytes);
const readStarted = performance.now();
const read = readEventFiles([file], policies.knownLabels, { onProgress: (_, done) => reading.update(done) });
const readSeconds = (performance.now() - readStarted) / 1000;
reading.done();
rmSync(dir, { recursive: true, force: true });
if (read.problems.length > 0) throw new Error(`the workload does not validate: ${read.problems.slice(0, 3).join('; ')}`);
const delivered = read.events;
gc();
const baseline = process.memoryUsage();
process.stderr.write(`the workload holds ${mb(baseline.heapUsed)} of heap\n`);

/** Writes events as NDJSON, a batch of lines at a time; returns the bytes written. */
function writeNdjson(path: string, events: readonly DataMovementEvent[]): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (let i = 0; i < events.length; i += 10_000)
      written += writeSync(
        fd,
        `${events
          .slice(i, i + 10_000)
          .map((e) => JSON.stringify(e))
          .join('\n')}\n`,
      );
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Writes the delivered events `chunk` at a time straight into the graph (as `check` does), as a consumer hands batches over; samples the rate. */
async function evaluateDelivered(events: readonly DataMovementEvent[]) {
  const graph = new InMemoryLineageGraph(policies);
  const claimant = { id: 'bench', outbox: 'bench' };
  const samples: Array<Record<string, number | string>> = [];
  const progress = createProgress('delivery order', events.length);
  let alerts = 0;
  const started = performance.now();
  let peakRss = 0;
  for (let i = 0; i < events.length; i += chunk) {
    const { claimed } = graph.writeEvents(events.slice(i, i + chunk), [], claimant);
    alerts += claimed.reduce((n, c) => n + c.messages.length, 0);
    await graph.markAlertsPublished(
      claimant,
      claimed.map((c) => ({ alertId: c.alertId, statuses: c.messages.map((m) => m.status) })),
    );
    const done = Math.min(i + chunk, events.length);
    const seconds = (performance.now() - started) / 1000;
    samples.push({ events: done, rate: Math.round(done / seconds), order: 'delivery order (shuffled, duplicates)' });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    progress.update(done);
  }
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  return { seconds, alerts, samples, peakRss, graph };
}

/**
 * The least any engine holding events as objects does with them, side by side on the same events:
 * read each one, look its id up in (and add it to) a table of events, look up each dataset it names
 * in a table of datasets, and append one movement. No plan, no propagation, no alerts: the ceiling
 * of this representation on this machine (what a faster engine would have to lay out differently).
 */
function touchEach(events: readonly DataMovementEvent[]): number {
  const started = performance.now();
  const seen = new Map<string, DataMovementEvent>();
  const byNamespace = new Map<string, Map<string, { out: number[] }>>();
  const touch = (namespace: string, name: string) => {
    let byName = byNamespace.get(namespace);
    if (!byName) byNamespace.set(namespace, (byName = new Map<string, { out: number[] }>()));
    let node = byName.get(name);
    if (!node) byName.set(name, (node = { out: [] }));
    return node;
  };
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.set(event.eventId, event);
    const timeMs = Date.parse(event.eventTime);
    for (const ref of event.inputs) touch(ref.namespace, ref.name).out.push(timeMs);
    for (const ref of event.outputs ?? []) touch(ref.namespace, ref.name);
  }
  return (performance.now() - started) / 1000;
}

/** One round side by side on the same events: the ceiling, delivery order, then `check` (time order). */
async function runRound() {
  process.stderr.write('the ceiling: each event touched once…\n');
  const touchSeconds = touchEach(delivered);
  gc();
  const inOrder = await evaluateDelivered(delivered);
  const holdings = [...inOrder.graph.memory.nodes.values()].reduce((n, node) => n + (node.held?.size ?? 0), 0);
  const nodes = inOrder.graph.memory.nodes.size;
  const records = (await inOrder.graph.queries.alerts({ offset: 0, limit: 1 })).total;
  gc();
  gc();
  const withGraph = process.memoryUsage().heapUsed;
  inOrder.graph = undefined as never;
  gc();
  gc();
  const graphHeld = withGraph - process.memoryUsage().heapUsed;
  process.stderr.write('borderline check (time order)…\n');
  const checkStarted = performance.now();
  const checked = await checkEvents(delivered, [], policies, { chunk });
  const checkSeconds = (performance.now() - checkStarted) / 1000;
  gc();
  return { touchSeconds, inOrder, holdings, nodes, records, graphHeld, checkSeconds, checkedAlerts: checked.alerts.length };
}

const rounds: Array<Awaited<ReturnType<typeof runRound>>> = [];
for (let r = 1; r <= roundCount; r++) {
  if (roundCount > 1) process.stderr.write(`round ${r} of ${roundCount}\n`);
  rounds.push(await runRound());
}
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
/** A figure over the rounds: the one value, or the spread of events/s (lowest–highest) with the rounds' seconds. */
const spread = (seconds: number[]) => {
  const low = Math.max(...seconds);
  const high = Math.min(...seconds);
  return seconds.length === 1
    ? `${low.toFixed(2)} s  ${rate(delivered.length, low)} events/s`
    : `${rate(delivered.length, low)}–${rate(delivered.length, high)} events/s over ${seconds.length} rounds (${seconds.map((x) => x.toFixed(2)).join(', ')} s)`;
};
const last = rounds.at(-1)!;
const { inOrder, holdings, nodes, records, graphHeld } = last;
console.log(
  `bench:check — ${delivered.length.toLocaleString('en-US')} events delivered (${count.toLocaleString('en-US')} distinct, shuffled, ~10% twice) over ${datasets.toLocaleString('en-US')} datasets, ${chunk.toLocaleString('en-US')} events per write`,
);
console.log(
  `  graph: ${nodes.toLocaleString('en-US')} nodes, ${holdings.toLocaleString('en-US')} label holdings, ${records.toLocaleString('en-US')} alerts (${inOrder.alerts.toLocaleString('en-US')} states published)`,
);
console.log(`  delivery order:   ${spread(rounds.map((r) => r.inOrder.seconds))}   (goal ≥ 200,000)`);
console.log(
  `  check, time order: ${spread(rounds.map((r) => r.checkSeconds))}   (${last.checkedAlerts.toLocaleString('en-US')} alerts; same verdicts: ${rounds.every((r) => r.checkedAlerts === r.records)})`,
);
console.log(
  `  reading the file: ${readSeconds.toFixed(2)} s  ${rate(delivered.length, readSeconds)} events/s   (${mb(bytes)} of NDJSON, each line parsed and validated, once; check in all, reading and time order: ${rate(delivered.length, readSeconds + last.checkSeconds)} events/s)`,
);
console.log(`  ceiling, each event touched once (event and dataset tables alone): ${spread(rounds.map((r) => r.touchSeconds))}`);
console.log(
  `  memory: the graph holds ${mb(graphHeld)} of heap${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for an exact figure)'}; peak RSS ${mb(Math.max(...rounds.map((r) => r.inOrder.peakRss)))} (the workload itself: ${mb(baseline.heapUsed)} of heap)`,
);
await renderLineChart(
  'bench/results/check-rate.svg',
  'borderline check: events evaluated per second, cumulative',
  inOrder.samples,
  { field: 'events', title: 'events evaluated' },
  { field: 'rate', title: 'events per second' },
  'order',
);
console.log('  chart: bench/results/check-rate.svg');
