import { createNeo4jDriver } from '../src/adapters/neo4j/create-neo4j-driver.js';
import { Neo4jPolicyReevaluation } from '../src/adapters/neo4j/reevaluate-policy.js';
import { loadPolicyFile } from '../src/policy/load-policy-file.js';
import type { PolicyFile } from '../src/policy/policy-file.js';
import type { ReevaluationOutcome } from '../src/ports/policy-reevaluation.js';
import { Neo4jGraphStore } from '../src/adapters/neo4j/neo4j-graph-store.js';
import { planGraphWrite } from '../src/lineage/plan-graph-write.js';
import { PolicyIndex } from '../src/policy/policy-index.js';
import type { Driver } from 'neo4j-driver';
import { removeBenchData } from './support/clean-up.js';
import { buildGraph, EVENTS, graph, neo4jUri } from './support/query-graph.js';

/**
 * `npm run bench:policy`: how long re-judging the whole graph takes after each kind of policy change
 * (docs/policy-changes.md), on bench:query's graph of 1,000,000 events over 100,000 datasets
 * (bench/support/query-graph.ts; built once, then reused). Each change is applied, timed, and undone
 * by the next, so the graph ends judged under examples/policy.yaml as it began. Peak memory is this
 * process's (the re-evaluation's side; Neo4j's own is its configured heap). Consumption goes on under
 * the new policy while a re-evaluation runs (docs/policy-changes.md): two writers, as two partitions
 * would, write labelled copies through the graph store meanwhile, and their rate is printed against
 * the same writers' alone, measured right before.
 */
const base = loadPolicyFile('examples/policy.yaml');
const withUs = (file: PolicyFile, change: (allowed: PolicyFile['policies'][number]) => PolicyFile['policies'][number]): PolicyFile => ({
  ...file,
  policies: file.policies.map((p) => (p.id === 'us-user-data-residency' ? change(p) : p)),
});
const tightened = withUs(base, (p) => ({ ...p, allowed: [{ provider: 'oci', regions: ['us-ashburn-1'] }] }));
const loosened = withUs(base, (p) => ({ ...p, allowed: [...p.allowed, { provider: 'aws', regions: ['eu-central-1', 'ap-southeast-1'] }] }));
const unprotected: PolicyFile = { ...base, policies: base.policies.filter((p) => p.id !== 'us-user-data-residency') };
const recatalogued: PolicyFile = {
  ...base,
  stores: [...base.stores, { namespace: `pg://${graph}-d1*`, provider: 'aws', region: 'eu-west-1' }],
};
const classified: PolicyFile = {
  ...base,
  classify: [...base.classify, { namespace: `pg://${graph}-d2*`, classifications: ['us-user-data'] }],
};

const steps: Array<[string, PolicyFile]> = [
  ['first judgement (examples/policy.yaml)', base],
  ['tightened: Phoenix no longer allowed', tightened],
  ['back to examples/policy.yaml', base],
  ['loosened: Frankfurt and Singapore allowed', loosened],
  ['back', base],
  ['a store re-catalogued (events state every location: judging only)', recatalogued],
  ['back', base],
  ['a namespace newly classified (11 domains)', classified],
  ['us-user-data no longer protected (holdings dropped)', unprotected],
  ['us-user-data protected again (propagated from every assertion)', base],
];

