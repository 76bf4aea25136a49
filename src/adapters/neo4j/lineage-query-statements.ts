import { nodeFields } from './node-rows.js';

// The Cypher of the auditors' questions (neo4j-lineage-queries.ts). Where a statement restates a rule
// of src/lineage/ for speed, it names the TypeScript function it mirrors.

export const FIND_DATASET = `MATCH (x:Dataset {namespace: $namespace, name: $name}) RETURN elementId(x) AS id`;
export const FIND_ACTOR = `MATCH (x:Actor {service: $service, region: $region}) RETURN elementId(x) AS id`;

// A node as lineage answers show it; $asOf (null: now) keeps what had happened by then. Whether an
// alert was open then is decided in TypeScript (`openAt`, src/lineage/as-of.ts) from its arrival and the deletes.
export const DESCRIBE = `UNWIND $ids AS id
  MATCH (x) WHERE elementId(x) = id
  RETURN id, ${nodeFields('x')},
    [(x)-[:HOLDS]->(h:Holding) WHERE $asOf IS NULL OR h.sinceMs <= $asOf | h.classification] AS held,
    [(:Event)-[r:ASSERTS]->(x) WHERE $asOf IS NULL OR r.timeMs <= $asOf | r.classification] AS asserted,
    [(:Event)-[d:DELETES]->(x) | d.timeMs] AS deletes,
    COLLECT { MATCH (al:Alert {nodeId: id}) WHERE $asOf IS NOT NULL OR al.status = 'open'
      RETURN {alertId: al.alertId, status: al.status, sinceMs: al.sinceMs} } AS alerts`;

// One hop of a lineage walk (`walkLineage`, src/lineage/walk-lineage.ts): the movements out of (or
// into) the frontier, those up to $asOf when it is given.
export const DOWNSTREAM = `UNWIND $ids AS id
  MATCH (x) WHERE elementId(x) = id
  MATCH (x)-[r:FLOWS_TO|ACCESSED_BY]->(y) WHERE $asOf IS NULL OR r.timeMs <= $asOf
  RETURN id AS from, elementId(y) AS to, r.eventId AS eventId, coalesce(r.operation, 'access') AS operation, r.timeMs AS timeMs
  LIMIT $limit`;

export const UPSTREAM = `UNWIND $ids AS id
  MATCH (x) WHERE elementId(x) = id
  MATCH (y)-[r:FLOWS_TO|ACCESSED_BY]->(x) WHERE $asOf IS NULL OR r.timeMs <= $asOf
  RETURN elementId(y) AS from, id AS to, r.eventId AS eventId, coalesce(r.operation, 'access') AS operation, r.timeMs AS timeMs
  LIMIT $limit`;

export const PATH_STEP = `UNWIND $rows AS r
  MATCH (x) WHERE elementId(x) = r.id
  MATCH (x)-[e:FLOWS_TO|ACCESSED_BY]->(y)
  WHERE e.timeMs + $skew >= r.at AND ($label IS NULL OR NOT $label IN coalesce(e.removes, []))
    AND ($before IS NULL OR e.timeMs < $before)
  WITH elementId(y) AS to, r.id AS from, e ORDER BY e.timeMs
  WITH to, collect({from: from, eventId: e.eventId, operation: coalesce(e.operation, 'access'), timeMs: e.timeMs})[0] AS best
  RETURN to, best LIMIT $limit`;

export const HOLDING_OF = `MATCH (x)-[:HOLDS]->(h:Holding {classification: $label}) WHERE elementId(x) = $id RETURN h.sinceMs AS since`;

export const TRACES = `UNWIND $ids AS id MATCH (e:Event {eventId: id}) RETURN e.eventId AS eventId, e.traceId AS traceId`;

