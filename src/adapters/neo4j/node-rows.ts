import type { Alert, NodeRef } from '../../policy/alert.js';
import type { LocatedNode, PolicyIndex } from '../../policy/policy-index.js';
import { countryOfRegion } from '../../policy/region-catalog.js';

/** A node as Cypher returns it with `nodeFields(...)`. */
export interface NodeRow {
  isActor: boolean;
  namespace: string | null;
  name: string | null;
  service: string | null;
  region: string | null;
  provider: string | null;
}

type NodeVariable = 'x' | 'y' | 'a' | 'b' | 'd';
const NODE_FIELDS = (v: NodeVariable): Array<[keyof NodeRow, string]> =>
  [['isActor', `${v}:Actor`], ['namespace', `${v}.namespace`], ['name', `${v}.name`], ['service', `${v}.service`], ['region', `${v}.region`], ['provider', `${v}.provider`]];

/** The RETURN columns of a node bound to `v` (a constant variable name: no value is ever interpolated). */
export const nodeFields = (v: NodeVariable): string => NODE_FIELDS(v).map(([key, value]) => `${value} AS ${key}`).join(', ');

/** The same fields as entries of a map literal (`{id: ..., ${nodeMap('d')}}`). */
export const nodeMap = (v: NodeVariable): string => NODE_FIELDS(v).map(([key, value]) => `${key}: ${value}`).join(', ');

/** A node holding a protected label since `since` (epoch ms), by element id, with its location. */
export interface HeldNode extends NodeRow {
  id: string;
  label: string;
  since: number;
  /**
   * Set when this transaction wrote the holding (propagation): the event that brought the label and
   * the node it came from (both null where it was asserted) — one step of a witness path, known
   * without reading it back.
   */
  via?: string | null;
  from?: string | null;
}

/** A row as the policy index takes it. */
export function locatedNode(row: NodeRow): LocatedNode {
  return row.isActor ? { kind: 'actor', provider: row.provider, region: row.region } : { kind: 'dataset', namespace: row.namespace ?? '', provider: row.provider, region: row.region };
}

/** The node as the outside world names it, located as the policy sees it (the store catalog fills a missing region). */
export function toNodeRef(row: NodeRow, policies?: PolicyIndex): NodeRef {
  const where = policies?.locate(locatedNode(row));
  const region = where?.region ?? row.region;
  const provider = where?.provider ?? row.provider;
  if (row.isActor) return { kind: 'actor', service: row.service ?? '', region: region ?? '', ...(provider ? { provider } : {}) };
  return { kind: 'dataset', namespace: row.namespace ?? '', name: row.name ?? '', ...(region ? { region } : {}), ...(provider ? { provider } : {}) };
}

/** The country of a located node, when the region catalog can place it. */
export function countryOf(node: { region?: string | undefined; provider?: string | undefined }): string | undefined {
  return node.region ? countryOfRegion(node.region, node.provider) : undefined;
}

/** An alert's `remediated` state: its open state, with the labels it holds now, detected when the data went. */
export function remediatedState(open: Alert, classifications: string[], remediatedAt: string | null): Alert {
  return { ...open, status: 'remediated', classifications, detectedAt: remediatedAt ?? open.detectedAt };
}

/** An alert in its current state, as its latest state was (or will be) published. */
export function currentAlert(record: { payload: string; status: Alert['status']; classifications: string[]; remediatedAt: string | null }): Alert {
  const open = JSON.parse(record.payload) as Alert;
  return record.status === 'remediated' ? remediatedState(open, record.classifications, record.remediatedAt) : { ...open, classifications: record.classifications };
}
