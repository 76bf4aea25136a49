import { appendAll } from '../../collections/append-all.js';
import { isClaimable } from '../../alerts/outbox-lease.js';
import type { Alert } from '../../policy/alert.js';
import type { OutboxClaimant, PendingAlert } from '../../ports/graph-store.js';
import { pendingOf, type AlertRecord } from './alert-record.js';

/**
 * The outbox half of the in-memory graph store: claims with a lease, renewals, waiver holds and
 * marks, over the alert book's records, as the Neo4j store keeps them on its Alert nodes.
 */
export class InMemoryOutbox {
  constructor(
    private readonly records: ReadonlyMap<string, AlertRecord>,
    private readonly clock: () => number,
    readonly leaseMs: number,
  ) {}

  /** Claims the named alerts that are claimable now, in the order given. */
  claim(claimant: OutboxClaimant, ids: readonly string[], nowMs = this.clock()): PendingAlert[] {
    const claimed: PendingAlert[] = [];
    for (const id of ids) {
      const record = this.records.get(id);
      if (!record || !isClaimable(record, claimant, nowMs)) continue;
      Object.assign(record, { claimedBy: claimant.id, claimUntil: nowMs + this.leaseMs });
      claimed.push(pendingOf(record));
    }
    return claimed;
  }

  /** GraphStore.claimPendingAlerts: the claimable alerts (of those named, or all), by id, at most `limit`. */
  claimPending(claimant: OutboxClaimant, alertIds: readonly string[] | undefined, limit: number): PendingAlert[] {
    const now = this.clock();
    const candidates: string[] = [];
    if (alertIds) appendAll(candidates, alertIds);
    else for (const r of this.records.values()) if (r.outbox === claimant.outbox) candidates.push(r.alertId);
    const claimable = candidates.filter((id) => {
      const record = this.records.get(id);
      return record !== undefined && isClaimable(record, claimant, now);
    });
    return this.claim(claimant, claimable.sort().slice(0, limit), now);
  }

  renew(claimant: OutboxClaimant, alertIds: readonly string[]): void {
    const until = this.clock() + this.leaseMs;
    for (const id of alertIds) {
      const record = this.records.get(id);
      if (record?.claimedBy === claimant.id) record.claimUntil = until;
    }
  }

  hold(claimant: OutboxClaimant, holds: ReadonlyArray<{ alertId: string; untilMs: number }>): void {
    for (const h of holds) {
      const record = this.records.get(h.alertId);
      if (record?.claimedBy === claimant.id) Object.assign(record, { claimUntil: h.untilMs, waiverHeld: true });
    }
  }

  /** Marks the states published and releases the claims; returns the alerts that still have a state to publish. */
  markPublished(
    claimant: OutboxClaimant,
    published: ReadonlyArray<{ alertId: string; statuses: ReadonlyArray<Alert['status']> }>,
  ): string[] {
    const stillPending: string[] = [];
    for (const p of published) {
      const record = this.records.get(p.alertId);
      if (!record || record.claimedBy !== claimant.id) continue;
      record.openPending &&= !p.statuses.includes('open');
      record.remediatedPending &&= !p.statuses.includes('remediated');
      Object.assign(record, { claimedBy: null, claimUntil: null });
      if (!record.openPending && !record.remediatedPending) record.outbox = null;
      else stillPending.push(p.alertId);
    }
    return stillPending;
  }
}
