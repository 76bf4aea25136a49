import { createNeo4jDriver } from '../../src/adapters/neo4j/create-neo4j-driver.js';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store.js';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { planGraphWrite } from '../../src/lineage/plan-graph-write.js';
import { loadPolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import { createProgress } from './progress.js';

/**
 * The graph bench:query and bench:policy measure: 1,000,000 events over 100,000 datasets with the
 * shape of real lineage. 100 domains (teams), each a pipeline of 10 layers of 100 datasets; every
 * event copies a dataset of one layer into the next layer of its domain; one source in ten carries
 * us-user-data, and some layers sit outside OCI's US regions (so residency has approved and
 * unapproved places). It is written through the tracker's own graph store, with policy evaluation,
 * so holdings and alerts exist as they would in production. Reruns reuse the graph
 * (BENCH_QUERY_GRAPH names it; default bench-query-v1).
 */
export const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
export const DOMAINS = 100;
export const LAYERS = 10;
export const PER_LAYER = Number(process.env.BENCH_DATASETS ?? 100_000) / DOMAINS / LAYERS;
export const graph = process.env.BENCH_QUERY_GRAPH ?? 'bench-query-v1';
export const neo4jUri = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687';
const REGIONS: Array<[string, string]> = [
  ['oci', 'us-ashburn-1'],
  ['oci', 'us-phoenix-1'],
  ['oci', 'us-ashburn-1'],
  ['oci', 'us-phoenix-1'],
  ['aws', 'us-east-1'],
  ['oci', 'us-ashburn-1'],
  ['aws', 'eu-central-1'],
  ['oci', 'us-phoenix-1'],
  ['aws', 'ap-southeast-1'],
  ['oci', 'us-ashburn-1'],
];

export const dataset = (domain: number, layer: number, index: number) => {
  const [provider, region] = REGIONS[layer]!;
  return { namespace: `pg://${graph}-d${domain}`, name: `l${layer}-t${index}`, provider, region };
};

/** A deterministic hash of (i, salt): event i is the same whenever it is generated, so a rerun can resume. */
const hash = (i: number, salt: number) => {
  let x = (i * 2_654_435_761 + salt * 40_503) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
};

export function eventAt(i: number): DataMovementEvent {
  const domain = i % DOMAINS;
  const layer = Math.floor(i / DOMAINS) % (LAYERS - 1);
  const from = hash(i, 1) % PER_LAYER;
  const input = { ...dataset(domain, layer, from), ...(layer === 0 && from % 10 === 0 ? { classifications: ['us-user-data'] } : {}) };
  return {
    specVersion: '1.0',
    eventId: `${graph}-${i}`,
    eventTime: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 100).toISOString(),
    operation: 'copy',
    inputs: [input],
    outputs: [dataset(domain, layer + 1, hash(i, 2) % PER_LAYER)],
    producer: 'bench-query',
  };
}

export async function buildGraph(): Promise<void> {
  const driver = createNeo4jDriver({ uri: neo4jUri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
  const existing = (
    await driver.executeQuery('MATCH (e:Event) WHERE e.eventId STARTS WITH $p RETURN count(e) AS n', { p: `${graph}-` })
  ).records[0]?.get('n') as number;
  if (existing >= EVENTS) {
    process.stderr.write(`graph ${graph}: ${existing.toLocaleString('en-US')} events already written; reusing it\n`);
    await driver.close();
    return;
  }
  const store = new Neo4jGraphStore(driver, process.env.NEO4J_DATABASE, new PolicyIndex(loadPolicyFile('examples/policy.yaml')));
  await store.ensureSchema();
  const progress = createProgress(`building graph ${graph} (through the graph store, evaluation on)`, EVENTS);
  const batch = 2_000;
  for (let start = existing - (existing % batch); start < EVENTS; start += batch * 2) {
    // Two writers at a time, as two partitions would.
    await Promise.all(
      [start, start + batch]
        .filter((s) => s < EVENTS)
        .map((s) => {
          const events = Array.from({ length: Math.min(batch, EVENTS - s) }, (_, k) => eventAt(s + k));
          return store.write(planGraphWrite(events), { id: 'bench-query', outbox: 'bench-query.alerts' });
        }),
    );
    progress.update(Math.min(start + batch * 2, EVENTS));
  }
  progress.done();
  await store.close();
}
