import neo4j from 'neo4j-driver';

/**
 * Removes what a benchmark wrote (BENCH_KEEP=1 keeps it for a look in Neo4j): its events (by event id
 * prefix, or by producer), and the datasets of its namespaces with their holdings and alerts. Each
 * statement commits in batches, so a million rows never sit in one transaction.
 */
export async function removeBenchData(what: { eventIdPrefix: string; producerPrefix?: string; namespacePrefix: string }): Promise<void> {
  if (process.env.BENCH_KEEP === '1') return;
  const driver = neo4j.driver(
    process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687',
    neo4j.auth.basic(process.env.NEO4J_USER ?? 'neo4j', process.env.NEO4J_PASSWORD ?? ''),
  );
  const session = driver.session();
  const ns = what.namespacePrefix;
  try {
    await session.run('MATCH (e:Event) WHERE e.eventId STARTS WITH $prefix CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10000 ROWS', {
      prefix: what.eventIdPrefix,
    });
    if (what.producerPrefix)
      await session.run('MATCH (e:Event) WHERE e.producer STARTS WITH $job CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10000 ROWS', {
        job: what.producerPrefix,
      });
    await session.run(
      'MATCH (d:Dataset) WHERE d.namespace STARTS WITH $ns MATCH (al:Alert {nodeId: elementId(d)}) CALL (al) { DETACH DELETE al } IN TRANSACTIONS OF 10000 ROWS',
      { ns },
    );
    await session.run(
      'MATCH (d:Dataset)-[:HOLDS]->(h:Holding) WHERE d.namespace STARTS WITH $ns CALL (h) { DETACH DELETE h } IN TRANSACTIONS OF 10000 ROWS',
      { ns },
    );
    await session.run('MATCH (d:Dataset) WHERE d.namespace STARTS WITH $ns CALL (d) { DETACH DELETE d } IN TRANSACTIONS OF 5000 ROWS', {
      ns,
    });
  } finally {
    await session.close();
    await driver.close();
  }
}
