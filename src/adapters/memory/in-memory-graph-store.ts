import type { GraphWritePlan } from '../../ingest/plan-graph-write.js';
import type { GraphStore, OutboxClaimant, PendingAlert, WriteOutcome } from '../../ports/graph-store.js';

/**
 * Keeps written plans in memory: the graph store the pipeline's unit tests use. `failWith` makes
 * writes fail (all of them, or those the predicate picks), as an outage or a refused event would.
 */
export class InMemoryGraphStore implements GraphStore {
  readonly plans: GraphWritePlan[] = [];
  writeAttempts = 0;
  failWith: ((plan: GraphWritePlan) => Error | undefined) | undefined;

  /** Every event id written, in write order. */
  get writtenEventIds(): string[] {
    return this.plans.flatMap((plan) => plan.events.map((e) => e.eventId));
  }

  ensureSchema(): Promise<void> {
    return Promise.resolve();
  }

  /** Alert ids the next successful write claims (from `pending`), as a policy evaluation would. */
  alertIdsToReport: string[] = [];
  pending: PendingAlert[] = [];
  published: Array<{ alertId: string; statuses: readonly string[] }> = [];

  write(plan: GraphWritePlan): Promise<WriteOutcome> {
    this.writeAttempts += 1;
    const failure = this.failWith?.(plan);
    if (failure) return Promise.reject(failure);
    this.plans.push(plan);
    const ids = this.alertIdsToReport.splice(0);
    return Promise.resolve({ claimed: this.pending.filter((p) => ids.includes(p.alertId)) });
  }

  claimPendingAlerts(_claimant: OutboxClaimant, alertIds?: string[], limit = 1_000): Promise<PendingAlert[]> {
    return Promise.resolve(this.pending.filter((p) => !alertIds || alertIds.includes(p.alertId)).slice(0, limit));
  }

  markAlertsPublished(_claimant: OutboxClaimant, published: ReadonlyArray<{ alertId: string; statuses: readonly string[] }>): Promise<void> {
    this.published.push(...published);
    this.pending = this.pending.filter((p) => !published.some((q) => q.alertId === p.alertId));
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
