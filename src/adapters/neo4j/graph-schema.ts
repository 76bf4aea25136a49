/**
 * Constraints and indexes of the lineage graph (docs/graph-model.md). Each statement is idempotent.
 * The uniqueness constraints make MERGE safe under concurrent writers and give each identity an index.
 */
export const GRAPH_SCHEMA_STATEMENTS: readonly string[] = [
  'CREATE CONSTRAINT dataset_identity IF NOT EXISTS FOR (d:Dataset) REQUIRE (d.namespace, d.name) IS UNIQUE',
  'CREATE CONSTRAINT actor_identity IF NOT EXISTS FOR (a:Actor) REQUIRE (a.service, a.region) IS UNIQUE',
  'CREATE CONSTRAINT event_identity IF NOT EXISTS FOR (e:Event) REQUIRE e.eventId IS UNIQUE',
  'CREATE CONSTRAINT alert_identity IF NOT EXISTS FOR (a:Alert) REQUIRE a.alertId IS UNIQUE',
  'CREATE INDEX alert_node IF NOT EXISTS FOR (a:Alert) ON (a.nodeId)',
  'CREATE INDEX alert_status IF NOT EXISTS FOR (a:Alert) ON (a.status)',
  'CREATE INDEX alert_outbox IF NOT EXISTS FOR (a:Alert) ON (a.outbox)',
  'CREATE INDEX holding_classification IF NOT EXISTS FOR (h:Holding) ON (h.classification)',
  'CREATE INDEX dataset_region IF NOT EXISTS FOR (d:Dataset) ON (d.region)',
  'CREATE INDEX dataset_namespace IF NOT EXISTS FOR (d:Dataset) ON (d.namespace)',
  'CREATE INDEX actor_service IF NOT EXISTS FOR (a:Actor) ON (a.service)',
  'CREATE INDEX holding_since IF NOT EXISTS FOR (h:Holding) ON (h.sinceMs)',
  'CREATE INDEX event_time IF NOT EXISTS FOR (e:Event) ON (e.timeMs)',
  'CREATE INDEX flow_event IF NOT EXISTS FOR ()-[r:FLOWS_TO]-() ON (r.eventId)',
  'CREATE INDEX flow_time IF NOT EXISTS FOR ()-[r:FLOWS_TO]-() ON (r.timeMs)',
  // Moves out are what the residency total checks besides deletes (RESIDENCY_TOTAL): found by this index, not a scan of every movement.
  'CREATE INDEX flow_operation IF NOT EXISTS FOR ()-[r:FLOWS_TO]-() ON (r.operation)',
  // An index on ASSERTS.classification let the planner MERGE an assertion by scanning every
  // assertion of the label instead of expanding between its two nodes; earlier versions had it.
  'DROP INDEX assertion_classification IF EXISTS',
];
