/** A movement out of a node: when it happened and what it strips (a `derive`'s `removesClassifications`). */
export interface Movement {
  timeMs: number;
  removes?: readonly string[] | null | undefined;
}

/**
 * The carry rule (docs/contract.md §3): a movement at time t carries a label when its source held the label
 * by t + the clock-skew tolerance, unless the movement removes it. A label that reaches the source
 * only later does not flow through. Cypher twins: SEED_SUBQUERIES and APPLY_BODY in
 * `src/adapters/neo4j/propagate-labels.ts`, the residency and egress queries.
 */
export function carries(movement: Movement, label: string, heldSinceMs: number, skewMs: number): boolean {
  return heldSinceMs <= movement.timeMs + skewMs && !(movement.removes?.includes(label) ?? false);
}
