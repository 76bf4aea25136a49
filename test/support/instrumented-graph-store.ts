import type { GraphWritePlan } from '../../src/lineage/plan-graph-write.js';
import type { Alert } from '../../src/policy/alert.js';
import type { GraphStore, OutboxClaimant, PendingAlert, WriteOutcome } from '../../src/ports/graph-store.js';

/**
 * A graph store that records what it is asked and can be made to fail, around a real one: failure
 * injection and spies stay out of product code. `failWith` fails writes (all, or those the predicate
 * picks) as an outage or a refused event would, before the inner store sees them.
 */
export class InstrumentedGraphStore<S extends GraphStore = GraphStore> implements GraphStore {
  failWith: ((plan: GraphWritePlan) => Error | undefined) | undefined;
  writeAttempts = 0;
  /** Every plan the inner store was given, in order. */
  readonly plans: GraphWritePlan[] = [];
  /** Every renewal asked for, in order. */
  readonly renewals: Array<readonly string[]> = [];
  /** Every (alertId, statuses) marked published, in order. */
  readonly published: Array<{ alertId: string; statuses: readonly Alert['status'][] }> = [];

  constructor(readonly inner: S) {}

  /** Every event id written, in write order. */
  get writtenEventIds(): string[] {
    return this.plans.flatMap((plan) => plan.events.map((e) => e.eventId));
  }

  ensureSchema(): Promise<void> {
    return this.inner.ensureSchema();
  }

  write(plan: GraphWritePlan, claimant: OutboxClaimant): Promise<WriteOutcome> {
    this.writeAttempts += 1;
    const failure = this.failWith?.(plan);
    if (failure) return Promise.reject(failure);
    this.plans.push(plan);
    return this.inner.write(plan, claimant);
  }

  claimPendingAlerts(claimant: OutboxClaimant, alertIds?: string[], limit?: number): Promise<PendingAlert[]> {
    return this.inner.claimPendingAlerts(claimant, alertIds, limit);
  }

  renewClaims(claimant: OutboxClaimant, alertIds: readonly string[]): Promise<void> {
    this.renewals.push([...alertIds]);
    return this.inner.renewClaims(claimant, alertIds);
  }

  holdAlerts(claimant: OutboxClaimant, holds: ReadonlyArray<{ alertId: string; untilMs: number }>): Promise<void> {
    return this.inner.holdAlerts(claimant, holds);
  }

  markAlertsPublished(
    claimant: OutboxClaimant,
    published: ReadonlyArray<{ alertId: string; statuses: ReadonlyArray<Alert['status']> }>,
  ): Promise<string[]> {
    for (const p of published) this.published.push({ alertId: p.alertId, statuses: [...p.statuses] });
    return this.inner.markAlertsPublished(claimant, published);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
