import type { GraphWritePlan } from '../../lineage/plan-graph-write.js';
import type { Arrival } from '../../lineage/propagate-arrivals.js';

// Neo4j takes a write lock on every node a transaction changes. Transactions that lock the nodes
// they share in one global order cannot deadlock on them; this file is that order, in one place.

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Datasets by namespace, then name. */
export const compareDatasets = (a: { namespace: string; name: string }, b: { namespace: string; name: string }): number =>
  byText(a.namespace, b.namespace) || byText(a.name, b.name);

/** Rows in the order of their input dataset (movements and accesses lock their inputs first). */
export const byInput = <T extends { fromNamespace?: string; fromName?: string; namespace?: string; name?: string }>(
  rows: readonly T[],
): T[] => {
  const input = (r: T) => ({ namespace: r.fromNamespace ?? r.namespace ?? '', name: r.fromName ?? r.name ?? '' });
  return [...rows].sort((a, b) => compareDatasets(input(a), input(b)));
};

/** Candidates in the order of their target node. */
export const byTarget = (rows: readonly Arrival[]): Arrival[] => [...rows].sort((a, b) => byText(a.target, b.target));

/** The plan's rows in lock order. */
export function inLockOrder(plan: GraphWritePlan): GraphWritePlan {
  return {
    datasets: [...plan.datasets].sort(compareDatasets),
    actors: [...plan.actors].sort((a, b) => byText(a.service, b.service) || byText(a.region, b.region)),
    events: [...plan.events].sort((a, b) => byText(a.eventId, b.eventId)),
    flows: byInput(plan.flows),
    accesses: byInput(plan.accesses),
    assertions: [...plan.assertions].sort(compareDatasets),
    deletions: [...plan.deletions].sort(compareDatasets),
  };
}