// When the data of holding h left node x after it arrived (a delete, or a move out, by $asOf; the
// latest), as goneAt: null while it is still there (`holdsAt`, src/lineage/residency-inventory.ts).
const GONE_AT = `CALL (x, h) {
    OPTIONAL MATCH (:Event)-[d:DELETES]->(x) WHERE d.timeMs >= h.sinceMs AND ($asOf IS NULL OR d.timeMs <= $asOf)
    WITH x, h, max(d.timeMs) AS deletedAt
    OPTIONAL MATCH (x)-[m:FLOWS_TO {operation: 'move'}]->() WHERE m.timeMs >= h.sinceMs AND ($asOf IS NULL OR m.timeMs <= $asOf)
    WITH deletedAt, max(m.timeMs) AS movedAt
    RETURN CASE WHEN deletedAt IS NULL THEN movedAt WHEN movedAt IS NULL OR deletedAt > movedAt THEN deletedAt ELSE movedAt END AS goneAt
  }`;

// Whether the label arrived at x again after goneAt, by $asOf: asserted there, or carried in.
const ARRIVED_AGAIN = `(EXISTS { MATCH (:Event)-[a:ASSERTS {classification: $label}]->(x) WHERE a.timeMs > goneAt AND ($asOf IS NULL OR a.timeMs <= $asOf) }
    OR EXISTS {
      MATCH (s)-[e:FLOWS_TO]->(x) WHERE e.timeMs > goneAt AND ($asOf IS NULL OR e.timeMs <= $asOf) AND NOT $label IN coalesce(e.removes, [])
        AND EXISTS { MATCH (s)-[:HOLDS]->(sh:Holding {classification: $label}) WHERE sh.sinceMs <= e.timeMs + $skew }
    })`;

// A holder's place as the graph states it; a dataset without a region keeps its namespace, which the
// store catalog may place.
const PLACE_COLUMNS = `x:Actor AS isActor, x.provider AS provider, x.region AS region,
    CASE WHEN x.region IS NULL AND NOT x:Actor THEN x.namespace END AS namespace`;

// The holdings a delete or a move left (by $asOf) and that did not come back: only a node one touched.
const LEFT_HOLDINGS = `CALL () {
      MATCH (:Event)-[:DELETES]->(x) RETURN DISTINCT x
      UNION
      MATCH (x)-[:FLOWS_TO {operation: 'move'}]->() RETURN DISTINCT x
    }
    MATCH (x)-[:HOLDS]->(h:Holding {classification: $label}) WHERE $asOf IS NULL OR h.sinceMs <= $asOf
    ${GONE_AT}
    WITH x, goneAt WHERE goneAt IS NOT NULL AND NOT ${ARRIVED_AGAIN}`;

// Every holding of the label (by $asOf) by place, and the holdings left by place: the residency
// summary with no filter is the first less the second (the per-holding check runs on leavers alone).
export const HELD_BY_PLACE = `MATCH (h:Holding {classification: $label})<-[:HOLDS]-(x) WHERE $asOf IS NULL OR h.sinceMs <= $asOf
  RETURN ${PLACE_COLUMNS}, count(*) AS holders`;
export const LEFT_BY_PLACE = `${LEFT_HOLDINGS}
  RETURN ${PLACE_COLUMNS}, count(*) AS holders`;

// How many places hold the label now (or as of $asOf), with no namespace or service filter: every
// holding counted from its index, less those whose data left and did not come back. Only a node a
// delete or a move touched can have been left, so the per-holding check of residencyQuery runs on
// those alone instead of on every holding (a second pass over all of them made the cut listing's
// true total cost 6-7 times the listing itself on a 1,000,000-event graph).
export const RESIDENCY_TOTAL = `CALL () {
    MATCH (h:Holding {classification: $label}) WHERE $asOf IS NULL OR h.sinceMs <= $asOf
    RETURN count(h) AS held
  }
  CALL () {
    ${LEFT_HOLDINGS}
    RETURN count(*) AS left
  }
  RETURN held - left AS total`;

