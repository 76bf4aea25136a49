import type { GraphWritePlan } from '../lineage/plan-graph-write.js';
import type { Alert } from '../policy/alert.js';

/**
 * Who publishes alert states, and to which outbox: the alerts topic they go to. A claim (and the
 * sweep) only ever takes states recorded for its own outbox.
 */
export interface OutboxClaimant {
  id: string;
  outbox: string;
}

/**
 * What a write changed beyond the graph: the alerts it gave a state to publish, already claimed
 * for the writer in the same transaction (alerts someone else holds a claim on are left to the
 * claim's holder, who publishes them when it marks its own states published).
 */
export interface WriteOutcome {
  claimed: PendingAlert[];
}

/** An alert's unpublished states, in the order they must be published (open before remediated). */
export interface PendingAlert {
  alertId: string;
  messages: Alert[];
  /** A waiver held the alert back at some point (docs/contract.md §12): its open state was never published while it was waived. */
  heldByWaiver?: boolean;
}

/**
 * The lineage graph. `write` applies a plan atomically and idempotently (a plan written twice
 * leaves the graph as written once), evaluates the residency policies over what it changed, and
 * records any alert in the same transaction; it rejects with a retriable error when the store is
 * unreachable or busy, and nothing of the plan is then written.
 */
export interface GraphStore {
  /** Creates constraints and indexes; safe to call at every start. */
  ensureSchema(): Promise<void>;
  write(plan: GraphWritePlan, claimant: OutboxClaimant): Promise<WriteOutcome>;
  /**
   * Claims alerts with states not yet published to the claimant's outbox (those named, or all) for a lease:
   * while the claim holds, nobody else gets them. Alerts claimed by someone else are skipped. At most
   * `limit` alerts per call: a large backlog is claimed (and published) in rounds.
   */
  claimPendingAlerts(claimant: OutboxClaimant, alertIds?: string[], limit?: number): Promise<PendingAlert[]>;
  /** Extends the claimant's lease on these alerts (a publish still in flight keeps them its own); claims it lost are left alone. */
  renewClaims(claimant: OutboxClaimant, alertIds: readonly string[]): Promise<void>;
  /**
   * Keeps these claimed alerts unpublished until `untilMs` (a waiver covers them, docs/contract.md §12): the
   * claimant's claim lasts until then, so no sweep takes them sooner, and each is marked as held once.
   */
  holdAlerts(claimant: OutboxClaimant, holds: ReadonlyArray<{ alertId: string; untilMs: number }>): Promise<void>;
  /**
   * Records that these states were published (acknowledged by the broker) and releases the claim.
   * Resolves to those of these alerts that still have a state to publish: one another write recorded
   * while the claim was held (it could not claim it), which the claimant publishes next.
   */
  markAlertsPublished(
    claimant: OutboxClaimant,
    published: ReadonlyArray<{ alertId: string; statuses: ReadonlyArray<Alert['status']> }>,
  ): Promise<string[]>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
