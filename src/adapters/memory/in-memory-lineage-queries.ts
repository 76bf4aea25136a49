import { compareSearchMatches, searchRank, type SearchPage } from '../../search/search-datasets.js';
import { aggregateReport, rankEgressRoutes, reportScope, type EgressRow } from '../../report/aggregate-report.js';
import { compareAlertsNewestFirst, matchesAlertFilterButStatus, type AlertPage, type AlertQuery } from '../../alerts/alert-filter.js';
import { currentAlert } from '../../alerts/alert-states.js';
import { applyTriage, type TriagedAlert } from '../../alerts/triage.js';
import type { TriageEntry } from '../../alerts/triage.js';
import { deletedBy, happenedBy, openAt, type AsOf } from '../../lineage/as-of.js';
import { carries } from '../../lineage/carry-labels.js';
import { describeNode, nodeLocation } from '../../lineage/describe-node.js';
import { toNodeRef, type GraphNode } from '../../lineage/graph-node.js';
import { compareHoldings, describeHolding, holdsAt, summarizePlaces } from '../../lineage/residency-inventory.js';
import { earliestNextSteps } from '../../lineage/search-earliest-path.js';
import { answerPaths, lineageEdge } from '../../lineage/answer-paths.js';
import { isoInstant } from '../../events/event-instant.js';
import { walkLineage, type LineageStep } from '../../lineage/walk-lineage.js';
import type { NodeRef } from '../../policy/alert.js';
import { matchesScope } from '../../policy/classification-catalog.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { AlertTriageBook } from '../../ports/alert-triage.js';
import type {
  LineageQueries,
  LineageQuestion,
  PathsQuestion,
  QueryLimits,
  ResidencyFilter,
  ResidencyScope,
} from '../../ports/lineage-queries.js';
import type {
  LineageAnswer,
  LineageEdge,
  LineageNode,
  NodeDetail,
  PathsAnswer,
  Report,
  ResidencyAnswer,
  ResidencyPlacesAnswer,
} from '../../lineage/answers.js';
import type { AlertRecord } from './alert-record.js';
import type { InMemoryAlertBook } from './in-memory-alert-book.js';
import type { LineageMemory, MemoryNode, StoredMovement } from './lineage-memory.js';

/** The auditors' questions (docs/contract.md §6) answered from the in-memory graph, with the rules of `src/lineage/`. */
export class InMemoryLineageQueries implements LineageQueries, AlertTriageBook {
  constructor(
    private readonly memory: LineageMemory,
    private readonly book: InMemoryAlertBook | undefined,
    private policies: PolicyIndex | undefined,
  ) {}

  /** Answers under another policy from now on (a re-evaluation, docs/policy-changes.md). */
  judgeUnder(policies: PolicyIndex): void {
    this.policies = policies;
  }

  private get index(): PolicyIndex {
    if (!this.policies) throw new Error('the in-memory graph answers queries only with a policy');
    return this.policies;
  }

  private current = (r: AlertRecord): TriagedAlert => ({ ...currentAlert(r), ...(r.triage ? { triage: r.triage } : {}) });

  alert(alertId: string): Promise<TriagedAlert | undefined> {
    const record = this.book?.records.get(alertId);
    return Promise.resolve(record ? this.current(record) : undefined);
  }

  /** Appends a triage change to the alert (docs/contract.md §12); the in-memory graph's AlertTriageBook. */
  triage(alertId: string, entry: TriageEntry): Promise<TriagedAlert | undefined> {
    const record = this.book?.records.get(alertId);
    if (!record) return Promise.resolve(undefined);
    record.triage = applyTriage(record.triage, entry);
    return Promise.resolve(this.current(record));
  }

  alerts(query: AlertQuery): Promise<AlertPage> {
    const counts = { open: 0, remediated: 0 };
    const rows: AlertRecord[] = [];
    for (const r of this.book?.records.values() ?? []) {
      if (!matchesAlertFilterButStatus(r, r.facts, query)) continue;
      counts[r.status] += 1;
      if (query.status === undefined || r.status === query.status) rows.push(r);
    }
    rows.sort(compareAlertsNewestFirst);
    return Promise.resolve({
      alerts: rows.slice(query.offset, query.offset + query.limit).map(this.current),
      total: rows.length,
      counts,
    });
  }

