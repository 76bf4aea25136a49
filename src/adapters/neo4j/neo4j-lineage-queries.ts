import neo4j, { type Driver } from 'neo4j-driver';
import type { Alert, NodeRef } from '../../policy/alert.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { LineageQueries, QueryLimits } from '../../ports/lineage-queries.js';
import {
  nodeIdOf,
  type AlertsParams,
  type Holding,
  type LineageEdge,
  type LineageNode,
  type LineageParams,
  type LineageResponse,
  type NodeDetail,
  type PathsParams,
  type PathsResponse,
  type Report,
  type ResidencyResponse,
} from '../../query/query-schemas.js';
import { wrap } from './neo4j-graph-store.js';
import { countryOf, currentAlert, locatedNode, nodeFields, toNodeRef, type NodeRow } from './node-rows.js';

const iso = (ms: number) => new Date(ms).toISOString();

const FIND_DATASET = `MATCH (x:Dataset {namespace: $namespace, name: $name}) RETURN elementId(x) AS id`;
const FIND_ACTOR = `MATCH (x:Actor {service: $service, region: $region}) RETURN elementId(x) AS id`;

const DESCRIBE = `UNWIND $ids AS id
  MATCH (x) WHERE elementId(x) = id
  RETURN id, ${nodeFields('x')},
    [(x)-[:HOLDS]->(h:Holding) | h.classification] AS held,
    [(:Event)-[r:ASSERTS]->(x) | r.classification] AS asserted,
    COLLECT { MATCH (al:Alert {nodeId: id}) WHERE al.status = 'open' RETURN al.alertId } AS openAlertIds`;

const DOWNSTREAM = `UNWIND $ids AS id
  MATCH (x) WHERE elementId(x) = id
  MATCH (x)-[r:FLOWS_TO|ACCESSED_BY]->(y)
  RETURN id AS from, elementId(y) AS to, r.eventId AS eventId, coalesce(r.operation, 'access') AS operation, r.timeMs AS timeMs
  LIMIT $limit`;

const UPSTREAM = `UNWIND $ids AS id
  MATCH (x) WHERE elementId(x) = id
  MATCH (y)-[r:FLOWS_TO|ACCESSED_BY]->(x)
  RETURN elementId(y) AS from, id AS to, r.eventId AS eventId, coalesce(r.operation, 'access') AS operation, r.timeMs AS timeMs
  LIMIT $limit`;

// One hop of an earliest-arrival search: from each reached node, the movements no earlier than its
// arrival (within the skew), keeping per target the earliest.
const PATH_STEP = `UNWIND $rows AS r
  MATCH (x) WHERE elementId(x) = r.id
  MATCH (x)-[e:FLOWS_TO|ACCESSED_BY]->(y)
  WHERE e.timeMs + $skew >= r.at AND ($label IS NULL OR NOT $label IN coalesce(e.removes, []))
    AND ($before IS NULL OR e.timeMs < $before)
  WITH elementId(y) AS to, r.id AS from, e ORDER BY e.timeMs
  WITH to, collect({from: from, eventId: e.eventId, operation: coalesce(e.operation, 'access'), timeMs: e.timeMs})[0] AS best
  RETURN to, best LIMIT $limit`;

const HOLDING_OF = `MATCH (x)-[:HOLDS]->(h:Holding {classification: $label}) WHERE elementId(x) = $id RETURN h.sinceMs AS since`;

const TRACES = `UNWIND $ids AS id MATCH (e:Event {eventId: id}) RETURN e.eventId AS eventId, e.traceId AS traceId`;

