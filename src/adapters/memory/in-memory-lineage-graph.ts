import type { DataMovementEvent } from '../../events/data-movement-event.js';
import type { DatasetObservation, GraphWritePlan } from '../../lineage/plan-graph-write.js';
import { propagateArrivals, seedArrivals } from '../../lineage/propagate-arrivals.js';
import type { Alert } from '../../policy/alert.js';
import { PolicyIndex } from '../../policy/policy-index.js';
import type { PolicyFile } from '../../policy/policy-file.js';
import { policyFingerprint } from '../../policy/policy-fingerprint.js';
import { matchesPattern } from '../../policy/classification-catalog.js';
import type { HeldNode } from '../../lineage/graph-node.js';
import type { ReevaluationOutcome } from '../../ports/policy-reevaluation.js';
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
  private protectedLabels: ReadonlySet<string>;

  private readonly clock: () => Date;
  private readonly outbox: InMemoryOutbox;

  constructor(
    private policies?: PolicyIndex,
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

  /**
   * Re-judges the whole graph under `file` (docs/contract.md §13): the reference twin of the Neo4j
   * re-evaluation (reevaluate-policy.ts), done the simplest way — every holding computed again from
   * every assertion (and the catalog's datasets, from their first appearance), then every alert
   * judged. The states it records are claimed for `claimant`, as a write's are.
   */
  reevaluate(file: PolicyFile, claimant: OutboxClaimant): { claimed: PendingAlert[]; outcome: Omit<ReevaluationOutcome, 'previous'> } {
    const started = Date.now();
    const policies = new PolicyIndex(file);
    const before = new Set(this.policies?.protectedLabels ?? []);
    this.policies = policies;
    this.protectedLabels = new Set(policies.protectedLabels);
    if (!this.book) throw new Error('only a graph built with a policy is re-evaluated under another');
    this.queries.judgeUnder(policies);
    const dropped = [...this.memory.nodes.values()].reduce((n, node) => n + (node.held?.size ?? 0), 0);
    this.memory.forgetHoldings();
    const seeds = seedArrivals(this.memory.assertions(), [], this.memory, this.protectedLabels, policies.skewMs);
    for (const entry of policies.catalog.entries) {
      const labels = entry.classifications.filter((label) => this.protectedLabels.has(label));
      for (const node of this.memory.nodes.values()) {
        const first = node.isActor || labels.length === 0 || !matchesEntry(entry, node) ? undefined : this.memory.firstSeen(node);
        if (first !== undefined) for (const label of labels) seeds.push({ target: node, label, since: first, via: null, from: null });
      }
    }
    const applied = propagateArrivals(this.memory, seeds, policies.skewMs);
    const held: HeldNode[] = [];
    for (const node of this.memory.nodes.values()) node.held?.forEach((h, label) => held.push(heldNode(node, label, h.since)));
    const now = this.clock();
    const judged = this.book.rejudge(policies, held, claimant, now, now.getTime() + this.outbox.leaseMs);
    const claimed = [...judged.created, ...this.outbox.claim(claimant, judged.updated.sort(), now.getTime())];
    return {
      claimed,
      outcome: {
        fingerprint: policyFingerprint(file),
        newlyProtected: policies.protectedLabels.filter((l) => !before.has(l)),
        noLongerProtected: [...before].filter((l) => !this.protectedLabels.has(l)).sort(),
        holdingsDropped: dropped,
        holdingsGained: applied.length,
        nodesJudged: new Set(held.map((h) => h.id)).size,
        opened: judged.created.length,
        reopened: judged.reopened,
        remediated: judged.remediated,
        ms: Date.now() - started,
      },
    };
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

/** Whether a catalog entry names a dataset (its namespace, and its name when the entry gives one). */
const matchesEntry = (entry: PolicyFile['classify'][number], node: { namespace: string | null; name: string | null }): boolean =>
  matchesPattern(entry.namespace, node.namespace ?? '') && (entry.name === undefined || matchesPattern(entry.name, node.name ?? ''));
