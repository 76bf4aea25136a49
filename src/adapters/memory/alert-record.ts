import type { AlertFacts } from '../../alerts/alert-filter.js';
import { remediatedState, type RemediatedBy } from '../../alerts/alert-states.js';
import type { Alert } from '../../policy/alert.js';
import type { Triage } from '../../alerts/triage.js';
import type { PendingAlert } from '../../ports/graph-store.js';

/** An alert as the in-memory graph records it: its state, and which of its states are still to publish (the outbox). */
export interface AlertRecord {
  alertId: string;
  nodeId: string;
  policyId: string;
  severity: Alert['severity'];
  open: Alert;
  /** What the alert lists filter on (src/lineage/alert-filter.ts). */
  facts: AlertFacts;
  classifications: string[];
  sinceMs: number;
  status: Alert['status'];
  detectedAt: string;
  remediatedAt: string | null;
  /** What remediated it, once remediated. */
  remediatedBy: RemediatedBy | null;
  openPending: boolean;
  remediatedPending: boolean;
  outbox: string | null;
  claimedBy: string | null;
  claimUntil: number | null;
  /** A waiver held it back once (docs/contract.md §12). */
  waiverHeld?: boolean;
  triage?: Triage;
}

/** The states of an alert still to publish, open before remediated. */
export const pendingOf = (r: AlertRecord): PendingAlert => ({
  alertId: r.alertId,
  messages: [
    ...(r.openPending ? [r.open] : []),
    ...(r.remediatedPending ? [remediatedState(r.open, r.classifications, r.remediatedAt, r.remediatedBy ?? 'delete')] : []),
  ],
  ...(r.waiverHeld ? { heldByWaiver: true } : {}),
});
