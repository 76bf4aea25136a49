import type { Alert } from '../policy/alert.js';
import type { PolicyIndex } from '../policy/policy-index.js';
import { toNodeRef } from '../lineage/graph-node.js';
import type { FoundViolation } from '../lineage/find-violations.js';
import type { Witness } from '../lineage/trace-witness.js';

/**
 * An alert's `open` state (docs/contract.md §5): the violation, its witness path (ending at the node as the
 * policy locates it) and when the tracker detected it.
 */
export function openAlert(
  { alertId, violation, node, labels }: FoundViolation,
  policies: PolicyIndex,
  witness: Witness,
  detectedAt: string,
): Alert {
  const ref = toNodeRef(node, policies);
  const path = [...witness.path];
  path[path.length - 1] = ref;
  return {
    schemaVersion: '1',
    alertId,
    status: 'open',
    policyId: violation.policy.id,
    severity: violation.policy.severity,
    reason: violation.reason,
    classifications: [...labels].sort(),
    node: ref,
    ...witness,
    path,
    detectedAt,
  };
}

/** What ended a violation (docs/contract.md §5, §13): a delete of its data, or a policy that allows it where it is. */
export type RemediatedBy = NonNullable<Alert['remediatedBy']>;

/** An alert's `remediated` state: its open state, with the labels it holds now, detected when the data went (or the policy changed). */
export function remediatedState(open: Alert, classifications: string[], remediatedAt: string | null, remediatedBy: RemediatedBy): Alert {
  return { ...open, status: 'remediated', classifications, detectedAt: remediatedAt ?? open.detectedAt, remediatedBy };
}

/** An alert in its current state, as its latest state was (or will be) published. */
export function currentAlert(record: {
  open: Alert;
  status: Alert['status'];
  classifications: string[];
  remediatedAt: string | null;
  remediatedBy: RemediatedBy | null;
}): Alert {
  return record.status === 'remediated'
    ? remediatedState(record.open, record.classifications, record.remediatedAt, record.remediatedBy ?? 'delete')
    : { ...record.open, classifications: record.classifications };
}
