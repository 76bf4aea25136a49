import { alertFacts } from '../../alerts/alert-filter.js';
import { openAlert, remediatedState } from '../../alerts/alert-states.js';
import { remediates, remediatingDelete } from '../../lineage/remediating-delete.js';
import { alertIdOf, findViolations, type FoundViolation } from '../../lineage/find-violations.js';
import { toNodeRef, type HeldNode } from '../../lineage/graph-node.js';
import { traceWitnessSync, type WitnessStep } from '../../lineage/trace-witness.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { OutboxClaimant, PendingAlert } from '../../ports/graph-store.js';
import type { LineageMemory, MemoryNode } from './lineage-memory.js';
import { pendingOf, type AlertRecord } from './alert-record.js';

/**
 * The alerts of the in-memory graph (docs/contract.md §5), recorded as the Neo4j store records them
 * (record-alerts.ts): raised from the violations `src/lineage/` finds, with their witness paths;
 * remediated by deletes; each state kept until its claimant marks it published.
 */
export class InMemoryAlertBook {
  readonly records = new Map<string, AlertRecord>();
  /** Alert ids by node id and policy: an id is a hash, computed once per (policy, node). */
  private readonly ids = new Map<string, Map<string, string>>();
  private readonly idOf = (policyId: string, node: HeldNode): string => {
    let byPolicy = this.ids.get(node.id);
    if (!byPolicy) this.ids.set(node.id, (byPolicy = new Map<string, string>()));
    let id = byPolicy.get(policyId);
    if (id === undefined) byPolicy.set(policyId, (id = alertIdOf(policyId, toNodeRef(node))));
    return id;
  };

  constructor(
    private readonly memory: LineageMemory,
    private policies: PolicyIndex,
  ) {}

  /**
   * Judges the whole graph under `policies` (docs/policy-changes.md), given every holding it now has:
   * raises the violations without an alert, opens again those a policy remediated, and remediates,
   * by policy, the open alerts no holding violates. Returns new alerts (claimed) and changed ones' ids.
   */
  rejudge(
    policies: PolicyIndex,
    held: readonly HeldNode[],
    claimant: OutboxClaimant,
    at: Date,
    claimUntil: number,
  ): { created: PendingAlert[]; updated: string[]; reopened: number; remediated: number } {
    this.policies = policies;
    const now = at.toISOString();
    const found = findViolations(held, policies, this.idOf);
    const { created, updated } = this.record([], held, claimant, at, claimUntil);
    const changed = new Set(updated);
    let reopened = 0;
    let remediated = 0;
    for (const record of this.records.values()) {
      const violation = found.get(record.alertId);
      if (violation && record.status === 'remediated' && record.remediatedBy === 'policy') {
        const open = { ...record.open, detectedAt: now };
        Object.assign(record, {
          open,
          status: 'open',
          detectedAt: now,
          remediatedAt: null,
          remediatedBy: null,
          openPending: true,
          remediatedPending: false,
          outbox: claimant.outbox,
        });
        changed.add(record.alertId);
        reopened += 1;
      } else if (!violation && record.status === 'open') {
        Object.assign(record, {
          status: 'remediated',
          remediatedPending: true,
          remediatedAt: now,
          remediatedBy: 'policy',
          outbox: claimant.outbox,
        });
        changed.add(record.alertId);
        remediated += 1;
      }
    }
    return { created, updated: [...changed], reopened, remediated };
  }

  private stepOf(label: string) {
    return (id: string): WitnessStep | undefined => {
      const node = this.memory.node(id);
      const h = node?.held?.get(label);
      if (!h || !node) return undefined;
      const event = h.via === null ? undefined : this.memory.events.get(h.via);
      return {
        node: toNodeRef(node, this.policies),
        since: h.since,
        via: h.via,
        from: h.from?.id ?? null,
        traceId: event?.traceId ?? null,
        eventTime: event?.eventTime ?? null,
      };
    };
  }

  private raise(found: FoundViolation, claimant: OutboxClaimant, detectedAt: string, claimUntil: number): PendingAlert {
    const { node } = found;
    const at = this.memory.node(node.id)!;
    const deletedAt = node.isActor ? null : remediatingDelete(at.deletes, node.since);
    const open = openAlert(found, this.policies, traceWitnessSync(node.id, this.stepOf(node.label)), detectedAt);
    const remediated = deletedAt !== null;
    const record: AlertRecord = {
      alertId: found.alertId,
      nodeId: node.id,
      policyId: open.policyId,
      severity: open.severity,
      open,
      facts: alertFacts(open),
      classifications: open.classifications,
      sinceMs: node.since,
      status: remediated ? 'remediated' : 'open',
      detectedAt,
      remediatedAt: remediated ? detectedAt : null,
      remediatedBy: remediated ? 'delete' : null,
      openPending: true,
      remediatedPending: remediated,
      outbox: claimant.outbox,
      claimedBy: claimant.id,
      claimUntil,
    };
    this.records.set(record.alertId, record);
    at.alerts.push(record);
    return pendingOf(record);
  }

  private remediate(record: AlertRecord, now: string, outbox: string): void {
    Object.assign(record, { status: 'remediated', remediatedPending: true, remediatedAt: now, remediatedBy: 'delete', outbox });
  }

  /** Adds labels to a known alert; an earlier arrival may predate a delete already seen. Returns whether a state is due. */
  private update(record: AlertRecord, found: FoundViolation, now: string, outbox: string): boolean {
    const known = { since: record.sinceMs, status: record.status };
    for (const label of found.labels)
      if (!record.classifications.includes(label)) record.classifications = [...record.classifications, label];
    record.sinceMs = Math.min(record.sinceMs, found.node.since);
    if (found.node.isActor || known.status !== 'open' || found.node.since >= known.since) return false;
    if (remediatingDelete(this.memory.node(found.node.id)?.deletes ?? [], found.node.since) === null) return false;
    this.remediate(record, now, outbox);
    return true;
  }

  /** Raises, updates and remediates the alerts a write causes (its new deletes, the holdings it changed); returns new alerts (claimed) and updated ones' ids. */
  record(
    deletions: ReadonlyArray<{ node: MemoryNode; timeMs: number }>,
    held: readonly HeldNode[],
    claimant: OutboxClaimant,
    at: Date,
    claimUntil: number,
  ): { created: PendingAlert[]; updated: string[] } {
    const now = at.toISOString();
    const created = new Map<string, PendingAlert>();
    const updated = new Set<string>();
    for (const found of findViolations(held, this.policies, this.idOf).values()) {
      const record = this.records.get(found.alertId);
      if (!record) created.set(found.alertId, this.raise(found, claimant, now, claimUntil));
      else if (this.update(record, found, now, claimant.outbox)) updated.add(found.alertId);
    }
    // A delete the write adds remediates the open alerts of its dataset that it removes the data of
    // (a redelivered delete adds nothing: what it remediates was remediated when raised or lowered).
    for (const d of deletions) {
      for (const record of d.node.alerts) {
        const { alertId } = record;
        if (record.status !== 'open' || !remediates(d.timeMs, record.sinceMs)) continue;
        this.remediate(record, now, claimant.outbox);
        const pending = created.get(alertId);
        // Created open by this write and remediated by a delete in it: both states are due.
        if (pending?.messages.length === 1)
          pending.messages.push(remediatedState(pending.messages[0]!, pending.messages[0]!.classifications, now, 'delete'));
        else if (!pending) updated.add(alertId);
      }
    }
    return { created: [...created.values()], updated: [...updated] };
  }
}