  /** A node as lineage answers show it, now or as of `asOf` (src/lineage/as-of.ts). */
  private describe(id: string, asOf?: AsOf): LineageNode | undefined {
    const node = this.memory.node(id);
    if (!node) return undefined;
    const labels = [
      ...node.assertions.filter((a) => happenedBy(a.timeMs, asOf)).map((a) => a.label),
      ...[...(node.held ?? [])].filter(([, h]) => happenedBy(h.since, asOf)).map(([label]) => label),
    ];
    const open = node.alerts
      .filter((record) => (asOf === undefined ? record.status === 'open' : openAt(record.sinceMs, node.deletes, asOf)))
      .map((record) => record.alertId);
    return describeNode(node, labels, open, this.index, deletedBy(node.deletes, asOf));
  }

  /** The nodes that exist, described, by id. */
  private describeAll(ids: readonly string[]): Map<string, LineageNode> {
    return new Map(
      ids.flatMap((id) => {
        const node = this.describe(id);
        return node ? [[id, node] as const] : [];
      }),
    );
  }

  private edge(step: LineageStep): LineageEdge {
    return lineageEdge(step, this.describeAll([step.from, step.to]));
  }

  private find(node: NodeRef): MemoryNode | undefined {
    return node.kind === 'dataset'
      ? this.memory.datasets.get(node.namespace, node.name)
      : this.memory.actors.get(node.service, node.region.toLowerCase());
  }

  /** A stored movement as a lineage step, by node ids. */
  private step = (m: StoredMovement): LineageStep => ({
    from: m.from.id,
    to: m.to.id,
    eventId: m.eventId,
    operation: m.operation,
    timeMs: m.timeMs,
  });

  async lineage(params: LineageQuestion, limits: QueryLimits): Promise<LineageAnswer | undefined> {
    const start = this.memory.datasets.get(params.namespace, params.name)?.id;
    if (!start) return undefined;
    const directions = params.direction === 'both' ? (['downstream', 'upstream'] as const) : [params.direction];
    const { asOf } = params;
    const walked = await walkLineage(start, params.depth, directions, limits, (direction, frontier, room) =>
      frontier
        .flatMap((id) => {
          const node = this.memory.node(id)!;
          return (direction === 'downstream' ? node.out : node.in).filter((m) => happenedBy(m.timeMs, asOf));
        })
        .slice(0, room + 1)
        .map(this.step),
    );
    return {
      nodes: walked.nodes.flatMap((id) => this.describe(id, asOf) ?? []),
      edges: walked.steps.map((s) => this.edge(s)),
      truncated: walked.truncated,
      ...(asOf !== undefined ? { asOf: isoInstant(asOf) } : {}),
    };
  }

  residency(classification: string, limit: number, within: ResidencyFilter = {}, asOf?: AsOf): Promise<ResidencyAnswer> {
    const policies = this.index;
    const inScope = (node: GraphNode) =>
      matchesScope(
        within,
        node.isActor ? { namespace: null, service: node.service ?? '' } : { namespace: node.namespace ?? '', service: null },
      );
    const rows: Array<{ node: GraphNode; since: number }> = [];
    for (const node of this.memory.holders.get(classification) ?? []) {
      const since = this.memory.heldSince(node, classification)!;
      if (!inScope(node)) continue;
      const history = {
        since,
        deletes: node.deletes,
        movesOut: node.out.filter((m) => m.operation === 'move').map((m) => m.timeMs),
        assertions: node.assertions.filter((a) => a.label === classification).map((a) => a.timeMs),
        inflows: node.in
          .filter((m) => m.operation !== 'access')
          .map((m) => ({ timeMs: m.timeMs, removes: m.removes, sourceSince: this.memory.heldSince(m.from, classification) })),
      };
      if (holdsAt(history, classification, policies.skewMs, asOf)) rows.push({ node, since });
    }
    rows.sort(compareHoldings);
    // Every holding is judged only when the list is narrowed to one verdict; otherwise only the page is described.
    const describe = (r: (typeof rows)[number]) => describeHolding(r.node, classification, r.since, policies);
    const judged = within.approved === undefined ? undefined : rows.map(describe).filter((h) => h.approved === within.approved);
    const total = judged?.length ?? rows.length;
    return Promise.resolve({
      classification,
      holdings: judged ? judged.slice(0, limit) : rows.slice(0, limit).map(describe),
      total,
      truncated: total > limit,
      ...(asOf !== undefined ? { asOf: isoInstant(asOf) } : {}),
    });
  }

  async residencyPlaces(classification: string, within?: ResidencyScope, asOf?: AsOf): Promise<ResidencyPlacesAnswer> {
    const answer = await this.residency(classification, Number.MAX_SAFE_INTEGER, within, asOf);
    return {
      classification,
      total: answer.total,
      places: summarizePlaces(answer.holdings),
      truncated: false,
      ...(answer.asOf ? { asOf: answer.asOf } : {}),
    };
  }

