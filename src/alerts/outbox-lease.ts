/**
 * How long a claim on an alert's unpublished states lasts unless its holder renews it
 * (docs/graph-model.md, "Failure handling"): after it, the sweep of any process takes over the states
 * of a publisher that died. Both graph stores use it; a store may be given a shorter one (tests).
 */
export const CLAIM_LEASE_MS = 30_000;

/** What the outbox keeps of an alert's claim. */
export interface OutboxClaim {
  outbox: string | null;
  claimUntil: number | null;
}

/**
 * Whether a claimant may take an alert's states now: they are recorded for its outbox and nobody
 * holds an unexpired claim. The Neo4j store's CLAIMABLE condition says the same in Cypher.
 */
export function isClaimable(claim: OutboxClaim, claimant: { outbox: string }, nowMs: number): boolean {
  return claim.outbox === claimant.outbox && (claim.claimUntil === null || claim.claimUntil < nowMs);
}
