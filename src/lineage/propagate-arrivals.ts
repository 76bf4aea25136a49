import { carries, type Movement } from './carry-labels.js';
import type { GraphWritePlan } from './plan-graph-write.js';

/**
 * A label reaching a node at `since`, through event `via` from node `from` (both null: asserted there).
 * `N` is how the store names a node: an id (Neo4j's element id), or the node itself (in memory).
 */
export interface Arrival<N = string> {
  target: N;
  label: string;
  since: number;
  via: string | null;
  from: N | null;
}

/** A movement out of a node, to another node, by one event. */
export interface OutgoingMovement<N = string> extends Movement {
  to: N;
  eventId: string;
}

/** What propagation needs to read and change in a graph. */
export interface ArrivalGraph<N = string> {
  /** When `node` first held `label`, or undefined when it never did. */
  heldSince(node: N, label: string): number | undefined;
  /** Calls `visit` with every label `node` holds and when it first did. */
  forEachHolding(node: N, visit: (label: string, since: number) => void): void;
  /** Records that `node` holds the arrival's label from its `since` on, reached as the arrival says. */
  hold(arrival: Arrival<N>): void;
  /** The movements out of `node` (copies, moves, derives and accesses). */
  movementsOut(node: N): Iterable<OutgoingMovement<N>>;
}

/** Keeps, per (node, label), the earliest arrival: one change per holding. */
export function earliestPerHolding<N>(arrivals: readonly Arrival<N>[]): Arrival<N>[] {
  const best = new Map<N, Map<string, Arrival<N>>>();
  for (const arrival of arrivals) {
    let byLabel = best.get(arrival.target);
    if (!byLabel) best.set(arrival.target, (byLabel = new Map<string, Arrival<N>>()));
    const current = byLabel.get(arrival.label);
    if (!current || arrival.since < current.since) byLabel.set(arrival.label, arrival);
  }
  const out: Arrival<N>[] = [];
  for (const byLabel of best.values()) for (const arrival of byLabel.values()) out.push(arrival);
  return out;
}

/** Arrival times only ever decrease: an arrival changes a holding only when it is earlier. */
export const isEarlier = (current: number | undefined, since: number): boolean => current === undefined || since < current;

/**
 * The first arrivals a plan causes (CONTRACT §3): its protected assertions, and the labels its
 * movements and accesses carry from what their inputs hold at the movement's time. `idOf` maps a
 * dataset or actor to the store's id. Cypher twin: SEED_SUBQUERIES (propagate-labels.ts).
 */
export function seedArrivals<N>(
  plan: GraphWritePlan,
  graph: ArrivalGraph<N>,
  protectedLabels: ReadonlySet<string>,
  skewMs: number,
  idOf: NodeIds<N>,
): Arrival<N>[] {
  const seeds: Arrival<N>[] = [];
  for (const a of plan.assertions) {
    if (protectedLabels.has(a.classification))
      seeds.push({ target: idOf.dataset(a.namespace, a.name), label: a.classification, since: a.timeMs, via: null, from: null });
  }
  // A seed that would not lower what its target holds already changes nothing: left out here, as
  // propagateArrivals would skip it (most movements of a busy graph carry labels their target has held longer).
  const carry = (from: N, to: N, movement: Movement & { eventId: string }) =>
    graph.forEachHolding(from, (label, since) => {
      if (carries(movement, label, since, skewMs) && isEarlier(graph.heldSince(to, label), movement.timeMs))
        seeds.push({ target: to, label, since: movement.timeMs, via: movement.eventId, from });
    });
  for (const f of plan.flows) carry(idOf.dataset(f.fromNamespace, f.fromName), idOf.dataset(f.toNamespace, f.toName), f);
  for (const r of plan.accesses) carry(idOf.dataset(r.namespace, r.name), idOf.actor(r.service, r.region), r);
  return seeds;
}

/** How a store names its nodes. */
export interface NodeIds<N = string> {
  dataset(namespace: string, name: string): N;
  actor(service: string, region: string): N;
}

/**
 * The earliest-arrival fixpoint (CONTRACT §3): applies the arrivals that lower a holding, then pushes
 * each lowered time on along every movement out of its node that carries it, level by level, until
 * nothing changes. Only the affected subgraph is visited. Returns every applied arrival, in order
 * (a holding lowered twice appears twice; the last is what the graph holds). Cypher twin:
 * APPLY_SEEDS / APPLY_AND_EXPAND and `propagateLabels` (propagate-labels.ts).
 */
export function propagateArrivals<N>(graph: ArrivalGraph<N>, seeds: readonly Arrival<N>[], skewMs: number): Arrival<N>[] {
  const applied: Arrival<N>[] = [];
  for (let level = earliestPerHolding(seeds); level.length > 0;) {
    const next: Arrival<N>[] = [];
    for (const arrival of level) {
      if (!isEarlier(graph.heldSince(arrival.target, arrival.label), arrival.since)) continue;
      graph.hold(arrival);
      applied.push(arrival);
      for (const m of graph.movementsOut(arrival.target)) {
        if (carries(m, arrival.label, arrival.since, skewMs) && isEarlier(graph.heldSince(m.to, arrival.label), m.timeMs))
          next.push({ target: m.to, label: arrival.label, since: m.timeMs, via: m.eventId, from: arrival.target });
      }
    }
    level = earliestPerHolding(next);
  }
  return applied;
}
