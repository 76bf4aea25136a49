import { createNeo4jDriver } from '../../src/adapters/neo4j/create-neo4j-driver.js';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store.js';
import { Neo4jPolicyReevaluation } from '../../src/adapters/neo4j/reevaluate-policy.js';
import { planGraphWrite } from '../../src/lineage/plan-graph-write.js';
import type { Alert } from '../../src/policy/alert.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import type { GraphStore, OutboxClaimant, PendingAlert } from '../../src/ports/graph-store.js';
import { testNeo4jUri, uniqueName } from '../support/infra-endpoints.js';
import { describePolicyChangeConformance } from './policy-change-conformance.js';

// On Neo4j a re-evaluation judges the whole database, which the integration tests share: states of
// other tests' alerts it changes go to this outbox too, and the conformance reads only its own.
describePolicyChangeConformance('Neo4j', async (policy) => {
  const driver = createNeo4jDriver({ uri: testNeo4jUri, user: 'neo4j', password: '' });
  const claimant: OutboxClaimant = { id: uniqueName('change'), outbox: uniqueName('change-alerts') };
  let store = new Neo4jGraphStore(driver, undefined, new PolicyIndex(policy));
  await store.ensureSchema();
  // The catalog the tracker applies as it writes: the policy's of the moment.
  let index = new PolicyIndex(policy);
  const publish = async (graph: GraphStore, claimed: readonly PendingAlert[]): Promise<Alert[]> => {
    await graph.markAlertsPublished(
      claimant,
      claimed.map((c) => ({ alertId: c.alertId, statuses: c.messages.map((m) => m.status) })),
    );
    return claimed.flatMap((c) => c.messages);
  };
  return {
    write: async (events) =>
      publish(store, (await store.write(planGraphWrite(events.map((e) => index.catalog.classify(e))), claimant)).claimed),
    reevaluate: async (file) => {
      await new Neo4jPolicyReevaluation(driver, undefined).reevaluate(file, { outbox: claimant.outbox });
      // What the outbox sweep of a tracker under the new policy publishes.
      index = new PolicyIndex(file);
      store = new Neo4jGraphStore(driver, undefined, index);
      const states: Alert[] = [];
      for (let claimed = await store.claimPendingAlerts(claimant); claimed.length > 0; claimed = await store.claimPendingAlerts(claimant))
        states.push(...(await publish(store, claimed)));
      return states;
    },
    close: () => driver.close(),
  };
});