  async paths(params: PathsQuestion, limits: QueryLimits): Promise<PathsAnswer | undefined> {
    const source = this.memory.datasets.get(params.fromNamespace, params.fromName);
    const target =
      params.toService && params.toRegion
        ? this.memory.actors.get(params.toService, params.toRegion.toLowerCase())
        : this.memory.datasets.get(params.toNamespace ?? '', params.toName ?? '');
    if (!source || !target) return undefined;
    const skew = this.index.skewMs;
    return answerPaths({ from: source.id, to: target.id }, params, limits.maxNodes, {
      heldSince: (id, label) => Promise.resolve(this.memory.heldSince(this.memory.node(id)!, label)),
      expand: (frontier, label, before) =>
        Promise.resolve(
          earliestNextSteps(
            frontier,
            (id) => this.memory.node(id)!.out.map((m) => ({ ...this.step(m), removes: m.removes })),
            label,
            skew,
            before,
          ),
        ),
      describe: (ids, eventIds) =>
        Promise.resolve({
          nodes: this.describeAll(ids),
          traces: new Map(
            eventIds.flatMap((e) => {
              const t = this.memory.events.get(e)?.traceId;
              return t ? [[e, t] as const] : [];
            }),
          ),
        }),
    });
  }

  node(ref: NodeRef): Promise<NodeDetail | undefined> {
    const node = this.find(ref);
    const described = node && this.describe(node.id);
    if (!described || !node) return Promise.resolve(undefined);
    const deletedAt = deletedBy(node.deletes, undefined);
    const holdings = [...(node.held ?? [])].sort(([a], [b]) => (a < b ? -1 : 1));
    const alerts = [...node.alerts].sort((a, b) => a.policyId.localeCompare(b.policyId));
    return Promise.resolve({
      node: described,
      location: nodeLocation(described, node, this.index),
      holdings: holdings.map(([classification, h]) => ({
        classification,
        since: isoInstant(h.since),
        ...(h.via ? { viaEventId: h.via } : {}),
      })),
      ...(deletedAt !== undefined ? { deletedAt: isoInstant(deletedAt) } : {}),
      alerts: alerts.map(this.current),
    });
  }

  /** Movements out of nodes holding a protected label by then (of `labels`, or any), grouped as the Neo4j egress query groups them. */
  private egressRows(labels: readonly string[] | null): EgressRow[] {
    const groups = new Map<string, EgressRow & { eventIds: Set<string> }>();
    const place = (n: GraphNode) => ({
      isActor: n.isActor,
      provider: n.provider,
      region: n.region,
      namespace: n.region === null ? n.namespace : null,
    });
    for (const [label, holders] of this.memory.holders) {
      if (labels && !labels.includes(label)) continue;
      for (const node of holders) {
        const since = this.memory.heldSince(node, label)!;
        for (const m of node.out) {
          if (!carries(m, label, since, this.index.skewMs)) continue;
          const [from, to] = [place(node), place(m.to)];
          const key = JSON.stringify([from, to]);
          const group = groups.get(key) ?? { from, to, events: 0, labels: [], eventIds: new Set<string>() };
          group.eventIds.add(m.eventId);
          if (!group.labels.includes(label)) group.labels.push(label);
          groups.set(key, group);
        }
      }
    }
    return [...groups.values()].map(({ eventIds, ...row }) => ({ ...row, events: eventIds.size }));
  }

  async report(filter: { policyId?: string | undefined; offset?: number; limit?: number } = {}): Promise<Report> {
    const { alerts } = await this.alerts({
      offset: 0,
      limit: Number.MAX_SAFE_INTEGER,
      ...(filter.policyId ? { policyId: filter.policyId } : {}),
    });
    const scope = reportScope(this.index, filter);
    const routes = rankEgressRoutes(
      this.egressRows(filter.policyId ? scope.policies.flatMap((p) => p.classifications) : null),
      this.index,
      10,
    );
    return aggregateReport(alerts, routes, scope);
  }

  searchDatasets(text: string, page: { offset: number; limit: number }): Promise<SearchPage<NodeRef>> {
    const found = [...this.memory.nodes.values()]
      .filter((n) => !n.isActor)
      .map((n) => ({ n, namespace: n.namespace ?? '', name: n.name ?? '', rank: searchRank(n.namespace ?? '', n.name ?? '', text) }))
      .filter((m): m is typeof m & { rank: number } => m.rank !== undefined)
      .sort(compareSearchMatches);
    const datasets = found.slice(page.offset, page.offset + page.limit).map((m) => toNodeRef(m.n, this.policies));
    return Promise.resolve({ datasets, total: found.length, offset: page.offset, truncated: page.offset + datasets.length < found.length });
  }
}
