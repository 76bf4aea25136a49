import type { Driver } from 'neo4j-driver';

// Everything hanging off the datasets first (their holdings and alerts, the events that touched
// them), then the datasets; actors are named by service. Values are parameters, as always.
const STATEMENTS = [
  `MATCH (d:Dataset) WHERE d.namespace IN $namespaces
   OPTIONAL MATCH (al:Alert {nodeId: elementId(d)}) DETACH DELETE al`,
  `MATCH (a:Actor) WHERE a.service IN $services
   OPTIONAL MATCH (al:Alert {nodeId: elementId(a)}) DETACH DELETE al`,
  `MATCH (x)-[:HOLDS]->(h:Holding) WHERE (x:Dataset AND x.namespace IN $namespaces) OR (x:Actor AND x.service IN $services) DETACH DELETE h`,
  `MATCH (d:Dataset)-[r:FLOWS_TO|ACCESSED_BY]-() WHERE d.namespace IN $namespaces
   WITH collect(DISTINCT r.eventId) AS ids MATCH (e:Event) WHERE e.eventId IN ids DETACH DELETE e`,
  `MATCH (e:Event)-[:ASSERTS|DELETES]->(d:Dataset) WHERE d.namespace IN $namespaces DETACH DELETE e`,
  `MATCH (d:Dataset) WHERE d.namespace IN $namespaces DETACH DELETE d`,
  `MATCH (a:Actor) WHERE a.service IN $services DETACH DELETE a`,
];

/**
 * Removes what the graph holds about some namespaces and actor services — datasets, their events,
 * holdings and alerts — so that a demo can be played again from a clean slate. Other data is untouched.
 */
export async function forgetNamespaces(
  driver: Driver,
  namespaces: readonly string[],
  services: readonly string[],
  database?: string,
): Promise<void> {
  for (const cypher of STATEMENTS)
    await driver.executeQuery(cypher, { namespaces: [...namespaces], services: [...services] }, { database });
}