// Where a label lives now: every node holding it, except datasets the data left (a delete, or a move
// out) after it arrived, unless the label arrived there again afterwards (CONTRACT §3, docs/semantics.md).
// Holdings are sorted by arrival before the (per-holding) "did the data leave?" check runs, so a
// LIMIT stops that work early; a namespace/service filter starts from those nodes (indexed).
const residencyQuery = (filtered: boolean) => `${filtered
    ? `CALL () {
    UNWIND $exact AS ns MATCH (x:Dataset {namespace: ns}) RETURN x
    UNION
    UNWIND $prefixes AS p MATCH (x:Dataset) WHERE x.namespace STARTS WITH p RETURN x
    UNION
    UNWIND $services AS s MATCH (x:Actor {service: s}) RETURN x
  }
  MATCH (x)-[:HOLDS]->(h:Holding {classification: $label})`
    : 'MATCH (h:Holding {classification: $label})<-[:HOLDS]-(x)'}
  WITH x, h ORDER BY h.sinceMs, x.namespace, x.name, x.service
  CALL (x, h) {
    OPTIONAL MATCH (:Event)-[d:DELETES]->(x) WHERE d.timeMs >= h.sinceMs
    WITH x, h, max(d.timeMs) AS deletedAt
    OPTIONAL MATCH (x)-[m:FLOWS_TO {operation: 'move'}]->() WHERE m.timeMs >= h.sinceMs
    WITH deletedAt, max(m.timeMs) AS movedAt
    RETURN CASE WHEN deletedAt IS NULL THEN movedAt WHEN movedAt IS NULL OR deletedAt > movedAt THEN deletedAt ELSE movedAt END AS goneAt
  }
  WITH x, h, goneAt WHERE goneAt IS NULL
    OR EXISTS { MATCH (:Event)-[a:ASSERTS {classification: $label}]->(x) WHERE a.timeMs > goneAt }
    OR EXISTS {
      MATCH (s)-[e:FLOWS_TO]->(x) WHERE e.timeMs > goneAt AND NOT $label IN coalesce(e.removes, [])
        AND EXISTS { MATCH (s)-[:HOLDS]->(sh:Holding {classification: $label}) WHERE sh.sinceMs <= e.timeMs + $skew }
    }
  RETURN ${nodeFields('x')}, h.sinceMs AS since
  LIMIT $limit`;

const ALERTS = `MATCH (al:Alert)
  WHERE ($status IS NULL OR al.status = $status) AND ($policyId IS NULL OR al.policyId = $policyId)
    AND ($severity IS NULL OR al.severity = $severity)
  RETURN al.payload AS payload, al.status AS status, al.classifications AS classifications, al.remediatedAt AS remediatedAt
  ORDER BY al.detectedAt DESC, al.alertId
  LIMIT $limit`;

const NODE_HOLDINGS = `MATCH (x)-[:HOLDS]->(h:Holding) WHERE elementId(x) = $id
  RETURN h.classification AS classification, h.sinceMs AS since, h.viaEventId AS via ORDER BY classification`;
const NODE_DELETED = `MATCH (:Event)-[d:DELETES]->(x) WHERE elementId(x) = $id RETURN max(d.timeMs) AS at`;
const NODE_ALERTS = `MATCH (al:Alert {nodeId: $id})
  RETURN al.payload AS payload, al.status AS status, al.classifications AS classifications, al.remediatedAt AS remediatedAt
  ORDER BY al.policyId`;

// Movements out of nodes that held a protected label by then, between two different places. A
// dataset placed by the store catalog has no region in the graph: its namespace stands in, and the
// catalog places it afterwards.
const egress = (scoped: boolean) => `MATCH (h:Holding) ${scoped ? 'WHERE h.classification IN $labels' : ''}
  MATCH (a)-[:HOLDS]->(h)
  MATCH (a)-[e:FLOWS_TO|ACCESSED_BY]->(b)
  WHERE e.timeMs + $skew >= h.sinceMs AND NOT h.classification IN coalesce(e.removes, [])
    AND (a.region IS NULL OR b.region IS NULL OR a.region <> b.region OR coalesce(a.provider, '') <> coalesce(b.provider, ''))
  RETURN a:Actor AS aActor, a.provider AS aProvider, a.region AS aRegion, CASE WHEN a.region IS NULL THEN a.namespace END AS aNamespace,
    b:Actor AS bActor, b.provider AS bProvider, b.region AS bRegion, CASE WHEN b.region IS NULL THEN b.namespace END AS bNamespace,
    count(DISTINCT e.eventId) AS events, collect(DISTINCT h.classification) AS labels`;

const SEARCH = `MATCH (x:Dataset) WHERE toLower(x.name) CONTAINS $q OR toLower(x.namespace) CONTAINS $q
  RETURN ${nodeFields('x')} ORDER BY namespace, name LIMIT $limit`;

/** Cap on nodes an earliest-arrival search may reach before it gives up (and says so). */
const PATH_VISIT_CAP = 200_000;

type DescribedRow = NodeRow & { id: string; held: string[]; asserted: string[]; openAlertIds: string[] };

interface Step {
  from: string;
  to: string;
  eventId: string;
  operation: LineageEdge['operation'];
  timeMs: number;
}

