import type { Alert, NodeRef } from '../policy/alert.js';
import type { Policy, Waiver } from '../policy/policy-file.js';
import type { PolicyIndex } from '../policy/policy-index.js';
import type { Report } from '../lineage/answers.js';
import { nodeIdOf } from '../lineage/name-node.js';
import { countryOf } from '../lineage/graph-node.js';
import { waiverExpiresAt } from '../policy/waiver-dates.js';

/** The scope of a report asked for: the loaded policies (or the one named), their waivers, the page, now. */
export function reportScope(
  index: Pick<PolicyIndex, 'policies' | 'waivers'>,
  filter: { policyId?: string | undefined; offset?: number; limit?: number },
  now = new Date(),
): ReportScope {
  return {
    policies: filter.policyId ? index.policies.filter((p) => p.id === filter.policyId) : index.policies,
    waivers: index.waivers,
    page: { offset: filter.offset ?? 0, limit: filter.limit ?? 100 },
    now,
  };
}

/** What the report covers besides the alerts: the loaded policies and waivers, the page of residual copies, and now. */
export interface ReportScope {
  /** The policies the tracker loaded (all, or the one asked for): each listed, alerts of others left out. */
  policies: readonly Policy[];
  waivers: readonly Waiver[];
  page: { offset: number; limit: number };
  now: Date;
}

const DAYS_30_MS = 30 * 86_400_000;

/** The unexpired waivers of these policies, ending soonest first, and how many end within 30 days (docs/contract.md §12). */
export function activeWaivers(waivers: readonly Waiver[], policyIds: ReadonlySet<string>, now: Date): Report['waivers'] {
  const nowMs = now.getTime();
  const active = waivers
    .filter((w) => policyIds.has(w.policyId) && waiverExpiresAt(w) > nowMs)
    .map((w) => ({
      ...w,
      expiresAt: new Date(waiverExpiresAt(w)).toISOString(),
      expiresWithin30Days: waiverExpiresAt(w) - nowMs <= DAYS_30_MS,
    }))
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.policyId.localeCompare(b.policyId));
  return { active, expiringWithin30Days: active.filter((w) => w.expiresWithin30Days).length };
}

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

/** The busiest routes between two different places (docs/contract.md §6 report): rows placed by the policy, summed per route. */
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

/**
 * The audit report (docs/contract.md §6): a summary first — alert totals by policy (every loaded policy, none
 * other) and by region, the busiest egress routes, the waivers in force — then one page of the
 * residual copies (datasets still holding data where a policy does not allow it), oldest first,
 * with their true total. The alerts are counted one at a time (`add`): a store streams them through
 * the tally, which keeps only the counts and the residual copies, never the alerts.
 */
export class ReportTally {
  private readonly loaded: ReadonlySet<string>;
  private readonly byPolicy: Map<string, Counts>;
  private readonly byRegion = new Map<string, Counts>();
  private readonly residual = new Map<string, { node: NodeRef; classifications: Set<string>; since: string; alertIds: string[] }>();
  private readonly totals: Counts = { open: 0, remediated: 0 };

  constructor(private readonly scope: ReportScope) {
    this.loaded = new Set(scope.policies.map((p) => p.id));
    this.byPolicy = new Map<string, Counts>(scope.policies.map((p) => [p.id, { open: 0, remediated: 0 }]));
  }

  /** Counts one alert in its current state (alerts of policies the report does not cover are left out). */
  add(alert: Alert): void {
    if (!this.loaded.has(alert.policyId)) return;
    this.totals[alert.status] += 1;
    bump(this.byPolicy, alert.policyId, alert.status);
    bump(this.byRegion, JSON.stringify([alert.node.provider ?? null, alert.node.region ?? null]), alert.status);
    if (alert.status === 'open' && alert.node.kind === 'dataset') {
      const key = nodeIdOf(alert.node);
      const entry = this.residual.get(key) ?? {
        node: alert.node,
        classifications: new Set<string>(),
        since: alert.occurredAt,
        alertIds: [],
      };
      for (const label of alert.classifications) entry.classifications.add(label);
      if (alert.occurredAt < entry.since) entry.since = alert.occurredAt;
      entry.alertIds.push(alert.alertId);
      this.residual.set(key, entry);
    }
  }

  /** The report of the alerts counted, with the egress routes the store ranked. */
  finish(egressRoutes: Report['egressRoutes']): Report {
    const { scope } = this;
    const severity = new Map(scope.policies.map((p) => [p.id, p.severity]));
    const copies = [...this.residual.entries()]
      .sort(([ka, a], [kb, b]) => a.since.localeCompare(b.since) || ka.localeCompare(kb))
      .map(([, r]) => ({ ...r, classifications: [...r.classifications].sort(), alertIds: r.alertIds.sort() }));
    const { offset, limit } = scope.page;
    return {
      generatedAt: scope.now.toISOString(),
      totals: this.totals,
      byPolicy: [...this.byPolicy]
        .map(([policyId, c]) => ({ policyId, severity: severity.get(policyId) ?? 'high', ...c }))
        .sort((a, b) => a.policyId.localeCompare(b.policyId)),
      byRegion: [...this.byRegion]
        .map(([key, c]) => {
          const [provider, region] = JSON.parse(key) as [string | null, string | null];
          return { ...place(provider, region), ...c };
        })
        .sort((a, b) => b.open + b.remediated - (a.open + a.remediated)),
      egressRoutes,
      waivers: activeWaivers(scope.waivers, this.loaded, scope.now),
      residualCopies: {
        copies: copies.slice(offset, offset + limit),
        total: copies.length,
        offset,
        truncated: offset + limit < copies.length,
      },
    };
  }
}

/** The audit report of these alerts (ReportTally over a list). */
export function aggregateReport(alerts: Iterable<Alert>, egressRoutes: Report['egressRoutes'], scope: ReportScope): Report {
  const tally = new ReportTally(scope);
  for (const alert of alerts) tally.add(alert);
  return tally.finish(egressRoutes);
}
