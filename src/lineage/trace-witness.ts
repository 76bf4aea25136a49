import type { Alert, NodeRef } from '../policy/alert.js';

/** One step back along a witness path: the node, and how the label reached it (`via` null where it was asserted). */
export interface WitnessStep {
  node: NodeRef;
  since: number;
  via: string | null;
  from: string | null;
  traceId: string | null;
  eventTime: string | null;
}

export type Witness = Pick<Alert, 'path' | 'eventIds' | 'traceIds' | 'occurredAt'>;

/** A witness longer than this is cut at its origin end (a cycle of holdings cannot loop either). */
export const MAX_WITNESS_NODES = 1000;

/**
 * The witness path of a holding (docs/contract.md §5): from the node back along the arrivals that set its
 * holding, to where the label was asserted. Each arrival happened no earlier than its source's (within
 * the skew), so the path is time-respecting; `eventIds[i]` carried the data from `path[i]` to
 * `path[i + 1]`; `occurredAt` is the time of the last event. The walk yields the id of each node it
 * needs the step of and is given the step back, so one walk serves a store read step by step
 * (`traceWitness`) and one read in memory (`traceWitnessSync`).
 */
function* walkWitness(start: string): Generator<string, Witness, WitnessStep | undefined> {
  const path: NodeRef[] = [];
  const eventIds: string[] = [];
  const traceIds: string[] = [];
  const visited = new Set<string>();
  let occurredAt: string | undefined;
  for (let current: string | null = start; current !== null && !visited.has(current) && visited.size < MAX_WITNESS_NODES;) {
    visited.add(current);
    const step: WitnessStep | undefined = yield current;
    if (!step) break;
    path.unshift(step.node);
    if (step.via) eventIds.unshift(step.via);
    if (step.traceId && !traceIds.includes(step.traceId)) traceIds.unshift(step.traceId);
    occurredAt ??= step.eventTime ?? new Date(step.since).toISOString();
    current = step.from;
  }
  return { path, eventIds, traceIds, occurredAt: occurredAt ?? new Date().toISOString() };
}

/** The witness path of a holding (walkWitness), each step read by `stepOf` (from a database). */
export async function traceWitness(
  start: string,
  stepOf: (id: string) => WitnessStep | undefined | Promise<WitnessStep | undefined>,
): Promise<Witness> {
  const walk = walkWitness(start);
  for (let next = walk.next(); ; next = walk.next(await stepOf(next.value))) if (next.done) return next.value;
}

/** The witness path of a holding (walkWitness), each step read by `stepOf` at once (from memory). */
export function traceWitnessSync(start: string, stepOf: (id: string) => WitnessStep | undefined): Witness {
  const walk = walkWitness(start);
  for (let next = walk.next(); ; next = walk.next(stepOf(next.value))) if (next.done) return next.value;
}
