import type { GraphWritePlan } from '../../lineage/plan-graph-write.js';
import type { HeldNode } from '../../lineage/graph-node.js';
import { nodeMap } from './node-rows.js';
import { APPLY_SEEDS, SEED_SUBQUERIES, type Applied } from './propagate-labels.js';

/**
 * One subquery per list of the plan, in order; each UNWINDs its list (the parameter named as the
 * plan's list) AS row. Labels and relationship types are constants; every value is a parameter.
 */
const WRITE_SUBQUERIES: ReadonlyArray<{ rows: keyof GraphWritePlan; cypher: string }> = [
  {
    rows: 'datasets',
    // The location an event states wins over one stated by an older event, whatever the arrival order.
    // A dataset never located compares as older than UNLOCATED_MS (plan-graph-write.ts), itself older
    // than any event: events before 1970 have negative times and must still place their datasets.
    // Returns the protected labels held by datasets whose location changed (HeldNode maps, located):
    // those holdings must be judged again.
    cypher: `MERGE (d:Dataset {namespace: row.namespace, name: row.name})
      WITH d, row WHERE row.timeMs > coalesce(d.locationTimeMs, -8640000000000002)
      WITH d, row, coalesce(d.region, '') <> coalesce(row.region, '') OR coalesce(d.provider, '') <> coalesce(row.provider, '') AS moved
      SET d.provider = row.provider, d.region = row.region, d.locationTimeMs = row.timeMs
      WITH d, moved WHERE moved
      MATCH (d)-[:HOLDS]->(h)
      RETURN collect({id: elementId(d), label: h.classification, since: h.sinceMs, ${nodeMap('d')}}) AS relocated`,
  },
  {
    rows: 'actors',
    cypher: `MERGE (a:Actor {service: row.service, region: row.region})
      SET a.provider = coalesce(row.provider, a.provider)`,
  },
  {
    rows: 'events',
    cypher: `MERGE (e:Event {eventId: row.eventId})
      ON CREATE SET e.operation = row.operation, e.eventTime = row.eventTime, e.timeMs = row.timeMs,
        e.traceId = row.traceId, e.producer = row.producer, e.actorService = row.actorService,
        e.actorRegion = row.actorRegion, e.actorProvider = row.actorProvider, e.digest = row.digest`,
  },
  {
    rows: 'flows',
    cypher: `MATCH (a:Dataset {namespace: row.fromNamespace, name: row.fromName}) USING INDEX a:Dataset(namespace, name)
      MATCH (b:Dataset {namespace: row.toNamespace, name: row.toName}) USING INDEX b:Dataset(namespace, name)
      MERGE (a)-[r:FLOWS_TO {eventId: row.eventId}]->(b)
      ON CREATE SET r.operation = row.operation, r.timeMs = row.timeMs,
        r.removes = CASE WHEN size(row.removes) = 0 THEN null ELSE row.removes END`,
  },
  {
    rows: 'accesses',
    cypher: `MATCH (d:Dataset {namespace: row.namespace, name: row.name}) USING INDEX d:Dataset(namespace, name)
      MATCH (a:Actor {service: row.service, region: row.region}) USING INDEX a:Actor(service, region)
      MERGE (d)-[r:ACCESSED_BY {eventId: row.eventId}]->(a)
      ON CREATE SET r.timeMs = row.timeMs`,
  },
  {
    rows: 'assertions',
    cypher: `MATCH (e:Event {eventId: row.eventId})
      MATCH (d:Dataset {namespace: row.namespace, name: row.name}) USING INDEX d:Dataset(namespace, name)
      MERGE (e)-[r:ASSERTS {classification: row.classification}]->(d)
      ON CREATE SET r.timeMs = row.timeMs`,
  },
  {
    rows: 'deletions',
    cypher: `MATCH (e:Event {eventId: row.eventId})
      MATCH (d:Dataset {namespace: row.namespace, name: row.name}) USING INDEX d:Dataset(namespace, name)
      MERGE (e)-[r:DELETES]->(d)
      ON CREATE SET r.timeMs = row.timeMs`,
  },
];

/**
 * A whole plan as one statement: each list written by a subquery of its own, in order, then (when
 * `$evaluate`) the subqueries that find propagation's first candidates and the one that applies
 * them. One statement rather than one per list: on a loaded machine every Bolt message and its
 * answer cost a context switch on both sides, and a small write paid more for its round trips than
 * for its rows (docs/graph-model.md). Returns `relocated` (HeldNode maps) and `applied` (the first
 * level of the propagation, Applied maps).
 */
export const WRITE_PLAN = [
  ...WRITE_SUBQUERIES.map(({ rows, cypher }) => `CALL () {\n  UNWIND $${rows} AS row\n  ${cypher}\n}`),
  ...SEED_SUBQUERIES,
  'WITH relocated, assertionSeeds + flowSeeds + accessSeeds AS seeds',
  APPLY_SEEDS,
  'RETURN relocated, applied',
].join('\n');

/** The result of WRITE_PLAN. */
export interface PlanWritten {
  relocated: HeldNode[];
  applied: Applied[];
}

/**
 * Event ids of the plan the graph already holds with other content (docs/contract.md §2: the first version
 * stands). Events written before digests existed, or decoded without one, never conflict.
 */
export const FIND_EVENT_ID_CONFLICTS = `UNWIND $events AS row
  MATCH (e:Event {eventId: row.eventId})
  WHERE e.digest IS NOT NULL AND row.digest IS NOT NULL AND e.digest <> row.digest
  RETURN row.eventId AS eventId`;