let loadRun = 0;
/** Two writers of labelled copies (500 events a write) until `until` resolves; resolves to their events/s. */
async function load(driver: Driver, file: PolicyFile, until: Promise<unknown>): Promise<number> {
  const store = new Neo4jGraphStore(driver, process.env.NEO4J_DATABASE, new PolicyIndex(file));
  const run = `${graph}-policy-load-${Date.now()}-${(loadRun += 1)}`;
  let done = false;
  void until.finally(() => (done = true));
  let written = 0;
  const started = Date.now();
  const writer = async (w: number) => {
    for (let b = 0; !done; b += 1) {
      const events = Array.from({ length: 500 }, (_, k) => {
        const i = b * 500 + k;
        return {
          specVersion: '1.0' as const,
          eventId: `${run}-${w}-${i}`,
          eventTime: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 100).toISOString(),
          operation: 'copy' as const,
          inputs: [
            {
              namespace: `pg://${run}-${w}`,
              name: `t${i % 1000}`,
              provider: 'oci',
              region: 'us-ashburn-1',
              ...(i % 10 === 0 ? { classifications: ['us-user-data'] } : {}),
            },
          ],
          // Each copy keeps one place: a dataset whose events disagree on where it is moves, and is judged where it is last.
          outputs: [
            {
              namespace: `pg://${run}-${w}`,
              name: `c${(i * 7) % 1000}`,
              ...(((i * 7) % 1000) % 3 === 0 ? { provider: 'aws', region: 'eu-central-1' } : { provider: 'oci', region: 'us-phoenix-1' }),
            },
          ],
        };
      });
      await store.write(planGraphWrite(events), { id: run, outbox: `${graph}.bench-policy.alerts` });
      written += events.length;
    }
  };
  await Promise.all([writer(0), writer(1)]);
  return (written * 1000) / (Date.now() - started);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const line = (name: string, o: ReevaluationOutcome, peakMb: number) =>
  `${name.padEnd(66)} ${seconds(o.ms).padStart(8)}  judged ${o.nodesJudged.toLocaleString('en-US').padStart(9)}  ` +
  `+${o.holdingsGained.toLocaleString('en-US')} −${o.holdingsDropped.toLocaleString('en-US')} holdings  ` +
  `alerts +${o.opened.toLocaleString('en-US')} ↺${o.reopened.toLocaleString('en-US')} −${o.remediated.toLocaleString('en-US')}  peak RSS ${peakMb} MB\n`;

async function main(): Promise<void> {
  await buildGraph();
  const driver = createNeo4jDriver({ uri: neo4jUri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
  const store = new Neo4jPolicyReevaluation(driver, process.env.NEO4J_DATABASE);
  process.stdout.write(
    `re-evaluation of the whole graph (${EVENTS.toLocaleString('en-US')} events of ${graph}, and whatever else the database holds)\n`,
  );
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  let previous = base;
  // BENCH_POLICY_STEPS=9,10 runs those steps only (1-based), from the graph as it is.
  const only = process.env.BENCH_POLICY_STEPS?.split(',').map(Number);
  for (const [name, file] of steps.filter((_, i) => !only || only.includes(i + 1))) {
    const alone = await load(driver, previous, new Promise((resolve) => setTimeout(resolve, 10_000)));
    peak = process.memoryUsage().rss;
    const reevaluation = store.reevaluate(file, {
      outbox: `${graph}.bench-policy.alerts`,
      onProgress: (p) => process.stderr.write(process.stderr.isTTY ? `\r  ${p.phase} ${p.done.toLocaleString('en-US')}   ` : ''),
    });
    const during = await load(driver, file, reevaluation);
    const outcome = await reevaluation;
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    process.stdout.write(line(name, outcome, Math.round(peak / 2 ** 20)));
    process.stdout.write(
      `${''.padEnd(66)} ingest meanwhile ${Math.round(during).toLocaleString('en-US')}/s, alone just before ${Math.round(alone).toLocaleString('en-US')}/s (${Math.round((100 * during) / alone)} %)\n`,
    );
    previous = file;
  }
  clearInterval(sample);
  // The states recorded are not published here: leave none behind for a tracker's sweep to send.
  await driver.executeQuery(
    `MATCH (al:Alert {outbox: $outbox}) SET al.outbox = null, al.openPending = false, al.remediatedPending = false`,
    { outbox: `${graph}.bench-policy.alerts` },
  );
  await driver.close();
  await removeBenchData({ eventIdPrefix: `${graph}-policy-load-`, namespacePrefix: `pg://${graph}-policy-load-` });
  process.stdout.write('goals: a full re-evaluation in under 2 minutes on this box; ingest meanwhile at least 50 % of its rate alone\n');
}

await main();
