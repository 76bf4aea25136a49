import type { PolicyIndex } from '../policy/policy-index.js';
import type { LineageNode, NodeDetail } from './answers.js';
import { countryOf, locatedNode, toNodeRef, type GraphNode } from './graph-node.js';
import { nodeIdOf } from './name-node.js';

/** A node as lineage answers show it: located, with its labels, country, open alerts and, for a deleted dataset, its latest delete. */
export function describeNode(
  node: GraphNode,
  labels: Iterable<string>,
  openAlertIds: Iterable<string>,
  policies: PolicyIndex,
  deletedAtMs?: number,
): LineageNode {
  const ref = toNodeRef(node, policies);
  const country = countryOf(ref);
  return {
    ...ref,
    id: nodeIdOf(ref),
    classifications: [...new Set(labels)].sort(),
    ...(country ? { country } : {}),
    openAlertIds: [...openAlertIds].sort(),
    ...(deletedAtMs !== undefined && !node.isActor ? { deletedAt: new Date(deletedAtMs).toISOString() } : {}),
  };
}

/** Where a described node is, and where that knowledge comes from (an event, the store catalog, or nowhere: fail closed). */
export function nodeLocation(described: LineageNode, node: GraphNode, policies: PolicyIndex): NodeDetail['location'] {
  return {
    ...(described.provider ? { provider: described.provider } : {}),
    ...(described.region ? { region: described.region } : {}),
    ...(described.country ? { country: described.country } : {}),
    source: policies.locationSource(locatedNode(node)),
  };
}
