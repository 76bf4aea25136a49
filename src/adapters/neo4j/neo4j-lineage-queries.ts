import neo4j, { type Driver } from 'neo4j-driver';
import { z } from 'zod';
import { deletedBy, openAt, type AsOf } from '../../lineage/as-of.js';
import { searchWords, type SearchPage } from '../../search/search-datasets.js';
import { rankEgressRoutes, ReportTally, reportScope, type EgressRow } from '../../report/aggregate-report.js';
import { queryWords, type AlertPage, type AlertQuery } from '../../alerts/alert-filter.js';
import { currentAlert } from '../../alerts/alert-states.js';
import type { TriagedAlert } from '../../alerts/triage.js';
import { TriageEntry, TriageState } from '../../alerts/triage.js';
import { describeNode, nodeLocation } from '../../lineage/describe-node.js';
import { toNodeRef } from '../../lineage/graph-node.js';
import { answerPaths, lineageEdge, PATH_VISIT_CAP } from '../../lineage/answer-paths.js';
import type { PathMovement } from '../../lineage/search-earliest-path.js';
import { isoInstant } from '../../events/event-instant.js';
import { walkLineage, type LineageStep } from '../../lineage/walk-lineage.js';
import { Alert, type NodeRef } from '../../policy/alert.js';
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
  LineageNode,
  NodeDetail,
  PathsAnswer,
  Report,
  ResidencyAnswer,
  ResidencyPlacesAnswer,
} from '../../lineage/answers.js';
import {
  ALERT,
  ALERT_COUNTS,
  ALERTS,
  TRIAGE,
  DESCRIBE,
  DOWNSTREAM,
  FIND_ACTOR,
  FIND_DATASET,
  HOLDING_OF,
  NODE_ALERTS,
  NODE_DELETED,
  NODE_HOLDINGS,
  PATH_STEP,
  REPORT_ALERTS,
  SEARCH,
  TRACES,
  UPSTREAM,
  egress,
  splitPatterns,
} from './lineage-query-statements.js';
import { wrap } from './neo4j-graph-store.js';
import { Neo4jResidency } from './neo4j-residency.js';
import type { NodeRow } from './node-rows.js';

type DescribedRow = NodeRow & {
  id: string;
  held: string[];
  asserted: string[];
  deletes: number[];
  alerts: Array<{ alertId: string; status: 'open' | 'remediated'; sinceMs: number }>;
};

/** An alert row (ALERT_FIELDS), parsed at the boundary: the stored open state is an Alert, the triage history JSON entries. */
const AlertRow = z.object({
  payload: z.string().transform((text) => Alert.parse(JSON.parse(text))),
  status: z.enum(['open', 'remediated']),
  classifications: z.array(z.string()),
  remediatedAt: z.string().nullable(),
  remediatedBy: z.enum(['delete', 'policy']).nullable(),
  triageState: TriageState.nullable(),
  triageAssignee: z.string().nullable(),
  triageHistory: z.array(z.string().transform((text) => TriageEntry.parse(JSON.parse(text)))).nullable(),
});
const toAlert = (row: unknown): TriagedAlert => {
  const { payload, triageState, triageAssignee, triageHistory, ...state } = AlertRow.parse(row);
  const alert = currentAlert({ open: payload, ...state });
  if (triageState === null) return alert;
  return {
    ...alert,
    triage: { state: triageState, ...(triageAssignee ? { assignee: triageAssignee } : {}), history: triageHistory ?? [] },
  };
};

/** A place of the residency statements' 'places' answer, as Neo4j returns it. */

