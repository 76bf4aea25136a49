import { appendAll } from '../../collections/append-all.js';
import type { HeldNode } from '../../lineage/graph-node.js';
import { earliestPerHolding, type Arrival } from '../../lineage/propagate-arrivals.js';
import { byTarget } from './lock-order.js';
import { nodeFields, nodeMap } from './node-rows.js';
import type { QueryRunner } from './query-runner.js';

/** A label reaching a node (by element id): the domain's Arrival. */
export type Candidate = Arrival;

// This file restates, in Cypher, the carry rule (`carries`, src/lineage/carry-labels.ts) and the
// earliest-arrival fixpoint (`seedArrivals` and `propagateArrivals`, src/lineage/propagate-arrivals.ts)
// for speed: the database visits only the affected subgraph. The case table
// (test/lineage/rule-cases.ts) runs against both. One difference of means, not of result: a lowered
// holding here expands along every movement that carries it (the next level drops the candidates that
// lower nothing); propagateArrivals reads only the movements the lowering newly makes carry.

// Every statement that reads a node's holdings first bumps that node's `evalTouch`, taking its write
// lock. Two transactions that meet on a node (one adding an edge out of it, one giving it a label)
// are thereby serialised, and the second sees what the first committed: no violation slips between
// two hops written by different processes at the same moment (docs/semantics.md).

/**
 * Subqueries of the write statement (WRITE_PLAN) that find propagation's first candidates, after the
 * plan's rows are written: the protected labels its assertions give, and those its movements and
 * accesses carry from what their inputs hold at the movement's time (within the skew) — protected
 * ones only: a re-evaluation dropping a label no longer protected may not have reached the input yet. Each returns
 * a list of Candidate maps; all are empty unless `$evaluate`. APPLY_SEEDS then applies them.
 */
export const SEED_SUBQUERIES = [
  `CALL () {
  UNWIND CASE WHEN $evaluate THEN $assertions ELSE [] END AS a
  WITH a WHERE a.classification IN $protectedLabels
  MATCH (d:Dataset {namespace: a.namespace, name: a.name}) USING INDEX d:Dataset(namespace, name)
  RETURN collect({target: elementId(d), label: a.classification, since: a.timeMs, via: null, from: null}) AS assertionSeeds
}`,
  `CALL () {
  UNWIND CASE WHEN $evaluate THEN $flows ELSE [] END AS f
  MATCH (i:Dataset {namespace: f.fromNamespace, name: f.fromName}) USING INDEX i:Dataset(namespace, name)
  SET i.evalTouch = coalesce(i.evalTouch, 0) + 1
  WITH i, f
  MATCH (i)-[:HOLDS]->(h)
  WHERE h.sinceMs <= f.timeMs + $skew AND NOT h.classification IN f.removes AND h.classification IN $protectedLabels
  MATCH (o:Dataset {namespace: f.toNamespace, name: f.toName}) USING INDEX o:Dataset(namespace, name)
  RETURN collect({target: elementId(o), label: h.classification, since: f.timeMs, via: f.eventId, from: elementId(i)}) AS flowSeeds
}`,
  `CALL () {
  UNWIND CASE WHEN $evaluate THEN $accesses ELSE [] END AS r
  MATCH (d:Dataset {namespace: r.namespace, name: r.name}) USING INDEX d:Dataset(namespace, name)
  SET d.evalTouch = coalesce(d.evalTouch, 0) + 1
  WITH d, r
  MATCH (d)-[:HOLDS]->(h) WHERE h.sinceMs <= r.timeMs + $skew AND h.classification IN $protectedLabels
  MATCH (a:Actor {service: r.service, region: r.region}) USING INDEX a:Actor(service, region)
  RETURN collect({target: elementId(a), label: h.classification, since: r.timeMs, via: r.eventId, from: elementId(d)}) AS accessSeeds
}`,
];

// A candidate that cannot lower the committed time needs no lock (times only ever decrease); one
// that may is locked, then judged again on what is committed under the lock. Each lowered holding
// is returned located (for the policy) and with where it came from (for the witness), with the
// candidates it makes one hop downstream: one statement per level of the propagation. Rows: `c`.
const APPLY_BODY = `MATCH (x) WHERE elementId(x) = c.target
  OPTIONAL MATCH (x)-[:HOLDS]->(seen {classification: c.label})
  WITH x, c WHERE seen IS NULL OR seen.sinceMs > c.since
  SET x.evalTouch = coalesce(x.evalTouch, 0) + 1
  WITH x, c
  OPTIONAL MATCH (x)-[:HOLDS]->(h {classification: c.label})
  WITH x, c, h WHERE h IS NULL OR h.sinceMs > c.since
  FOREACH (_ IN CASE WHEN h IS NULL THEN [1] ELSE [] END |
    CREATE (x)-[:HOLDS]->(:Holding {classification: c.label, sinceMs: c.since, viaEventId: c.via, fromId: c.from}))
  FOREACH (_ IN CASE WHEN h IS NULL THEN [] ELSE [1] END |
    SET h.sinceMs = c.since, h.viaEventId = c.via, h.fromId = c.from)
  WITH x, c
  CALL (x, c) {
    MATCH (x:Dataset)-[e:FLOWS_TO|ACCESSED_BY]->(y)
    WHERE e.timeMs + $skew >= c.since AND NOT c.label IN coalesce(e.removes, [])
    RETURN collect({target: elementId(y), label: c.label, since: e.timeMs, via: e.eventId, from: c.target}) AS next
  }`;

/** The next levels: candidates as rows (`$rows`, one per holding, sorted by target). */
export const APPLY_AND_EXPAND = `UNWIND $rows AS c
  ${APPLY_BODY}
  RETURN c.target AS id, c.label AS label, c.since AS since, c.via AS via, c.from AS from, ${nodeFields('x')}, next`;

/**
 * The first level, as the last subquery of the write statement: the seeds (the earliest per
 * holding, in the order of their targets) applied in the same round trip as the writes that made
 * them. Returns `applied`, a list of Applied maps.
 */
export const APPLY_SEEDS = `CALL (seeds) {
  UNWIND seeds AS s
  WITH s ORDER BY s.since
  WITH s.target AS target, s.label AS label, collect(s)[0] AS c
  WITH c ORDER BY c.target
  ${APPLY_BODY}
  RETURN collect({id: c.target, label: c.label, since: c.since, via: c.via, from: c.from, ${nodeMap('x')}, next: next}) AS applied
}`;

/** A holding one level lowered, with the candidates it makes one hop downstream. */
export type Applied = HeldNode & { next: Candidate[] };

/**
 * Propagates the protected labels on from the first level (applied by the write statement, docs/contract.md
 * §3): every lowered arrival time is pushed downstream until nothing changes, one statement per
 * level. Only the affected subgraph is read. Returns the holdings that changed, located.
 */
export async function propagateLabels(tx: QueryRunner, firstLevel: Applied[], skew: number): Promise<HeldNode[]> {
  const improved: HeldNode[] = [];
  for (let level = firstLevel; ;) {
    const pending: Candidate[] = [];
    for (const { next, ...held } of level) {
      improved.push(held);
      appendAll(pending, next);
    }
    if (pending.length === 0) return improved;
    level = (await tx.run(APPLY_AND_EXPAND, { rows: byTarget(earliestPerHolding(pending)), skew })).records.map(
      (r) => r.toObject() as Applied,
    );
  }
}