// Where a label lives now, or as of $asOf (`holdsAt`, src/lineage/residency-inventory.ts): every node
// holding it (by $asOf), except datasets the data left (a delete, or a move out, by $asOf) after it
// arrived, unless the label arrived there again afterwards, by $asOf (docs/contract.md §3, docs/semantics.md).
// Holdings are sorted by arrival before the (per-holding) "did the data leave?" check runs, so a
// LIMIT stops that work early; a namespace/service filter starts from those nodes (indexed).
// The answer: the holdings, their count, or their count per place. `placed` keeps only holders at one
// of $places (provider, region and, for a dataset without a region, its namespace; '' for none), as
// the 'places' answer names them.
export const residencyQuery = (filtered: boolean, answer: 'holdings' | 'count' | 'places' = 'holdings', placed = false) => `${
  filtered
    ? `CALL () {
    UNWIND $exact AS ns MATCH (x:Dataset {namespace: ns}) RETURN x
    UNION
    UNWIND $prefixes AS p MATCH (x:Dataset) WHERE x.namespace STARTS WITH p RETURN x
    UNION
    UNWIND $services AS s MATCH (x:Actor {service: s}) RETURN x
  }
  MATCH (x)-[:HOLDS]->(h:Holding {classification: $label})`
    : 'MATCH (h:Holding {classification: $label})<-[:HOLDS]-(x)'
}
  WHERE ($asOf IS NULL OR h.sinceMs <= $asOf)${
    placed
      ? `
    AND any(p IN $places WHERE p.isActor = (x:Actor) AND p.provider = coalesce(x.provider, '') AND p.region = coalesce(x.region, '')
      AND (p.namespace = '' OR p.namespace = x.namespace))`
      : ''
  }
  WITH x, h ORDER BY h.sinceMs, x.namespace, x.name, x.service
  ${GONE_AT}
  WITH x, h, goneAt WHERE goneAt IS NULL OR ${ARRIVED_AGAIN}
  ${
    answer === 'count'
      ? 'RETURN count(*) AS total'
      : answer === 'places'
        ? `RETURN ${PLACE_COLUMNS}, count(*) AS holders`
        : `RETURN ${nodeFields('x')}, h.sinceMs AS since
  LIMIT $limit`
  }`;

/** Namespace patterns as the statements take them: exact names, and the prefixes of `prefix*` ones. */
export function splitPatterns(patterns: readonly string[] = []): { exact: string[]; prefixes: string[] } {
  return { exact: patterns.filter((n) => !n.endsWith('*')), prefixes: patterns.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1)) };
}

// The alert filter (src/lineage/alert-filter.ts, matchesAlertFilterButStatus) in Cypher, on the facts
// stored with each alert; $exact/$prefixes are the namespace patterns split, $words the lower-cased query.
const ALERT_FILTER = `MATCH (al:Alert)
  WHERE ($policyId IS NULL OR al.policyId = $policyId) AND ($severity IS NULL OR al.severity = $severity)
    AND ($region IS NULL OR al.filterRegion = $region)
    AND (NOT $scoped OR al.filterNamespace IN $exact OR any(p IN $prefixes WHERE al.filterNamespace STARTS WITH p)
      OR al.filterService IN $services)
    AND all(w IN $words WHERE al.filterText CONTAINS w OR any(c IN al.classifications WHERE toLower(c) CONTAINS w))
    AND ($triage IS NULL OR coalesce(al.triageState, 'open') = $triage)`;

/** What every alert answer returns of an Alert node (AlertRow in neo4j-lineage-queries.ts). */
export const ALERT_FIELDS = `al.payload AS payload, al.status AS status, al.classifications AS classifications, al.remediatedAt AS remediatedAt,
    al.remediatedBy AS remediatedBy,
    al.triageState AS triageState, al.triageAssignee AS triageAssignee, al.triageHistory AS triageHistory`;

export const ALERTS = `${ALERT_FILTER} AND ($status IS NULL OR al.status = $status)
  RETURN ${ALERT_FIELDS}
  ORDER BY coalesce(al.remediatedAt, al.detectedAt) DESC, al.alertId
  SKIP $offset LIMIT $limit`;

