import { createNeo4jDriver } from '../../src/adapters/neo4j/create-neo4j-driver.js';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store.js';
import { testNeo4jUri } from '../support/infra-endpoints.js';
import { CONFORMANCE_POLICIES } from './conformance-estate.js';
import { describeGraphStoreConformance } from './graph-store-conformance.js';

describeGraphStoreConformance('Neo4j', async ({ claimLeaseMs }) => {
  const store = new Neo4jGraphStore(
    createNeo4jDriver({ uri: testNeo4jUri, user: 'neo4j', password: '' }),
    undefined,
    CONFORMANCE_POLICIES,
    {
      claimLeaseMs,
    },
  );
  await store.ensureSchema();
  return { store, now: () => Date.now() };
});
