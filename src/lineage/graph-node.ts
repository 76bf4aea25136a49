import type { NodeRef } from '../policy/alert.js';
import type { LocatedNode, PolicyIndex } from '../policy/policy-index.js';
import { countryOfRegion } from '../policy/region-catalog.js';

/**
 * A node of the lineage graph as the graph stores it (docs/contract.md §2–3): a dataset, identified by
 * (namespace, name), or an actor, identified by (service, region); with the location its events stated.
 */
export interface GraphNode {
  isActor: boolean;
  namespace: string | null;
  name: string | null;
  service: string | null;
  region: string | null;
  provider: string | null;
}

/** A node holding a protected label since `since` (epoch ms), by the store's id for it, with its location. */
export interface HeldNode extends GraphNode {
  id: string;
  label: string;
  since: number;
  /**
   * Set when the holding was written by the same write (propagation): the event that brought the
   * label and the node it came from (both null where it was asserted) — one step of a witness path.
   */
  via?: string | null;
  from?: string | null;
}

/** A node as the policy index takes it. */
export function locatedNode(node: GraphNode): LocatedNode {
  return node.isActor
    ? { kind: 'actor', provider: node.provider, region: node.region }
    : { kind: 'dataset', namespace: node.namespace ?? '', provider: node.provider, region: node.region };
}

/** The node as the outside world names it, located as the policy sees it (the store catalog fills a missing region). */
export function toNodeRef(node: GraphNode, policies?: PolicyIndex): NodeRef {
  const where = policies?.locate(locatedNode(node));
  const region = where?.region ?? node.region;
  const provider = where?.provider ?? node.provider;
  if (node.isActor) return { kind: 'actor', service: node.service ?? '', region: region ?? '', ...(provider ? { provider } : {}) };
  return {
    kind: 'dataset',
    namespace: node.namespace ?? '',
    name: node.name ?? '',
    ...(region ? { region } : {}),
    ...(provider ? { provider } : {}),
  };
}

/** The country of a located node, when the region catalog can place it. */
export function countryOf(node: { region?: string | undefined; provider?: string | undefined }): string | undefined {
  return node.region ? countryOfRegion(node.region, node.provider) : undefined;
}

/** The identity text of a node (what makes two references the same node), for ids and map keys. */
export function nodeIdentity(node: NodeRef): string {
  return node.kind === 'dataset' ? `dataset\n${node.namespace}\n${node.name}` : `actor\n${node.service}\n${node.region}`;
}
