import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { planGraphWrite } from '../../src/lineage/plan-graph-write.js';
import type { Alert } from '../../src/policy/alert.js';
import type { PolicyIndex } from '../../src/policy/policy-index.js';
import { random } from './random-workload.js';

/**
 * Writes the events into an in-memory graph in random batches of 1–200, publishing what each write
 * claims: as plans through the graph-store port (as the tracker writes), or straight into the graph
 * (`writeEvents`, as `borderline check` writes).
 */
export async function evaluateInMemory(
  events: readonly DataMovementEvent[],
  policies: PolicyIndex,
  seed: number,
  via: 'plans' | 'events' = 'plans',
): Promise<Alert[]> {
  const graph = new InMemoryLineageGraph(policies);
  const rnd = random(seed);
  const published: Alert[] = [];
  const claimant = { id: 'unit', outbox: 'alerts' };
  for (let i = 0; i < events.length;) {
    const size = 1 + Math.floor(rnd.next() * 200);
    const batch = events.slice(i, i + size);
    const { claimed } = via === 'plans' ? await graph.write(planGraphWrite(batch), claimant) : graph.writeEvents(batch, [], claimant);
    published.push(...claimed.flatMap((c) => c.messages));
    await graph.markAlertsPublished(
      claimant,
      claimed.map((c) => ({ alertId: c.alertId, statuses: c.messages.map((m) => m.status) })),
    );
    i += size;
  }
  return published;
}
