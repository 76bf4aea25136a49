import { createHash } from 'node:crypto';
import type { NodeRef } from '../policy/alert.js';
import type { PolicyIndex, Violation } from '../policy/policy-index.js';
import { locatedNode, nodeIdentity, toNodeRef, type HeldNode } from './graph-node.js';

/** Stable alert id (docs/contract.md §5): the same (policy, node) always gives the same id, whatever process computes it. */
export function alertIdOf(policyId: string, node: NodeRef): string {
  return createHash('sha256')
    .update(`${policyId}\n${nodeIdentity(node)}`)
    .digest('hex')
    .slice(0, 32);
}

/** One alert's worth of violation: labels of one policy that reached one node, from the earliest holding among them. */
export interface FoundViolation {
  alertId: string;
  /** The earliest of the holdings: where the witness path starts from. */
  node: HeldNode;
  violation: Violation;
  labels: string[];
}

/**
 * The violations among located holdings (docs/contract.md §4–5), one group per (policy, node): a holding of
 * a protected label at a location its policy does not allow, or cannot place (fail closed). The
 * labels of one policy that reached a node together make one alert, dated by the earliest arrival.
 * `idOf` gives a holding's alert id (`alertIdOf` its identity; a store may remember it per node).
 */
export function findViolations(
  held: readonly HeldNode[],
  policies: PolicyIndex,
  idOf: (policyId: string, node: HeldNode) => string = (policyId, node) => alertIdOf(policyId, toNodeRef(node)),
): Map<string, FoundViolation> {
  const groups = new Map<string, FoundViolation>();
  for (const node of held) {
    const where = policies.locate(locatedNode(node));
    for (const violation of policies.violations(node.label, where)) {
      const alertId = idOf(violation.policy.id, node);
      const group = groups.get(alertId);
      if (!group) groups.set(alertId, { alertId, node, violation, labels: [node.label] });
      else {
        if (!group.labels.includes(node.label)) group.labels.push(node.label);
        if (node.since < group.node.since) group.node = node;
      }
    }
  }
  return groups;
}