/** Every alert of the policies a report covers, for the report's tally (ReportTally, src/lineage/aggregate-report.ts). */
export const REPORT_ALERTS = `MATCH (al:Alert) WHERE al.policyId IN $policyIds RETURN ${ALERT_FIELDS}`;

export const ALERT_COUNTS = `${ALERT_FILTER}
  RETURN al.status AS status, count(*) AS n`;

export const NODE_HOLDINGS = `MATCH (x)-[:HOLDS]->(h:Holding) WHERE elementId(x) = $id
  RETURN h.classification AS classification, h.sinceMs AS since, h.viaEventId AS via ORDER BY classification`;
export const NODE_DELETED = `MATCH (:Event)-[d:DELETES]->(x) WHERE elementId(x) = $id RETURN max(d.timeMs) AS at`;
export const ALERT = `MATCH (al:Alert {alertId: $alertId}) RETURN ${ALERT_FIELDS}`;

// A triage change (applyTriage, src/lineage/triage.ts): the state, the assignee unless none is given, the change appended.
export const TRIAGE = `MATCH (al:Alert {alertId: $alertId})
  SET al.triageState = $entry.state, al.triageAssignee = coalesce($entry.assignee, al.triageAssignee),
      al.triageHistory = coalesce(al.triageHistory, []) + $entryJson
  RETURN ${ALERT_FIELDS}`;

export const NODE_ALERTS = `MATCH (al:Alert {nodeId: $id})
  RETURN ${ALERT_FIELDS}
  ORDER BY al.policyId`;

// Movements out of nodes that held a protected label by then (the carry rule), between two different
// places; `rankEgressRoutes` (src/lineage/aggregate-report.ts) places and ranks them. A
// dataset placed by the store catalog has no region in the graph: its namespace stands in, and the
// catalog places it afterwards.
export const egress = (scoped: boolean) => `MATCH (h:Holding) ${scoped ? 'WHERE h.classification IN $labels' : ''}
  MATCH (a)-[:HOLDS]->(h)
  MATCH (a)-[e:FLOWS_TO|ACCESSED_BY]->(b)
  WHERE e.timeMs + $skew >= h.sinceMs AND NOT h.classification IN coalesce(e.removes, [])
    AND (a.region IS NULL OR b.region IS NULL OR a.region <> b.region OR coalesce(a.provider, '') <> coalesce(b.provider, ''))
  RETURN a:Actor AS aActor, a.provider AS aProvider, a.region AS aRegion, CASE WHEN a.region IS NULL THEN a.namespace END AS aNamespace,
    b:Actor AS bActor, b.provider AS bProvider, b.region AS bRegion, CASE WHEN b.region IS NULL THEN b.namespace END AS bNamespace,
    count(DISTINCT e.eventId) AS events, collect(DISTINCT h.classification) AS labels`;

// Ranked search: the rule is searchRank and compareSearchMatches in src/lineage/search-datasets.ts.
// One pass over the datasets gives both the page and the true total.
export const SEARCH = `MATCH (x:Dataset)
  WITH x, toLower(x.name) AS nm, toLower(x.namespace) + ' ' + toLower(x.name) AS full
  WHERE all(w IN $words WHERE full CONTAINS w)
  WITH x, nm, CASE
      WHEN size($words) > 0 AND (nm = $whole OR full = $whole) THEN 3
      WHEN any(w IN $words WHERE nm STARTS WITH w) THEN 2
      WHEN size($words) > 0 AND all(w IN $words WHERE nm CONTAINS w) THEN 1
      ELSE 0 END AS rank
  ORDER BY rank DESC, size(x.name), x.namespace, x.name
  WITH collect(x) AS found
  WITH size(found) AS total, found[$offset..($offset + $limit)] AS page
  UNWIND CASE WHEN size(page) = 0 THEN [null] ELSE page END AS x
  RETURN total, ${nodeFields('x')}`;
