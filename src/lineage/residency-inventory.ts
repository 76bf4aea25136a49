import type { PolicyIndex } from '../policy/policy-index.js';
import type { Holding } from './answers.js';
import { carries, type Movement } from './carry-labels.js';
import { happenedBy, upTo, type AsOf } from './as-of.js';
import { countryOf, toNodeRef, type GraphNode } from './graph-node.js';

/** What the residency inventory needs to know of one node holding a label. */
export interface HoldingHistory {
  /** When the label first reached the node. */
  since: number;
  /** Times of the deletes of the node (datasets). */
  deletes: Iterable<number>;
  /** Times of the moves out of the node (a move is a copy whose inputs stop holding the data). */
  movesOut: Iterable<number>;
  /** Times the label was asserted on the node. */
  assertions: Iterable<number>;
  /** Movements into the node, each with when its source first held the label (undefined: never). */
  inflows: Iterable<Movement & { sourceSince: number | undefined }>;
}

/** When the data left a node it reached at `since`: the latest delete or move out at or after the arrival, or null. */
export function departedAt(history: Pick<HoldingHistory, 'since' | 'deletes' | 'movesOut'>): number | null {
  let gone: number | null = null;
  for (const t of [...history.deletes, ...history.movesOut]) if (t >= history.since && (gone === null || t > gone)) gone = t;
  return gone;
}

/**
 * Whether a node holds a label now, or as of `asOf` (docs/contract.md §3; as-of.ts): it holds it from its
 * arrival on, unless a delete or a move out took the data away after it arrived — and the label did
 * not arrive there again afterwards (asserted, or carried in by a later movement from a source that
 * held it). Only what happened by `asOf` counts. Cypher twin: `residencyQuery` (lineage-query-statements.ts).
 */
export function holdsAt(history: HoldingHistory, label: string, skewMs: number, asOf?: AsOf): boolean {
  if (!happenedBy(history.since, asOf)) return false;
  const gone = departedAt({ since: history.since, deletes: upTo(history.deletes, asOf), movesOut: upTo(history.movesOut, asOf) });
  if (gone === null) return true;
  for (const t of history.assertions) if (t > gone && happenedBy(t, asOf)) return true;
  for (const m of history.inflows)
    if (m.timeMs > gone && happenedBy(m.timeMs, asOf) && m.sourceSince !== undefined && carries(m, label, m.sourceSince, skewMs))
      return true;
  return false;
}

/** The order of a residency list: earliest arrival first, then by namespace, name and service. */
export function compareHoldings(a: { since: number; node: GraphNode }, b: { since: number; node: GraphNode }): number {
  if (a.since !== b.since) return a.since - b.since;
  const key = (n: GraphNode) => [n.namespace ?? '', n.name ?? '', n.service ?? ''];
  const [x, y] = [key(a.node), key(b.node)];
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** A node holding `label` as the inventory reports it: approved or not, under which policies, and why. */
export function describeHolding(node: GraphNode, label: string, since: number, policies: PolicyIndex): Holding {
  const ref = toNodeRef(node, policies);
  const violations = policies.violations(label, { provider: ref.provider ?? null, region: ref.region ?? null });
  const country = countryOf(ref);
  return {
    node: ref,
    approved: violations.length === 0,
    policyIds: violations.length === 0 ? policies.protecting(label).map((p) => p.id) : violations.map((v) => v.policy.id),
    ...(violations[0] ? { reason: violations[0].reason } : {}),
    ...(country ? { country } : {}),
    since: new Date(since).toISOString(),
  };
}

/** Holdings of one place: a provider and region (or an unknown location), approved or not, and how many nodes hold the label there. */
export interface ResidencyPlace {
  provider?: string;
  region?: string;
  country?: string;
  approved: boolean;
  reason?: Holding['reason'];
  /** How many datasets and actors hold the label there. */
  holders: number;
  policyIds: string[];
}

/**
 * Holdings grouped by place (what a residency panel shows): places no policy allows first, then the
 * busiest. A holding may stand for `holders` nodes in one place (a store counts them for it).
 */
export function summarizePlaces(holdings: Iterable<Holding & { holders?: number }>): ResidencyPlace[] {
  const places = new Map<string, ResidencyPlace>();
  for (const h of holdings) {
    const { provider, region } = h.node;
    const key = JSON.stringify([provider ?? null, region ?? null, h.approved]);
    let place = places.get(key);
    if (!place) {
      place = {
        ...(provider ? { provider } : {}),
        ...(region ? { region } : {}),
        ...(h.country ? { country: h.country } : {}),
        approved: h.approved,
        ...(h.reason ? { reason: h.reason } : {}),
        holders: 0,
        policyIds: [],
      };
      places.set(key, place);
    }
    place.holders += h.holders ?? 1;
    for (const id of h.policyIds) if (!place.policyIds.includes(id)) place.policyIds.push(id);
  }
  return [...places.values()].sort(
    (a, b) =>
      Number(a.approved) - Number(b.approved) ||
      b.holders - a.holders ||
      `${a.provider ?? ''} ${a.region ?? ''}`.localeCompare(`${b.provider ?? ''} ${b.region ?? ''}`),
  );
}
