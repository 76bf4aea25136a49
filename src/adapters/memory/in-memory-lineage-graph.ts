import type { DataMovementEvent } from '../../events/data-movement-event.js';
import type { DatasetObservation, GraphWritePlan } from '../../lineage/plan-graph-write.js';
import { propagateArrivals, seedArrivals } from '../../lineage/propagate-arrivals.js';
import type { Alert } from '../../policy/alert.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { GraphStore, OutboxClaimant, PendingAlert, WriteOutcome } from '../../ports/graph-store.js';
import { CLAIM_LEASE_MS } from '../../alerts/outbox-lease.js';
import { InMemoryAlertBook } from './in-memory-alert-book.js';
import { InMemoryLineageQueries } from './in-memory-lineage-queries.js';
import { InMemoryOutbox } from './in-memory-outbox.js';
import { heldNode, LineageMemory, type EventWriteOptions, type WriteAdded } from './lineage-memory.js';

/** How the in-memory graph is set up. */
export interface InMemoryGraphOptions {
  /** The time alerts are detected and claims leased at; the system clock by default. */
  clock?: () => Date;
  /** How long an outbox claim lasts (default CLAIM_LEASE_MS). */
  claimLeaseMs?: number;
}

/**
 * The lineage graph in memory, running the rules of `src/lineage/` (docs/semantics.md) exactly as
 * the Neo4j store applies them: what unit tests and `borderline check` use. Without a policy it only
 * records. It keeps only the graph: tests that count or fail writes wrap it
 * (test/support/instrumented-graph-store.ts).
 */
export class InMemoryLineageGraph implements GraphStore {
  readonly memory = new LineageMemory();
  private readonly book: InMemoryAlertBook | undefined;
  /** The auditors' questions, answered from this graph. */
  readonly queries: InMemoryLineageQueries;
  private readonly protectedLabels: ReadonlySet<string>;

  private readonly clock: () => Date;
  private readonly outbox: InMemoryOutbox;

  constructor(
    private readonly policies?: PolicyIndex,
    options: InMemoryGraphOptions = {},
  ) {
    const clock = options.clock ?? (() => new Date());
    this.clock = clock;
    this.book = policies ? new InMemoryAlertBook(this.memory, policies) : undefined;
    this.outbox = new InMemoryOutbox(this.book?.records ?? new Map(), () => clock().getTime(), options.claimLeaseMs ?? CLAIM_LEASE_MS);
    this.protectedLabels = new Set(policies?.protectedLabels ?? []);
    this.queries = new InMemoryLineageQueries(this.memory, this.book, policies);
  }

  ensureSchema(): Promise<void> {
    return Promise.resolve();
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the port's write is asynchronous: a throw here is its rejection
  async write(plan: GraphWritePlan, claimant: OutboxClaimant): Promise<WriteOutcome> {
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
    return this.apply(this.memory.writeEvents(events, observed, options), claimant);
  }

  private apply({ relocated, assertions, movements, deletions }: WriteAdded, claimant: OutboxClaimant): WriteOutcome {
    if (!this.policies || !this.book) return { claimed: [] };
    const skew = this.policies.skewMs;
    const seeds = seedArrivals(assertions, movements, this.memory, this.protectedLabels, skew);
    const applied = propagateArrivals(this.memory, seeds, skew);
    const improved = applied.map((a) => heldNode(a.target, a.label, a.since, a.via, a.from));
    const now = this.clock();
    const { created, updated } = this.book.record(
      deletions,
      [...relocated, ...improved],
      claimant,
      now,
      now.getTime() + this.outbox.leaseMs,
    );
    return { claimed: [...created, ...this.outbox.claim(claimant, updated.sort(), now.getTime())] };
  }

  claimPendingAlerts(claimant: OutboxClaimant, alertIds?: string[], limit = 1_000): Promise<PendingAlert[]> {
    return Promise.resolve(this.outbox.claimPending(claimant, alertIds, limit));
  }

  renewClaims(claimant: OutboxClaimant, alertIds: readonly string[]): Promise<void> {
    this.outbox.renew(claimant, alertIds);
    return Promise.resolve();
  }

  holdAlerts(claimant: OutboxClaimant, holds: ReadonlyArray<{ alertId: string; untilMs: number }>): Promise<void> {
    this.outbox.hold(claimant, holds);
    return Promise.resolve();
  }

  markAlertsPublished(
    claimant: OutboxClaimant,
    published: ReadonlyArray<{ alertId: string; statuses: ReadonlyArray<Alert['status']> }>,
  ): Promise<string[]> {
    return Promise.resolve(this.outbox.markPublished(claimant, published));
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
