import { carries, type Movement } from './carry-labels.js';

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

/**
 * What propagation needs to read and change in a graph. Labels held anywhere are numbered (in the
 * order first held): a node's holdings are read as a list by label number, without a lookup per label.
 */
export interface ArrivalGraph<N = string> {
  /** The labels held anywhere, by number. */
  readonly labelNames: readonly string[];
  /** The number of `label`, or undefined when nothing holds it. */
  labelNumber(label: string): number | undefined;
  /** When `node` first held each label, by label number (undefined, or past the end: never). */
  holdingTimes(node: N): readonly (number | undefined)[];
  /** Records that `node` holds the arrival's label from its `since` on, reached as the arrival says. */
  hold(arrival: Arrival<N>): void;
  /** The movements out of `node` (copies, moves, derives and accesses), in time order (`timeMs` ascending). */
  movementsOut(node: N): readonly OutgoingMovement<N>[];
}

/** The index of the first of `movements` (in time order) at or after `timeMs`. */
function firstAtOrAfter(movements: readonly OutgoingMovement<unknown>[], timeMs: number): number {
  let low = 0;
  let high = movements.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (movements[middle]!.timeMs < timeMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Keeps, per (node, label), the earliest arrival: one change per holding (in the order first named). */
export function earliestPerHolding<N>(arrivals: readonly Arrival<N>[]): Arrival<N>[] {
  // A node is reached with a few labels at most: they are searched in a list, not a map per node.
  const best = new Map<N, Arrival<N>[]>();
  for (const arrival of arrivals) {
    const byLabel = best.get(arrival.target);
    if (!byLabel) {
      best.set(arrival.target, [arrival]);
      continue;
    }
    const i = byLabel.findIndex((a) => a.label === arrival.label);
    if (i < 0) byLabel.push(arrival);
    else if (arrival.since < byLabel[i]!.since) byLabel[i] = arrival;
  }
  const out: Arrival<N>[] = [];
  for (const byLabel of best.values()) for (const arrival of byLabel) out.push(arrival);
  return out;
}

/** Arrival times only ever decrease: an arrival changes a holding only when it is earlier. */
export const isEarlier = (current: number | undefined, since: number): boolean => current === undefined || since < current;

/** A label asserted on a node at `timeMs` (docs/contract.md §2). */
export interface Assertion<N = string> {
  target: N;
  label: string;
  timeMs: number;
}

/**
 * The first arrivals that newly written assertions and movements cause (docs/contract.md §3): the protected
 * assertions, and the labels the movements (and accesses) carry from what their sources hold at the
 * movement's time. An arrival that would not lower what its target holds already changes nothing and
 * is left out, as propagateArrivals would skip it (most movements of a busy graph carry labels their
 * target has held longer). Rows of a redelivered event are not new: the fixpoint already holds what
 * they carry. Cypher twin: SEED_SUBQUERIES (propagate-labels.ts), which reads the plan's rows.
 */
export function seedArrivals<N>(
  assertions: Iterable<Assertion<N>>,
  movements: Iterable<OutgoingMovement<N> & { from: N }>,
  graph: ArrivalGraph<N>,
  protectedLabels: ReadonlySet<string>,
  skewMs: number,
): Arrival<N>[] {
  const seeds: Arrival<N>[] = [];
  for (const a of assertions) {
    if (protectedLabels.has(a.label)) seeds.push({ target: a.target, label: a.label, since: a.timeMs, via: null, from: null });
  }
  for (const m of movements) {
    const held = graph.holdingTimes(m.from);
    const toHeld = graph.holdingTimes(m.to);
    for (let i = 0; i < held.length; i++) {
      const since = held[i];
      if (since === undefined) continue;
      const label = graph.labelNames[i]!;
      if (carries(m, label, since, skewMs) && isEarlier(toHeld[i], m.timeMs))
        seeds.push({ target: m.to, label, since: m.timeMs, via: m.eventId, from: m.from });
    }
  }
  return seeds;
}

/**
 * The earliest-arrival fixpoint (docs/contract.md §3): applies the arrivals that lower a holding, then pushes
 * each lowered time on along every movement out of its node that carries it, level by level, until
 * nothing changes. Only the affected subgraph is visited, and of a node's movements only those the
 * lowering makes carry: a movement at t carries a label held since s when s ≤ t + skew, so lowering
 * a holding from `before` to `since` adds the movements in [since − skew, before − skew); those from
 * before − skew on carried already, and the graph the write starts from is a fixpoint (their targets
 * hold the label by their time, or the write's seeds bring it there). Returns every applied arrival, in order
 * (a holding lowered twice appears twice; the last is what the graph holds). Cypher twin:
 * APPLY_SEEDS / APPLY_AND_EXPAND and `propagateLabels` (propagate-labels.ts).
 */
export function propagateArrivals<N>(graph: ArrivalGraph<N>, seeds: readonly Arrival<N>[], skewMs: number): Arrival<N>[] {
  const applied: Arrival<N>[] = [];
  for (let level = earliestPerHolding(seeds); level.length > 0;) {
    const next: Arrival<N>[] = [];
    for (const arrival of level) {
      const known = graph.labelNumber(arrival.label);
      const before = known === undefined ? undefined : graph.holdingTimes(arrival.target)[known];
      if (!isEarlier(before, arrival.since)) continue;
      graph.hold(arrival);
      applied.push(arrival);
      const label = known ?? graph.labelNumber(arrival.label)!;
      const out = graph.movementsOut(arrival.target);
      const until = before === undefined ? Number.POSITIVE_INFINITY : before - skewMs;
      for (let i = firstAtOrAfter(out, arrival.since - skewMs); i < out.length && out[i]!.timeMs < until; i++) {
        const m = out[i]!;
        if (carries(m, arrival.label, arrival.since, skewMs) && isEarlier(graph.holdingTimes(m.to)[label], m.timeMs))
          next.push({ target: m.to, label: arrival.label, since: m.timeMs, via: m.eventId, from: arrival.target });
      }
    }
    level = earliestPerHolding(next);
  }
  return applied;
}