/** The auditors' questions (CONTRACT §6) answered from the lineage graph, read-only. */
export class Neo4jLineageQueries implements LineageQueries {
  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
    private readonly policies: PolicyIndex,
  ) {}

  private async read<T extends object>(cypher: string, params: Record<string, unknown>): Promise<T[]> {
    try {
      const result = await this.driver.executeQuery(cypher, params, { database: this.database, routing: neo4j.routing.READ });
      return result.records.map((r) => r.toObject() as T);
    } catch (error) {
      throw wrap('query', error);
    }
  }

  private async findId(node: NodeRef | { kind: 'dataset'; namespace: string; name: string }): Promise<string | undefined> {
    const rows = node.kind === 'dataset'
      ? await this.read<{ id: string }>(FIND_DATASET, { namespace: node.namespace, name: node.name })
      : await this.read<{ id: string }>(FIND_ACTOR, { service: node.service, region: node.region.toLowerCase() });
    return rows[0]?.id;
  }

  private async describeRows(ids: string[]): Promise<DescribedRow[]> {
    return ids.length === 0 ? [] : this.read<DescribedRow>(DESCRIBE, { ids });
  }

  /** A described row as an answer's node: located, with its labels, country and open alerts. */
  private lineageNode(row: DescribedRow): LineageNode {
    const ref = toNodeRef(row, this.policies);
    const country = countryOf(ref);
    return {
      ...ref,
      id: nodeIdOf(ref),
      classifications: [...new Set([...row.asserted, ...row.held])].sort(),
      ...(country ? { country } : {}),
      openAlertIds: [...row.openAlertIds].sort(),
    };
  }

  /** Graph nodes by element id, with their labels, country and open alerts. */
  private async describe(ids: string[]): Promise<Map<string, LineageNode>> {
    return new Map((await this.describeRows(ids)).map((row) => [row.id, this.lineageNode(row)]));
  }

  private edge(step: Step, nodes: Map<string, LineageNode>, traces?: Map<string, string>): LineageEdge {
    const traceId = traces?.get(step.eventId);
    return {
      from: nodes.get(step.from)?.id ?? step.from,
      to: nodes.get(step.to)?.id ?? step.to,
      eventId: step.eventId,
      operation: step.operation,
      eventTime: iso(step.timeMs),
      ...(traceId ? { traceId } : {}),
    };
  }

  async alerts(filter: AlertsParams): Promise<Alert[]> {
    const rows = await this.read<{ payload: string; status: Alert['status']; classifications: string[]; remediatedAt: string | null }>(ALERTS, {
      status: filter.status ?? null,
      policyId: filter.policyId ?? null,
      severity: filter.severity ?? null,
      limit: neo4j.int(filter.limit),
    });
    return rows.map(currentAlert);
  }

  async lineage(params: LineageParams, limits: QueryLimits): Promise<LineageResponse | undefined> {
    const start = await this.findId({ kind: 'dataset', namespace: params.namespace, name: params.name });
    if (!start) return undefined;
    const seen = new Set([start]);
    const steps = new Map<string, Step>();
    let truncated = false;
    const directions = params.direction === 'both' ? [DOWNSTREAM, UPSTREAM] : [params.direction === 'downstream' ? DOWNSTREAM : UPSTREAM];
    for (const cypher of directions) {
      const far = cypher === DOWNSTREAM ? 'to' : 'from';
      let frontier = [start];
      for (let depth = 0; depth < params.depth && frontier.length > 0 && !truncated; depth += 1) {
        const room = limits.maxEdges - steps.size;
        const found = await this.read<Step>(cypher, { ids: frontier, limit: neo4j.int(room + 1) });
        const next: string[] = [];
        for (const step of found) {
          if (steps.size >= limits.maxEdges) {
            truncated = true;
            break;
          }
          const node = step[far];
          if (!seen.has(node)) {
            if (seen.size >= limits.maxNodes) {
              truncated = true;
              continue;
            }
            seen.add(node);
            next.push(node);
          }
          steps.set(`${step.eventId}\u0000${step.from}\u0000${step.to}`, step);
        }
        frontier = next;
      }
    }
    const nodes = await this.describe([...seen]);
    return { nodes: [...nodes.values()], edges: [...steps.values()].map((s) => this.edge(s, nodes)), truncated };
  }

  async residency(classification: string, limit: number, within: { namespace?: string[] | undefined; service?: string[] | undefined } = {}): Promise<ResidencyResponse> {
    const filtered = within.namespace !== undefined || within.service !== undefined;
    const rows = await this.read<NodeRow & { since: number }>(residencyQuery(filtered), {
      label: classification,
      skew: this.policies.skewMs,
      exact: (within.namespace ?? []).filter((n) => !n.endsWith('*')),
      prefixes: (within.namespace ?? []).filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1)),
      services: within.service ?? [],
      limit: neo4j.int(limit + 1),
    });
    const policies = this.policies.protecting(classification);
    const holdings: Holding[] = rows.slice(0, limit).map((row) => {
      const node = toNodeRef(row, this.policies);
      const violations = this.policies.violations(classification, { provider: node.provider ?? null, region: node.region ?? null });
      return {
        node,
        approved: violations.length === 0,
        policyIds: violations.length === 0 ? policies.map((p) => p.id) : violations.map((v) => v.policy.id),
        ...(violations[0] ? { reason: violations[0].reason } : {}),
        ...(countryOf(node) ? { country: countryOf(node) } : {}),
        since: iso(row.since),
      };
    });
    return { classification, holdings, truncated: rows.length > limit };
  }

  async paths(params: PathsParams, limits: QueryLimits): Promise<PathsResponse | undefined> {
    const from = await this.findId({ kind: 'dataset', namespace: params.fromNamespace, name: params.fromName });
    const to = params.toService && params.toRegion
      ? await this.findId({ kind: 'actor', service: params.toService, region: params.toRegion })
      : await this.findId({ kind: 'dataset', namespace: params.toNamespace ?? '', name: params.toName ?? '' });
    if (!from || !to) return undefined;
    const label = params.classification ?? null;
    const held = label ? (await this.read<{ since: number }>(HOLDING_OF, { id: from, label }))[0]?.since : undefined;
    const arrival = new Map<string, number>([[from, held ?? Number.MIN_SAFE_INTEGER]]);
    const parent = new Map<string, Step>();
    let frontier = [from];
    let truncated = false;
    for (let depth = 0; depth < params.maxDepth && frontier.length > 0; depth += 1) {
      const rows = frontier.map((id) => ({ id, at: arrival.get(id) ?? 0 }));
      const before: number | null = arrival.get(to) ?? null; // nothing arriving later can improve on a path already found
      const found: Array<{ to: string; best: Omit<Step, 'to'> }> = await this.read<{ to: string; best: Omit<Step, 'to'> }>(PATH_STEP, { rows, skew: this.policies.skewMs, label, before, limit: neo4j.int(PATH_VISIT_CAP) });
      const next: string[] = [];
      for (const { to: target, best } of found) {
        if (target === from) continue;
        const known = arrival.get(target);
        if (known !== undefined && known <= best.timeMs) continue;
        if (known === undefined && arrival.size >= PATH_VISIT_CAP) {
          truncated = true;
          continue;
        }
        arrival.set(target, best.timeMs);
        parent.set(target, { ...best, to: target });
        if (target !== to) next.push(target);
      }
      frontier = next;
    }
    if (!parent.has(to)) return { paths: [], truncated };
    const chain: Step[] = [];
    for (let at: string = to; at !== from && chain.length <= params.maxDepth; ) {
      const step = parent.get(at);
      if (!step) break;
      chain.unshift(step);
      at = step.from;
    }
    const ids = [from, ...chain.map((s) => s.to)];
    const nodes = await this.describe(ids);
    const traces = new Map((await this.read<{ eventId: string; traceId: string | null }>(TRACES, { ids: chain.map((s) => s.eventId) }))
      .flatMap((r) => (r.traceId ? [[r.eventId, r.traceId] as const] : [])));
    const pathNodes = ids.map((id) => nodes.get(id)).filter((n): n is LineageNode => n !== undefined);
    return { paths: [{ nodes: pathNodes.slice(0, limits.maxNodes), edges: chain.map((s) => this.edge(s, nodes, traces)), arrivesAt: iso(arrival.get(to) ?? 0) }], truncated };
  }

  async node(ref: NodeRef): Promise<NodeDetail | undefined> {
    const id = await this.findId(ref);
    const row = id ? (await this.describeRows([id]))[0] : undefined;
    if (!id || !row) return undefined;
    const described = this.lineageNode(row);
    const [holdings, deletedRows, alertRows] = await Promise.all([
      this.read<{ classification: string; since: number; via: string | null }>(NODE_HOLDINGS, { id }),
      this.read<{ at: number | null }>(NODE_DELETED, { id }),
      this.read<{ payload: string; status: Alert['status']; classifications: string[]; remediatedAt: string | null }>(NODE_ALERTS, { id }),
    ]);
    const deleted = deletedRows[0]?.at ?? null;
    const alerts = alertRows.map(currentAlert);
    return {
      node: described,
      location: {
        ...(described.provider ? { provider: described.provider } : {}),
        ...(described.region ? { region: described.region } : {}),
        ...(described.country ? { country: described.country } : {}),
        source: this.policies.locationSource(locatedNode(row)),
      },
      holdings: holdings.map((h) => ({ classification: h.classification, since: iso(h.since), ...(h.via ? { viaEventId: h.via } : {}) })),
      ...(deleted !== null ? { deletedAt: iso(deleted) } : {}),
      alerts,
    };
  }

  async report(filter: { policyId?: string | undefined } = {}): Promise<Report> {
    const alerts = await this.alerts({ limit: 1_000_000, ...(filter.policyId ? { policyId: filter.policyId } : {}) });
    const policy = filter.policyId ? this.policies.policies.find((p) => p.id === filter.policyId) : undefined;
    const count = <K>(map: Map<K, { open: number; remediated: number }>, key: K, status: Alert['status']) => {
      const entry = map.get(key) ?? { open: 0, remediated: 0 };
      entry[status] += 1;
      map.set(key, entry);
    };
    const byPolicy = new Map<string, { open: number; remediated: number }>();
    const severity = new Map<string, string>();
    const byRegion = new Map<string, { open: number; remediated: number }>();
    const residual = new Map<string, { node: NodeRef; classifications: Set<string>; since: string; alertIds: string[] }>();
    for (const alert of alerts) {
      count(byPolicy, alert.policyId, alert.status);
      severity.set(alert.policyId, alert.severity);
      count(byRegion, JSON.stringify([alert.node.provider ?? null, alert.node.region ?? null]), alert.status);
      if (alert.status === 'open' && alert.node.kind === 'dataset') {
        const key = nodeIdOf(alert.node);
        const entry = residual.get(key) ?? { node: alert.node, classifications: new Set<string>(), since: alert.occurredAt, alertIds: [] };
        for (const label of alert.classifications) entry.classifications.add(label);
        if (alert.occurredAt < entry.since) entry.since = alert.occurredAt;
        entry.alertIds.push(alert.alertId);
        residual.set(key, entry);
      }
    }
    const place = (provider: string | undefined, region: string | undefined) => {
      const country = countryOf({ provider, region });
      return { ...(provider ? { provider } : {}), ...(region ? { region } : {}), ...(country ? { country } : {}) };
    };
    return {
      generatedAt: new Date().toISOString(),
      totals: { open: alerts.filter((a) => a.status === 'open').length, remediated: alerts.filter((a) => a.status === 'remediated').length },
      byPolicy: [...byPolicy].map(([policyId, c]) => ({ policyId, severity: severity.get(policyId) ?? 'high', ...c })).sort((a, b) => a.policyId.localeCompare(b.policyId)),
      byRegion: [...byRegion]
        .map(([key, c]) => {
          const [provider, region] = JSON.parse(key) as [string | null, string | null];
          return { ...place(provider ?? undefined, region ?? undefined), ...c };
        })
        .sort((a, b) => b.open + b.remediated - (a.open + a.remediated)),
      residualCopies: [...residual.values()].map((r) => ({ ...r, classifications: [...r.classifications].sort() })),
      egressRoutes: await this.egressRoutes(10, filter.policyId ? (policy?.classifications ?? []) : null),
    };
  }

  private async egressRoutes(top: number, labels: string[] | null): Promise<Report['egressRoutes']> {
    interface Row { aActor: boolean; aProvider: string | null; aRegion: string | null; aNamespace: string | null; bActor: boolean; bProvider: string | null; bRegion: string | null; bNamespace: string | null; events: number; labels: string[] }
    const rows = await this.read<Row>(egress(labels !== null), { skew: this.policies.skewMs, labels });
    const locate = (actor: boolean, provider: string | null, region: string | null, namespace: string | null) => {
      const where = this.policies.locate(actor ? { kind: 'actor', provider, region } : { kind: 'dataset', namespace: namespace ?? '', provider, region });
      const country = where.region ? countryOf({ region: where.region, provider: where.provider ?? undefined }) : undefined;
      return { ...(where.provider ? { provider: where.provider } : {}), ...(where.region ? { region: where.region } : {}), ...(country ? { country } : {}) };
    };
    const routes = new Map<string, Report['egressRoutes'][number] & { labelSet: Set<string> }>();
    for (const row of rows) {
      const from = locate(row.aActor, row.aProvider, row.aRegion, row.aNamespace);
      const to = locate(row.bActor, row.bProvider, row.bRegion, row.bNamespace);
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

  async searchDatasets(text: string, limit: number): Promise<NodeRef[]> {
    const rows = await this.read<NodeRow>(SEARCH, { q: text.toLowerCase(), limit: neo4j.int(limit) });
    return rows.map((row) => toNodeRef(row, this.policies));
  }
}
