import type { GraphWritePlan } from '../../ingest/plan-graph-write.js';
import { nodeFields } from './node-rows.js';

/**
 * The Cypher of one plan, in order; each statement UNWINDs one list of the plan. Labels and
 * relationship types are constants; every value is a parameter.
 */
export const GRAPH_WRITE_STATEMENTS: ReadonlyArray<{ rows: keyof GraphWritePlan; cypher: string }> = [
  {
    rows: 'datasets',
    // The location an event states wins over one stated by an older event, whatever the arrival order.
    // Returns the protected labels held by datasets whose location changed (HeldNode rows, located):
    // those holdings must be judged again.
    cypher: `UNWIND $rows AS row
      MERGE (d:Dataset {namespace: row.namespace, name: row.name})
      WITH d, row WHERE row.timeMs > coalesce(d.locationTimeMs, -2)
      WITH d, row, coalesce(d.region, '') <> coalesce(row.region, '') OR coalesce(d.provider, '') <> coalesce(row.provider, '') AS moved
      SET d.provider = row.provider, d.region = row.region, d.locationTimeMs = row.timeMs
      WITH d, moved WHERE moved
      MATCH (d)-[:HOLDS]->(h)
      RETURN elementId(d) AS id, h.classification AS label, h.sinceMs AS since, ${nodeFields('d')}`,
  },
  {
    rows: 'actors',
    cypher: `UNWIND $rows AS row
      MERGE (a:Actor {service: row.service, region: row.region})
      SET a.provider = coalesce(row.provider, a.provider)`,
  },
  {
    rows: 'events',
    cypher: `UNWIND $rows AS row
      MERGE (e:Event {eventId: row.eventId})
      ON CREATE SET e.operation = row.operation, e.eventTime = row.eventTime, e.timeMs = row.timeMs,
        e.traceId = row.traceId, e.producer = row.producer, e.actorService = row.actorService,
        e.actorRegion = row.actorRegion, e.actorProvider = row.actorProvider`,
  },
  {
    rows: 'flows',
    cypher: `UNWIND $rows AS row
      MATCH (a:Dataset {namespace: row.fromNamespace, name: row.fromName}) USING INDEX a:Dataset(namespace, name)
      MATCH (b:Dataset {namespace: row.toNamespace, name: row.toName}) USING INDEX b:Dataset(namespace, name)
      MERGE (a)-[r:FLOWS_TO {eventId: row.eventId}]->(b)
      ON CREATE SET r.operation = row.operation, r.timeMs = row.timeMs,
        r.removes = CASE WHEN size(row.removes) = 0 THEN null ELSE row.removes END`,
  },
  {
    rows: 'accesses',
    cypher: `UNWIND $rows AS row
      MATCH (d:Dataset {namespace: row.namespace, name: row.name}) USING INDEX d:Dataset(namespace, name)
      MATCH (a:Actor {service: row.service, region: row.region}) USING INDEX a:Actor(service, region)
      MERGE (d)-[r:ACCESSED_BY {eventId: row.eventId}]->(a)
      ON CREATE SET r.timeMs = row.timeMs`,
  },
  {
    rows: 'assertions',
    cypher: `UNWIND $rows AS row
      MATCH (e:Event {eventId: row.eventId})
      MATCH (d:Dataset {namespace: row.namespace, name: row.name}) USING INDEX d:Dataset(namespace, name)
      MERGE (e)-[r:ASSERTS {classification: row.classification}]->(d)
      ON CREATE SET r.timeMs = row.timeMs`,
  },
  {
    rows: 'deletions',
    cypher: `UNWIND $rows AS row
      MATCH (e:Event {eventId: row.eventId})
      MATCH (d:Dataset {namespace: row.namespace, name: row.name}) USING INDEX d:Dataset(namespace, name)
      MERGE (e)-[r:DELETES]->(d)
      ON CREATE SET r.timeMs = row.timeMs`,
  },
];
