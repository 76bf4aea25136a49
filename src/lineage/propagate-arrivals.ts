import { carries, type Movement } from './carry-labels.js';
import type { GraphWritePlan } from './plan-graph-write.js';

/** A label reaching a node (by the store's id) at `since`, through event `via` from node `from` (both null: asserted there). */
export interface Arrival {
  target: string;
  label: string;
  since: number;
  via: string | null;
  from: string | null;
}

/** A movement out of a node, to another node, by one event. */
export interface OutgoingMovement extends Movement {
  to: string;
  eventId: string;
}

/** What propagation needs to read and change in a graph. Node ids are the store's own. */
export interface ArrivalGraph {
  /** When `node` first held `label`, or undefined when it never did. */
  heldSince(node: string, label: string): number | undefined;
  /** Calls `visit` with every label `node` holds and when it first did. */
  forEachHolding(node: string, visit: (label: string, since: number) => void): void;
  /** Records that `node` holds the arrival's label from its `since` on, reached as the arrival says. */
  hold(arrival: Arrival): void;
  /** The movements out of `node` (copies, moves, derives and accesses). */
  movementsOut(node: string): Iterable<OutgoingMovement>;
}

/** Keeps, per (node, label), the earliest arrival: one change per holding. */
export function earliestPerHolding(arrivals: readonly Arrival[]): Arrival[] {
  const best = new Map<string, Map<string, Arrival>>();
  for (const arrival of arrivals) {
    let byLabel = best.get(arrival.target);
    if (!byLabel) best.set(arrival.target, (byLabel = new Map<string, Arrival>()));
    const current = byLabel.get(arrival.label);
    if (!current || arrival.since < current.since) byLabel.set(arrival.label, arrival);
  }
  const out: Arrival[] = [];
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
export function seedArrivals(
  plan: GraphWritePlan,
  graph: ArrivalGraph,
  protectedLabels: ReadonlySet<string>,
  skewMs: number,
  idOf: NodeIds,
): Arrival[] {
  const seeds: Arrival[] = [];
  for (const a of plan.assertions) {
    if (protectedLabels.has(a.classification))
      seeds.push({ target: idOf.dataset(a.namespace, a.name), label: a.classification, since: a.timeMs, via: null, from: null });
  }
  const carry = (from: string, to: string, movement: Movement & { eventId: string }) =>
    graph.forEachHolding(from, (label, since) => {
      if (carries(movement, label, since, skewMs)) seeds.push({ target: to, label, since: movement.timeMs, via: movement.eventId, from });
    });
  for (const f of plan.flows) carry(idOf.dataset(f.fromNamespace, f.fromName), idOf.dataset(f.toNamespace, f.toName), f);
  for (const r of plan.accesses) carry(idOf.dataset(r.namespace, r.name), idOf.actor(r.service, r.region), r);
  return seeds;
}

/** How a store names its nodes. */
export interface NodeIds {
  dataset(namespace: string, name: string): string;
  actor(service: string, region: string): string;
}

/**
 * The earliest-arrival fixpoint (CONTRACT §3): applies the arrivals that lower a holding, then pushes
 * each lowered time on along every movement out of its node that carries it, level by level, until
 * nothing changes. Only the affected subgraph is visited. Returns every applied arrival, in order
 * (a holding lowered twice appears twice; the last is what the graph holds). Cypher twin:
 * APPLY_SEEDS / APPLY_AND_EXPAND and `propagateLabels` (propagate-labels.ts).
 */
export function propagateArrivals(graph: ArrivalGraph, seeds: readonly Arrival[], skewMs: number): Arrival[] {
  const applied: Arrival[] = [];
  for (let level = earliestPerHolding(seeds); level.length > 0;) {
    const next: Arrival[] = [];
    for (const arrival of level) {
      if (!isEarlier(graph.heldSince(arrival.target, arrival.label), arrival.since)) continue;
      graph.hold(arrival);
      applied.push(arrival);
      for (const m of graph.movementsOut(arrival.target)) {
        if (carries(m, arrival.label, arrival.since, skewMs))
          next.push({ target: m.to, label: arrival.label, since: m.timeMs, via: m.eventId, from: arrival.target });
      }
    }
    level = earliestPerHolding(next);
  }
  return applied;
}
