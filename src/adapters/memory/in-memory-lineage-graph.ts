import type { DataMovementEvent } from '../../events/data-movement-event.js';
import type { DatasetObservation, GraphWritePlan } from '../../lineage/plan-graph-write.js';
import { propagateArrivals, seedArrivals } from '../../lineage/propagate-arrivals.js';
import type { Alert } from '../../policy/alert.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { GraphStore, OutboxClaimant, PendingAlert, WriteOutcome } from '../../ports/graph-store.js';
import { pendingOf, type AlertRecord } from './alert-record.js';
import { InMemoryAlertBook } from './in-memory-alert-book.js';
import { InMemoryLineageQueries } from './in-memory-lineage-queries.js';
import { heldNode, LineageMemory, type EventWriteOptions, type WriteAdded } from './lineage-memory.js';

const CLAIM_LEASE_MS = 30_000;

/**
 * The lineage graph in memory, running the rules of `src/lineage/` (CONTRACT §3–5) exactly as the
 * Neo4j store applies them: what unit tests and `borderline check` use. Without a policy it only
 * records. `failWith` makes writes fail (all, or those the predicate picks), as an outage or a
 * refused event would; with `keepPlans`, `plans` keeps every plan written (for tests of what was written).
 */
export class InMemoryLineageGraph implements GraphStore {
  readonly memory = new LineageMemory();
  readonly plans: GraphWritePlan[] = [];
  writeAttempts = 0;
  failWith: ((plan: GraphWritePlan) => Error | undefined) | undefined;
  /** Every (alertId, statuses) marked published, in order. */
  readonly published: Array<{ alertId: string; statuses: readonly Alert['status'][] }> = [];
  private readonly book: InMemoryAlertBook | undefined;
  /** The auditors' questions, answered from this graph. */
  readonly queries: InMemoryLineageQueries;
  private readonly protectedLabels: ReadonlySet<string>;

  private readonly keepPlans: boolean;
  private readonly clock: () => Date;

  constructor(
    private readonly policies?: PolicyIndex,
    options: { keepPlans?: boolean; clock?: () => Date } = {},
  ) {
    this.keepPlans = options.keepPlans ?? false;
    this.clock = options.clock ?? (() => new Date());
    this.book = policies ? new InMemoryAlertBook(this.memory, policies) : undefined;
    this.protectedLabels = new Set(policies?.protectedLabels ?? []);
    this.queries = new InMemoryLineageQueries(this.memory, this.book, policies);
  }

  /** Every event id written, in write order. */
  get writtenEventIds(): string[] {
    return this.plans.flatMap((plan) => plan.events.map((e) => e.eventId));
  }

  ensureSchema(): Promise<void> {
    return Promise.resolve();
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the port's write is asynchronous: a throw here is its rejection
  async write(plan: GraphWritePlan, claimant: OutboxClaimant): Promise<WriteOutcome> {
    this.writeAttempts += 1;
    const failure = this.failWith?.(plan);
    if (failure) throw failure;
    if (this.keepPlans) this.plans.push(plan);
    return this.apply(this.memory.writeRows(plan), claimant);
  }

  /**
   * Writes events straight into the graph (`LineageMemory.writeEvents`: the rows a plan of them would
   * hold, without the plan) and evaluates them as `write` does: what `borderline check` uses.
   */
  writeEvents(
    events: readonly DataMovementEvent[],
    observed: ReadonlyArray<DatasetObservation>,
    claimant: OutboxClaimant,
    options: EventWriteOptions = {},
  ): WriteOutcome {
    this.writeAttempts += 1;
    return this.apply(this.memory.writeEvents(events, observed, options), claimant);
  }

  private apply({ relocated, assertions, movements, deletions }: WriteAdded, claimant: OutboxClaimant): WriteOutcome {
    if (!this.policies || !this.book) return { claimed: [] };
    const skew = this.policies.skewMs;
    const seeds = seedArrivals(assertions, movements, this.memory, this.protectedLabels, skew);
    const applied = propagateArrivals(this.memory, seeds, skew);
    const improved = applied.map((a) => heldNode(a.target, a.label, a.since, a.via, a.from));
    const now = this.clock();
    const { created, updated } = this.book.record(deletions, [...relocated, ...improved], claimant, now, now.getTime() + CLAIM_LEASE_MS);
    return { claimed: [...created, ...this.claim(claimant, updated.sort(), now.getTime())] };
  }

  private claimable(record: AlertRecord, claimant: OutboxClaimant, now: number): boolean {
    return record.outbox === claimant.outbox && (record.claimUntil === null || record.claimUntil < now);
  }

  private claim(claimant: OutboxClaimant, ids: readonly string[], now: number): PendingAlert[] {
    const claimed: PendingAlert[] = [];
    for (const id of ids) {
      const record = this.book?.records.get(id);
      if (!record || !this.claimable(record, claimant, now)) continue;
      Object.assign(record, { claimedBy: claimant.id, claimUntil: now + CLAIM_LEASE_MS });
      claimed.push(pendingOf(record));
    }
    return claimed;
  }

  claimPendingAlerts(claimant: OutboxClaimant, alertIds?: string[], limit = 1_000): Promise<PendingAlert[]> {
    const now = this.clock().getTime();
    const ids = alertIds ?? [...(this.book?.records.values() ?? [])].filter((r) => r.outbox === claimant.outbox).map((r) => r.alertId);
    const claimable = ids.filter((id) => {
      const record = this.book?.records.get(id);
      return record !== undefined && this.claimable(record, claimant, now);
    });
    return Promise.resolve(this.claim(claimant, claimable.sort().slice(0, limit), now));
  }

  /** Every renewal asked for, in order (tests of the outbox's lease). */
  readonly renewals: Array<readonly string[]> = [];

  renewClaims(claimant: OutboxClaimant, alertIds: readonly string[]): Promise<void> {
    this.renewals.push([...alertIds]);
    const until = this.clock().getTime() + CLAIM_LEASE_MS;
    for (const id of alertIds) {
      const record = this.book?.records.get(id);
      if (record?.claimedBy === claimant.id) record.claimUntil = until;
    }
    return Promise.resolve();
  }

  holdAlerts(claimant: OutboxClaimant, holds: ReadonlyArray<{ alertId: string; untilMs: number }>): Promise<void> {
    for (const h of holds) {
      const record = this.book?.records.get(h.alertId);
      if (record?.claimedBy === claimant.id) Object.assign(record, { claimUntil: h.untilMs, waiverHeld: true });
    }
    return Promise.resolve();
  }

  markAlertsPublished(
    claimant: OutboxClaimant,
    published: ReadonlyArray<{ alertId: string; statuses: ReadonlyArray<Alert['status']> }>,
  ): Promise<string[]> {
    const stillPending: string[] = [];
    for (const p of published) {
      this.published.push({ alertId: p.alertId, statuses: [...p.statuses] });
      const record = this.book?.records.get(p.alertId);
      if (!record || record.claimedBy !== claimant.id) continue;
      record.openPending &&= !p.statuses.includes('open');
      record.remediatedPending &&= !p.statuses.includes('remediated');
      Object.assign(record, { claimedBy: null, claimUntil: null });
      if (!record.openPending && !record.remediatedPending) record.outbox = null;
      else stillPending.push(p.alertId);
    }
    return Promise.resolve(stillPending);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
