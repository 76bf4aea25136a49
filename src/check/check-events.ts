import { appendAll } from '../collections/append-all.js';
import { InMemoryLineageGraph } from '../adapters/memory/in-memory-lineage-graph.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { DatasetObservation } from '../lineage/plan-graph-write.js';
import type { Alert } from '../policy/alert.js';
import type { PolicyIndex } from '../policy/policy-index.js';

/** What an offline check found: every alert in its final state, and each state the tracker would publish, in order. */
export interface CheckOutcome {
  alerts: Alert[];
  published: Alert[];
  events: number;
}

const CLAIMANT = { id: 'borderline-check', outbox: 'check' };

/**
 * The events in `eventTime` order, ties in the order given, with their parsed times (in the same
 * order: the write takes them instead of parsing each time again). Indexes are sorted by time in
 * typed arrays (no object per event; on 1,100,000 events under half the time of sorting wrappers).
 */
function inTimeOrder(events: readonly DataMovementEvent[]): { ordered: DataMovementEvent[]; timesMs: Float64Array } {
  const times = new Float64Array(events.length);
  const order = new Uint32Array(events.length);
  for (let i = 0; i < events.length; i++) {
    times[i] = Date.parse(events[i]!.eventTime);
    order[i] = i;
  }
  order.sort((a, b) => times[a]! - times[b]! || a - b);
  return { ordered: Array.from(order, (i) => events[i]!), timesMs: Float64Array.from(order, (i) => times[i]!) };
}

/**
 * Evaluates events in process with the rules of `src/lineage/` (docs/contract.md §11): the in-memory lineage
 * graph the tracker's unit tests use, written `chunk` events at a time (straight into its nodes, without plans). Events are applied in
 * `eventTime` order (order does not change the verdicts, §3; it makes the witness paths the ones an
 * in-order delivery gives), the policy's classification catalog first, as the tracker applies it.
 */
export async function checkEvents(
  events: readonly DataMovementEvent[],
  datasets: readonly DatasetObservation[],
  policies: PolicyIndex,
  options: { chunk?: number; onProgress?: (done: number) => void } = {},
): Promise<CheckOutcome> {
  const graph = new InMemoryLineageGraph(policies);
  const { ordered: inOrder, timesMs } = inTimeOrder(events);
  const ordered = inOrder.map((e) => policies.catalog.classify(e));
  const chunk = options.chunk ?? 10_000;
  const published: Alert[] = [];
  for (let i = 0; i < ordered.length || (i === 0 && datasets.length > 0); i += chunk) {
    const { claimed } = graph.writeEvents(ordered.slice(i, i + chunk), i === 0 ? datasets : [], CLAIMANT, {
      timesMs: timesMs.subarray(i, i + chunk),
    });
    for (const { messages } of claimed) appendAll(published, messages);
    await graph.markAlertsPublished(
      CLAIMANT,
      claimed.map((c) => ({ alertId: c.alertId, statuses: c.messages.map((m) => m.status) })),
    );
    options.onProgress?.(Math.min(i + chunk, ordered.length));
  }
  const { alerts } = await graph.queries.alerts({ offset: 0, limit: Number.MAX_SAFE_INTEGER });
  return { alerts, published, events: ordered.length };
}
