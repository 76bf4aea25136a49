import type { Alert, NodeRef } from '../policy/alert.js';
import type { PolicyIndex } from '../policy/policy-index.js';
import { nodeIdOf, type Report } from '../query/query-schemas.js';
import { countryOf } from './graph-node.js';

type Counts = { open: number; remediated: number };
type Place = Report['egressRoutes'][number]['from'];

/**
 * Movements of protected data between two nodes, grouped by where the nodes are as the graph has
 * them (a dataset without a region keeps its namespace, for the store catalog to place).
 */
export interface EgressRow {
  from: { isActor: boolean; provider: string | null; region: string | null; namespace: string | null };
  to: { isActor: boolean; provider: string | null; region: string | null; namespace: string | null };
  events: number;
  labels: string[];
}

const bump = <K>(map: Map<K, Counts>, key: K, status: Alert['status']) => {
  const entry = map.get(key) ?? { open: 0, remediated: 0 };
  entry[status] += 1;
  map.set(key, entry);
};

function place(provider: string | null | undefined, region: string | null | undefined): Place {
  const country = region ? countryOf({ region, provider: provider ?? undefined }) : undefined;
  return { ...(provider ? { provider } : {}), ...(region ? { region } : {}), ...(country ? { country } : {}) };
}

/** The busiest routes between two different places (CONTRACT §6 report): rows placed by the policy, summed per route. */
export function rankEgressRoutes(rows: readonly EgressRow[], policies: PolicyIndex, top: number): Report['egressRoutes'] {
  const locate = (n: EgressRow['from']) => {
    const where = policies.locate(
      n.isActor
        ? { kind: 'actor', provider: n.provider, region: n.region }
        : { kind: 'dataset', namespace: n.namespace ?? '', provider: n.provider, region: n.region },
    );
    return place(where.provider, where.region);
  };
  const routes = new Map<string, Report['egressRoutes'][number] & { labelSet: Set<string> }>();
  for (const row of rows) {
    const [from, to] = [locate(row.from), locate(row.to)];
    if (from.region === to.region && from.provider === to.provider) continue;
    const key = JSON.stringify([from, to]);
    const route = routes.get(key) ?? { from, to, events: 0, classifications: [], labelSet: new Set<string>() };
    route.events += row.events;
    for (const label of row.labels) route.labelSet.add(label);
    routes.set(key, route);
  }
  return [...routes.values()]
    .sort((a, b) => b.events - a.events)
    .slice(0, top)
    .map(({ labelSet, ...route }) => ({ ...route, classifications: [...labelSet].sort() }));
}

/** The audit report (CONTRACT §6): alert totals by policy and by region, the residual copies, and the busiest egress routes. */
export function aggregateReport(alerts: readonly Alert[], egressRoutes: Report['egressRoutes'], generatedAt: Date): Report {
  const byPolicy = new Map<string, Counts>();
  const severity = new Map<string, string>();
  const byRegion = new Map<string, Counts>();
  const residual = new Map<string, { node: NodeRef; classifications: Set<string>; since: string; alertIds: string[] }>();
  const totals: Counts = { open: 0, remediated: 0 };
  for (const alert of alerts) {
    totals[alert.status] += 1;
    bump(byPolicy, alert.policyId, alert.status);
    severity.set(alert.policyId, alert.severity);
    bump(byRegion, JSON.stringify([alert.node.provider ?? null, alert.node.region ?? null]), alert.status);
    if (alert.status === 'open' && alert.node.kind === 'dataset') {
      const key = nodeIdOf(alert.node);
      const entry = residual.get(key) ?? { node: alert.node, classifications: new Set<string>(), since: alert.occurredAt, alertIds: [] };
      for (const label of alert.classifications) entry.classifications.add(label);
      if (alert.occurredAt < entry.since) entry.since = alert.occurredAt;
      entry.alertIds.push(alert.alertId);
      residual.set(key, entry);
    }
  }
  return {
    generatedAt: generatedAt.toISOString(),
    totals,
    byPolicy: [...byPolicy]
      .map(([policyId, c]) => ({ policyId, severity: severity.get(policyId) ?? 'high', ...c }))
      .sort((a, b) => a.policyId.localeCompare(b.policyId)),
    byRegion: [...byRegion]
      .map(([key, c]) => {
        const [provider, region] = JSON.parse(key) as [string | null, string | null];
        return { ...place(provider, region), ...c };
      })
      .sort((a, b) => b.open + b.remediated - (a.open + a.remediated)),
    residualCopies: [...residual.values()].map((r) => ({ ...r, classifications: [...r.classifications].sort() })),
    egressRoutes,
  };
}
