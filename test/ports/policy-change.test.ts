import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { planGraphWrite } from '../../src/lineage/plan-graph-write.js';
import type { Alert } from '../../src/policy/alert.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import type { PendingAlert } from '../../src/ports/graph-store.js';
import { describePolicyChangeConformance } from './policy-change-conformance.js';

const claimant = { id: 'unit', outbox: 'alerts' };

describePolicyChangeConformance('in memory', (policy) => {
  const graph = new InMemoryLineageGraph(new PolicyIndex(policy));
  // The catalog the tracker applies as it writes: the policy's of the moment.
  let index = new PolicyIndex(policy);
  const publish = async (claimed: readonly PendingAlert[]): Promise<Alert[]> => {
    await graph.markAlertsPublished(
      claimant,
      claimed.map((c) => ({ alertId: c.alertId, statuses: c.messages.map((m) => m.status) })),
    );
    return claimed.flatMap((c) => c.messages);
  };
  return Promise.resolve({
    write: async (events) => publish((await graph.write(planGraphWrite(events.map((e) => index.catalog.classify(e))), claimant)).claimed),
    reevaluate: (file) => {
      index = new PolicyIndex(file);
      return publish(graph.reevaluate(file, claimant).claimed);
    },
    close: () => graph.close(),
  });
});
