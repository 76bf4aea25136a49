import { carries } from './carry-labels.js';
import type { OutgoingMovement } from './propagate-arrivals.js';
import type { LineageStep } from './walk-lineage.js';

/** A reached node and when the data (or the label) got there. */
export interface Reached {
  id: string;
  at: number;
}

/** A movement by which the search may reach its `to` node, as `expand` returns it. */
export type PathMovement = LineageStep;

/**
 * The earliest-arriving time-respecting path between two nodes (docs/contract.md §3, the `paths` query): a
 * label search from `from`, reaching each node as early as the carry rule allows, level by level up to
 * `maxDepth` hops, giving up (truncated) past `visitCap` nodes. `expand` gives, for the frontier, the
 * earliest carrying movement into each node one hop on that is earlier than `before` (a path already
 * found cannot be improved by a later one).
 */
export async function searchEarliestPath(
  search: { from: string; to: string; startAt: number; maxDepth: number; visitCap: number },
  expand: (frontier: Reached[], before: number | null) => Promise<PathMovement[]> | PathMovement[],
): Promise<{ chain: LineageStep[]; arrivesAt: number; truncated: boolean } | { chain: undefined; truncated: boolean }> {
  const { from, to } = search;
  const arrival = new Map<string, number>([[from, search.startAt]]);
  const parent = new Map<string, LineageStep>();
  let frontier = [from];
  let truncated = false;
  for (let depth = 0; depth < search.maxDepth && frontier.length > 0; depth += 1) {
    const found = await expand(
      frontier.map((id) => ({ id, at: arrival.get(id) ?? 0 })),
      arrival.get(to) ?? null,
    );
    const next: string[] = [];
    for (const step of found) {
      if (step.to === from) continue;
      const known = arrival.get(step.to);
      if (known !== undefined && known <= step.timeMs) continue;
      if (known === undefined && arrival.size >= search.visitCap) {
        truncated = true;
        continue;
      }
      arrival.set(step.to, step.timeMs);
      parent.set(step.to, step);
      if (step.to !== to) next.push(step.to);
    }
    frontier = next;
  }
  if (!parent.has(to)) return { chain: undefined, truncated };
  const chain: LineageStep[] = [];
  for (let at = to; at !== from && chain.length <= search.maxDepth;) {
    const step = parent.get(at);
    if (!step) break;
    chain.unshift(step);
    at = step.from;
  }
  return { chain, arrivesAt: arrival.get(to) ?? 0, truncated };
}

/**
 * One level of the search over movements held in memory: per node one hop on, the earliest movement
 * that carries `label` (any data when null) from a reached node and is earlier than `before`.
 * Cypher twin: PATH_STEP (neo4j-lineage-queries.ts).
 */
export function earliestNextSteps(
  frontier: readonly Reached[],
  movementsOut: (id: string) => Iterable<OutgoingMovement & { operation: LineageStep['operation'] }>,
  label: string | null,
  skewMs: number,
  before: number | null,
): PathMovement[] {
  const best = new Map<string, PathMovement>();
  for (const { id, at } of frontier) {
    for (const m of movementsOut(id)) {
      const carried = label === null ? at <= m.timeMs + skewMs : carries(m, label, at, skewMs);
      if (!carried || (before !== null && m.timeMs >= before)) continue;
      const current = best.get(m.to);
      if (!current || m.timeMs < current.timeMs)
        best.set(m.to, { from: id, to: m.to, eventId: m.eventId, operation: m.operation, timeMs: m.timeMs });
    }
  }
  return [...best.values()];
}
