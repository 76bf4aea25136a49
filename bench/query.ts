import { mkdirSync, writeFileSync } from 'node:fs';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { createNeo4jDriver } from '../src/adapters/neo4j/create-neo4j-driver.js';
import { RESIDENCY_TOTAL, residencyQuery } from '../src/adapters/neo4j/lineage-query-statements.js';
import { buildGraph, dataset, DOMAINS, EVENTS, graph, LAYERS, neo4jUri, PER_LAYER } from './support/query-graph.js';
import { percentile, startBenchTracker } from './support/tracker.js';

/**
 * `npm run bench:query`: query latency through the HTTP API on a graph of 1,000,000 events over
 * 100,000 datasets (bench/support/query-graph.ts: its shape, and how it is built and reused).
 */
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = (n: number) => Math.floor(random() * n);
const SAMPLES = Number(process.env.BENCH_QUERY_SAMPLES ?? 60);

/**
 * The cut residency listing's true total, both ways side by side on this graph, alternated: the
 * per-holding pass over every holding (what the total cost until December) and RESIDENCY_TOTAL
 * (the holdings' index count less the holdings a delete or a move left).
 */
async function compareResidencyTotals(): Promise<void> {
  const driver = createNeo4jDriver({ uri: neo4jUri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
  const params = { label: 'us-user-data', skew: 1000, asOf: null, exact: [], prefixes: [], services: [] };
  const rounds = Number(process.env.BENCH_QUERY_TOTAL_ROUNDS ?? 5);
  const ms = { pass: [] as number[], total: [] as number[] };
  const answers = new Set<number>();
  for (let round = 0; round <= rounds; round += 1) {
    for (const [key, cypher] of [
      ['pass', residencyQuery(false, 'count')],
      ['total', RESIDENCY_TOTAL],
    ] as const) {
      const started = performance.now();
      const { records } = await driver.executeQuery(cypher, params, { routing: 'READ' });
      if (round > 0) ms[key].push(performance.now() - started); // round 0 warms up
      answers.add(Number(records[0]?.get('total')));
    }
  }
  await driver.close();
  const [pass, total] = [percentile(ms.pass, 50), percentile(ms.total, 50)];
  process.stdout.write(
    `\nresidency total, alternated ${rounds} rounds: per-holding pass p50 ${pass.toFixed(0)} ms (${Math.min(...ms.pass).toFixed(0)}-${Math.max(...ms.pass).toFixed(0)}), ` +
      `index count less leavers p50 ${total.toFixed(0)} ms (${Math.min(...ms.total).toFixed(0)}-${Math.max(...ms.total).toFixed(0)}): ${(pass / total).toFixed(1)}x; ` +
      `same answer: ${answers.size === 1 ? 'yes' : `NO (${[...answers].join(', ')})`}\n`,
  );
}

async function time(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  return { ms: performance.now() - started, bytes: body.byteLength, status: response.status };
}

async function main(): Promise<void> {
  await buildGraph();
  const tracker = await startBenchTracker({
    BORDERLINE_EVENTS_TOPIC: `${graph}.events`,
    BORDERLINE_DLQ_TOPIC: `${graph}.dlq`,
    BORDERLINE_ALERTS_TOPIC: `${graph}.alerts`,
    BORDERLINE_GROUP_ID: `${graph}-query`,
  });
  const api = `http://127.0.0.1:${tracker.port}/api/v1`;
  const someDataset = (layer: number) => dataset(pick(DOMAINS), layer, pick(PER_LAYER));
  const cases: Array<{ name: string; url: () => string }> = [
    ...[5, 10].flatMap((depth) => [
      {
        name: `lineage downstream depth ${depth}`,
        url: () => {
          const d = someDataset(pick(3));
          return `${api}/lineage?${new URLSearchParams({ namespace: d.namespace, name: d.name, direction: 'downstream', depth: String(depth) }).toString()}`;
        },
      },
      {
        name: `lineage upstream depth ${depth}`,
        url: () => {
          const d = someDataset(LAYERS - 1 - pick(3));
          return `${api}/lineage?${new URLSearchParams({ namespace: d.namespace, name: d.name, direction: 'upstream', depth: String(depth) }).toString()}`;
        },
      },
    ]),
    {
      name: 'residency (one domain)',
      url: () =>
        `${api}/residency?${new URLSearchParams({ classification: 'us-user-data', namespace: `pg://${graph}-d${pick(DOMAINS)}` }).toString()}`,
    },
    { name: 'residency (first 1,000 places)', url: () => `${api}/residency?classification=us-user-data&limit=1000` },
    {
      name: 'paths (layer 0 to layer 9)',
      url: () => {
        const domain = pick(DOMAINS);
        const a = dataset(domain, 0, pick(PER_LAYER));
        const b = dataset(domain, LAYERS - 1, pick(PER_LAYER));
        return `${api}/paths?${new URLSearchParams({ fromNamespace: a.namespace, fromName: a.name, toNamespace: b.namespace, toName: b.name }).toString()}`;
      },
    },
  ];
  const rows: Array<{ query: string; percentile: string; ms: number }> = [];
  process.stdout.write(
    `\nbench:query — ${EVENTS.toLocaleString('en-US')} events over ${(DOMAINS * LAYERS * PER_LAYER).toLocaleString('en-US')} datasets, ${SAMPLES} samples per query (after 5 warm-up), through HTTP\n\n`,
  );
  process.stdout.write(
    `${'query'.padEnd(36)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}${'avg KB'.padStart(9)}  target\n`,
  );
  for (const c of cases) {
    for (let i = 0; i < 5; i += 1) await time(c.url());
    const samples = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const sample = await time(c.url());
      if (sample.status !== 200) throw new Error(`${c.name}: HTTP ${sample.status}`);
      samples.push(sample);
    }
    const ms = samples.map((s) => s.ms);
    const [p50, p95] = [percentile(ms, 50), percentile(ms, 95)];
    const target = c.name.includes('depth 5') ? 50 : c.name.includes('depth 10') ? 200 : undefined;
    const verdict = target === undefined ? '' : `p95 ≤ ${target} ms: ${p95 <= target ? 'met' : 'MISSED'}`;
    process.stdout.write(
      `${c.name.padEnd(36)}${p50.toFixed(1).padStart(9)}${p95.toFixed(1).padStart(9)}${Math.max(...ms)
        .toFixed(1)
        .padStart(9)}${(samples.reduce((a, s) => a + s.bytes, 0) / samples.length / 1024).toFixed(0).padStart(9)}  ${verdict}\n`,
    );
    rows.push({ query: c.name, percentile: 'p50', ms: p50 }, { query: c.name, percentile: 'p95', ms: p95 });
  }
  await tracker.stop();
  await compareResidencyTotals();
  mkdirSync('bench/results', { recursive: true });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Query latency through the API (${EVENTS.toLocaleString('en-US')} events, ${(DOMAINS * LAYERS * PER_LAYER).toLocaleString('en-US')} datasets)`,
    width: 560,
    height: 300,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: { field: 'query', type: 'nominal', title: null, sort: null, axis: { labelLimit: 320 } },
      x: { field: 'ms', type: 'quantitative', title: 'milliseconds' },
      yOffset: { field: 'percentile' },
      color: { field: 'percentile', type: 'nominal' },
    },
  };
  writeFileSync('bench/results/query-latency.svg', await new View(parse(compile(spec).spec), { renderer: 'none' }).toSVG());
  process.stdout.write('\nchart: bench/results/query-latency.svg\n');
}

await main();
