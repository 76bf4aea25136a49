import { createNeo4jDriver } from '../../src/adapters/neo4j/create-neo4j-driver.js';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store.js';
import { Neo4jLineageQueries } from '../../src/adapters/neo4j/neo4j-lineage-queries.js';
import { testNeo4jUri } from '../support/infra-endpoints.js';
import { CONFORMANCE_POLICIES } from './conformance-estate.js';
import { describeLineageQueriesConformance } from './lineage-queries-conformance.js';

describeLineageQueriesConformance('Neo4j', async () => {
  const driver = createNeo4jDriver({ uri: testNeo4jUri, user: 'neo4j', password: '' });
  const store = new Neo4jGraphStore(driver, undefined, CONFORMANCE_POLICIES);
  await store.ensureSchema();
  return { store, queries: new Neo4jLineageQueries(driver, undefined, CONFORMANCE_POLICIES), close: () => store.close() };
});