/** The auditors' questions (docs/contract.md §6) answered from the lineage graph, read-only. */
export class Neo4jLineageQueries implements LineageQueries, AlertTriageBook {
  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
    private readonly policies: PolicyIndex,
    private readonly options: { timeoutMs?: number } = {},
  ) {
    this.residencyQueries = new Neo4jResidency((cypher, params) => this.read(cypher, params), policies);
  }

  private readonly residencyQueries: Neo4jResidency;

  private async read<T extends object>(cypher: string, params: Record<string, unknown>): Promise<T[]> {
    try {
      const result = await this.driver.executeQuery(cypher, params, {
        database: this.database,
        routing: neo4j.routing.READ,
        ...(this.options.timeoutMs ? { transactionConfig: { timeout: this.options.timeoutMs } } : {}),
      });
      return result.records.map((r) => r.toObject() as T);
    } catch (error) {
      throw wrap('query', error);
    }
  }

  private async findId(node: NodeRef | { kind: 'dataset'; namespace: string; name: string }): Promise<string | undefined> {
    const rows =
      node.kind === 'dataset'
        ? await this.read<{ id: string }>(FIND_DATASET, { namespace: node.namespace, name: node.name })
        : await this.read<{ id: string }>(FIND_ACTOR, { service: node.service, region: node.region.toLowerCase() });
    return rows[0]?.id;
  }

  private async describeRows(ids: string[], asOf?: AsOf): Promise<DescribedRow[]> {
    return ids.length === 0 ? [] : this.read<DescribedRow>(DESCRIBE, { ids, asOf: asOf ?? null });
  }

  /** A described row as an answer's node: located, with its labels, country, open alerts (now or as of `asOf`) and deletes. */
  private lineageNode(row: DescribedRow, asOf?: AsOf): LineageNode {
    const open = row.alerts
      .filter((a) => (asOf === undefined ? a.status === 'open' : openAt(a.sinceMs, row.deletes, asOf)))
      .map((a) => a.alertId);
    return describeNode(row, [...row.asserted, ...row.held], open, this.policies, deletedBy(row.deletes, asOf));
  }

  /** Graph nodes by element id, with their labels, country and open alerts. */
  private async describe(ids: string[], asOf?: AsOf): Promise<Map<string, LineageNode>> {
    return new Map((await this.describeRows(ids, asOf)).map((row) => [row.id, this.lineageNode(row, asOf)]));
  }

  async alerts(query: AlertQuery): Promise<AlertPage> {
    const params = {
      policyId: query.policyId ?? null,
      severity: query.severity ?? null,
      region: query.region?.toLowerCase() ?? null,
      scoped: query.namespace !== undefined || query.service !== undefined,
      ...splitPatterns(query.namespace),
      services: query.service ?? [],
      words: queryWords(query.q),
      triage: query.triage ?? null,
    };
    const [rows, countRows] = await Promise.all([
      this.read<object>(ALERTS, {
        ...params,
        status: query.status ?? null,
        offset: neo4j.int(query.offset),
        limit: neo4j.int(query.limit),
      }),
      this.read<{ status: 'open' | 'remediated'; n: number }>(ALERT_COUNTS, params),
    ]);
    const counts = { open: 0, remediated: 0 };
    for (const row of countRows) counts[row.status] = Number(row.n);
    return { alerts: rows.map(toAlert), total: query.status ? counts[query.status] : counts.open + counts.remediated, counts };
  }

  async alert(alertId: string): Promise<TriagedAlert | undefined> {
    const [row] = await this.read<object>(ALERT, { alertId });
    return row ? toAlert(row) : undefined;
  }

  /** Appends a triage change to the alert (docs/contract.md §12), in one statement: concurrent changes queue on the alert's lock. */
  async triage(alertId: string, entry: TriageEntry): Promise<TriagedAlert | undefined> {
    try {
      const result = await this.driver.executeQuery(
        TRIAGE,
        { alertId, entry: { state: entry.state, assignee: entry.assignee ?? null }, entryJson: JSON.stringify(entry) },
        { database: this.database, routing: neo4j.routing.WRITE },
      );
      const row = result.records[0]?.toObject();
      return row ? toAlert(row) : undefined;
    } catch (error) {
      throw wrap('triage', error);
    }
  }

  async lineage(params: LineageQuestion, limits: QueryLimits): Promise<LineageAnswer | undefined> {
    const start = await this.findId({ kind: 'dataset', namespace: params.namespace, name: params.name });
    if (!start) return undefined;
    const directions = params.direction === 'both' ? (['downstream', 'upstream'] as const) : [params.direction];
    const asOf = params.asOf ?? null;
    const walked = await walkLineage(start, params.depth, directions, limits, (direction, frontier, room) =>
      this.read<LineageStep>(direction === 'downstream' ? DOWNSTREAM : UPSTREAM, { ids: frontier, limit: neo4j.int(room + 1), asOf }),
    );
    const nodes = await this.describe(walked.nodes, params.asOf);
    return {
      nodes: [...nodes.values()],
      edges: walked.steps.map((s) => lineageEdge(s, nodes)),
      truncated: walked.truncated,
      ...(params.asOf !== undefined ? { asOf: isoInstant(params.asOf) } : {}),
    };
  }

  residency(classification: string, limit: number, within: ResidencyFilter = {}, asOf?: AsOf): Promise<ResidencyAnswer> {
    return this.residencyQueries.residency(classification, limit, within, asOf);
  }

  residencyPlaces(classification: string, within: ResidencyScope = {}, asOf?: AsOf): Promise<ResidencyPlacesAnswer> {
    return this.residencyQueries.residencyPlaces(classification, within, asOf);
  }

  async paths(params: PathsQuestion, limits: QueryLimits): Promise<PathsAnswer | undefined> {
    const from = await this.findId({ kind: 'dataset', namespace: params.fromNamespace, name: params.fromName });
    const to =
      params.toService && params.toRegion
        ? await this.findId({ kind: 'actor', service: params.toService, region: params.toRegion })
        : await this.findId({ kind: 'dataset', namespace: params.toNamespace ?? '', name: params.toName ?? '' });
    if (!from || !to) return undefined;
    return answerPaths({ from, to }, params, limits.maxNodes, {
      heldSince: async (id, label) => (await this.read<{ since: number }>(HOLDING_OF, { id, label }))[0]?.since,
      expand: async (frontier, label, before) =>
        (
          await this.read<{ to: string; best: Omit<PathMovement, 'to'> }>(PATH_STEP, {
            rows: frontier,
            skew: this.policies.skewMs,
            label,
            before,
            limit: neo4j.int(PATH_VISIT_CAP),
          })
        ).map(({ to: target, best }) => ({ ...best, to: target })),
      describe: async (ids, eventIds) => ({
        nodes: await this.describe(ids),
        traces: new Map(
          (await this.read<{ eventId: string; traceId: string | null }>(TRACES, { ids: eventIds })).flatMap((r) =>
            r.traceId ? [[r.eventId, r.traceId] as const] : [],
          ),
        ),
      }),
    });
  }

  async node(ref: NodeRef): Promise<NodeDetail | undefined> {
    const id = await this.findId(ref);
    const row = id ? (await this.describeRows([id]))[0] : undefined;
    if (!id || !row) return undefined;
    const described = this.lineageNode(row);
    const [holdings, deletedRows, alertRows] = await Promise.all([
      this.read<{ classification: string; since: number; via: string | null }>(NODE_HOLDINGS, { id }),
      this.read<{ at: number | null }>(NODE_DELETED, { id }),
      this.read<object>(NODE_ALERTS, { id }),
    ]);
    const deleted = deletedRows[0]?.at ?? null;
    const alerts = alertRows.map(toAlert);
    return {
      node: described,
      location: nodeLocation(described, row, this.policies),
      holdings: holdings.map((h) => ({
        classification: h.classification,
        since: isoInstant(h.since),
        ...(h.via ? { viaEventId: h.via } : {}),
      })),
      ...(deleted !== null ? { deletedAt: isoInstant(deleted) } : {}),
      alerts,
    };
  }

  async report(filter: { policyId?: string | undefined; offset?: number; limit?: number } = {}): Promise<Report> {
    const scope = reportScope(this.policies, filter);
    const labels = filter.policyId ? scope.policies.flatMap((p) => p.classifications) : null;
    // Every alert of the covered policies streamed through the tally: counted, never all held at once.
    const tally = await this.readStream(
      REPORT_ALERTS,
      { policyIds: scope.policies.map((p) => p.id) },
      () => new ReportTally(scope),
      (t, row) => t.add(toAlert(row)),
    );
    return tally.finish(await this.egressRoutes(10, labels));
  }

  /**
   * Reads a statement's rows one at a time into `into` (made afresh if the driver retries the
   * transaction, so that no row counts twice), instead of holding them all.
   */
  private async readStream<A>(
    cypher: string,
    params: Record<string, unknown>,
    start: () => A,
    visit: (into: A, row: object) => void,
  ): Promise<A> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(
        async (tx) => {
          const into = start();
          for await (const record of tx.run(cypher, params)) visit(into, record.toObject());
          return into;
        },
        this.options.timeoutMs ? { timeout: this.options.timeoutMs } : {},
      );
    } catch (error) {
      throw wrap('query', error);
    } finally {
      await session.close();
    }
  }

  private async egressRoutes(top: number, labels: string[] | null): Promise<Report['egressRoutes']> {
    interface Row {
      aActor: boolean;
      aProvider: string | null;
      aRegion: string | null;
      aNamespace: string | null;
      bActor: boolean;
      bProvider: string | null;
      bRegion: string | null;
      bNamespace: string | null;
      events: number;
      labels: string[];
    }
    const rows = await this.read<Row>(egress(labels !== null), { skew: this.policies.skewMs, labels });
    const egressRows = rows.map((r): EgressRow => ({
      from: { isActor: r.aActor, provider: r.aProvider, region: r.aRegion, namespace: r.aNamespace },
      to: { isActor: r.bActor, provider: r.bProvider, region: r.bRegion, namespace: r.bNamespace },
      events: r.events,
      labels: r.labels,
    }));
    return rankEgressRoutes(egressRows, this.policies, top);
  }

  async searchDatasets(text: string, page: { offset: number; limit: number }): Promise<SearchPage<NodeRef>> {
    const words = searchWords(text);
    const rows = await this.read<NodeRow & { total: number }>(SEARCH, {
      words,
      whole: words.join(' '),
      offset: neo4j.int(page.offset),
      limit: neo4j.int(page.limit),
    });
    const total = rows[0]?.total ?? 0;
    const datasets = rows.filter((row) => row.namespace !== null).map((row) => toNodeRef(row, this.policies));
    return { datasets, total, offset: page.offset, truncated: page.offset + datasets.length < total };
  }
}
