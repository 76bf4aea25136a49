import { remediatingDelete } from './remediating-delete.js';

/**
 * The instant an auditor looks back at (epoch ms), or `undefined` for now: everything consumed.
 *
 * "As of T" is event time (docs/contract.md §3): the graph as the events with `eventTime` ≤ T make it,
 * whatever order they arrived in, not what the tracker happened to have consumed at T. Because
 * propagation is time-respecting, a label's earliest arrival at a node depends only on movements
 * up to that arrival (plus the clock-skew tolerance), so a holding stands at T when its arrival is
 * at or before T, and the residency rule applies to the deletes and moves up to T.
 */
export type AsOf = number | undefined;

/** Whether something that happened at `timeMs` had happened by `asOf`. */
export const happenedBy = (timeMs: number, asOf: AsOf): boolean => asOf === undefined || timeMs <= asOf;

/** The times of `times` that had happened by `asOf`. */
export function upTo(times: Iterable<number>, asOf: AsOf): number[] {
  const kept: number[] = [];
  for (const t of times) if (happenedBy(t, asOf)) kept.push(t);
  return kept;
}

/** The latest delete of a dataset by `asOf`, or undefined: how a deleted copy is told apart from a live one. */
export function deletedBy(deletesMs: Iterable<number>, asOf: AsOf): number | undefined {
  let at: number | undefined;
  for (const d of deletesMs) if (happenedBy(d, asOf) && (at === undefined || d > at)) at = d;
  return at;
}

/**
 * Whether an alert whose data reached its node at `sinceMs` was open at `asOf` (docs/contract.md §5): the
 * violation had happened, and no delete that remediates it had (`remediates`, alert-states.ts).
 */
export function openAt(sinceMs: number, deletesMs: Iterable<number>, asOf: number): boolean {
  if (sinceMs > asOf) return false;
  const remediated = remediatingDelete(deletesMs, sinceMs);
  return remediated === null || remediated > asOf;
}
