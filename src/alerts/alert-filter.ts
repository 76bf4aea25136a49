import type { Alert } from '../policy/alert.js';
import { matchesScope } from '../policy/classification-catalog.js';
import type { Triage, TriageState } from './triage.js';
import { triageStateOf, type TriagedAlert } from './triage.js';

/**
 * Which alerts a list shows (docs/contract.md §6, `GET /api/v1/alerts`): every given field must match.
 * `namespace` entries are exact or a prefix ending in `*` and select datasets; `service` selects
 * actors; given both, an alert matches either. `q` is free text: every word must occur, ignoring
 * case, in the alert's id, policy, severity, node (namespace, name, service, provider, region) or labels.
 */
export interface AlertFilter {
  status?: Alert['status'] | undefined;
  policyId?: string | undefined;
  severity?: Alert['severity'] | undefined;
  region?: string | undefined;
  namespace?: readonly string[] | undefined;
  service?: readonly string[] | undefined;
  q?: string | undefined;
  /** Triage state (docs/contract.md §12): `open` matches alerts nobody has acknowledged. */
  triage?: TriageState | undefined;
}

/** One page of a filtered alert list, latest state first. */
export interface AlertQuery extends AlertFilter {
  offset: number;
  limit: number;
}

/** A page of alerts, the true number that match, and how many of those are open and remediated. */
export interface AlertPage {
  alerts: TriagedAlert[];
  total: number;
  /** By status, of the alerts matching every filter but `status`: what a header's "N open · M remediated" shows. */
  counts: { open: number; remediated: number };
}

/**
 * What the filter compares, stored with an alert (the Neo4j store keeps these on the Alert node;
 * ALERT_FILTER in src/adapters/neo4j/lineage-query-statements.ts is this file's twin in Cypher).
 */
export interface AlertFacts {
  kind: 'dataset' | 'actor';
  namespace: string | null;
  service: string | null;
  /** The node's region, lower-cased; '' when unknown. */
  region: string;
  /** Lower-cased words of the alert that `q` searches, labels aside (they change; they are matched on their own). */
  text: string;
}

export function alertFacts(alert: Alert): AlertFacts {
  const { node } = alert;
  const words =
    node.kind === 'dataset' ? [node.namespace, node.name, node.provider, node.region] : [node.service, node.provider, node.region];
  return {
    kind: node.kind,
    namespace: node.kind === 'dataset' ? node.namespace : null,
    service: node.kind === 'actor' ? node.service : null,
    region: (node.region ?? '').toLowerCase(),
    text: [alert.alertId, alert.policyId, alert.severity, ...words]
      .filter((w): w is string => Boolean(w))
      .join(' ')
      .toLowerCase(),
  };
}

/** The lower-cased words of a free-text query. */
export const queryWords = (q: string | undefined): string[] => (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);

/** Whether the alert whose state and facts these are matches the filter, `status` aside. */
export function matchesAlertFilterButStatus(
  alert: { policyId: string; severity: Alert['severity']; classifications: readonly string[]; triage?: Triage | undefined },
  facts: AlertFacts,
  filter: AlertFilter,
): boolean {
  if (filter.triage !== undefined && triageStateOf(alert) !== filter.triage) return false;
  if (filter.policyId !== undefined && alert.policyId !== filter.policyId) return false;
  if (filter.severity !== undefined && alert.severity !== filter.severity) return false;
  if (filter.region !== undefined && facts.region !== filter.region.toLowerCase()) return false;
  if (!matchesScope(filter, facts)) return false;
  const labels = alert.classifications.map((c) => c.toLowerCase());
  return queryWords(filter.q).every((w) => facts.text.includes(w) || labels.some((c) => c.includes(w)));
}

/** An alert record (remediatedAt is its remediation's time), or an alert state (its detectedAt is already that time). */
type Dated = { detectedAt: string; remediatedAt?: string | null; alertId: string };
/** When an alert's current state was detected: its remediation, else its opening (the `detectedAt` its current state carries). */
const stateTime = (a: Dated) => a.remediatedAt ?? a.detectedAt;

/** Latest state first (a fresh remediation comes to the top), then by id: the order of every alert list. */
export const compareAlertsNewestFirst = (a: Dated, b: Dated): number =>
  stateTime(a) !== stateTime(b) ? (stateTime(a) < stateTime(b) ? 1 : -1) : a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0;
