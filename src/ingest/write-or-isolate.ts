import { appendAll } from '../collections/append-all.js';
import type { Logger } from '../observability/create-logger.js';
import { conflictReason, EventIdConflictError } from '../lineage/event-id-conflict.js';
import { planGraphWrite } from '../lineage/plan-graph-write.js';
import type { GraphStore, OutboxClaimant, PendingAlert } from '../ports/graph-store.js';
import type { IngestObserver } from '../ports/ingest-observer.js';
import type { OutgoingMessage } from '../ports/message-publisher.js';
import { rejectOnce, type ValidEvent } from './decode-batch.js';
import { IngestAbortedError } from './retry-while-running.js';

export interface WriteOrIsolateContext {
  graph: Pick<GraphStore, 'write'>;
  claimant: OutboxClaimant;
  observer: IngestObserver;
  logger: Logger;
  /** Runs a graph write until it succeeds (an outage waits) or the batch is abandoned (IngestAbortedError). */
  retryWrite: (action: () => Promise<unknown>) => Promise<void>;
}

/** Where a write's outcome goes: the messages to dead-letter, and the alert states the write claimed. */
export interface WriteResults {
  rejected: OutgoingMessage[];
  claimed: PendingAlert[];
}

/**
 * Writes the events in one transaction; if the database refuses them for a reason retrying cannot
 * fix, halves the batch until the event at fault is alone, and dead-letters that one with the
 * database's reason. Events whose ids the graph already holds with other content are dead-lettered
 * and the rest written again.
 */
export async function writeOrIsolate(valid: ValidEvent[], context: WriteOrIsolateContext, results: WriteResults): Promise<void> {
  if (valid.length === 0) return;
  try {
    await context.retryWrite(async () => {
      const digests = new Map(valid.map((v) => [v.event, v.digest]));
      const plan = planGraphWrite(
        valid.map((v) => v.event),
        [],
        (e) => digests.get(e),
      );
      appendAll(results.claimed, (await context.graph.write(plan, context.claimant)).claimed);
    });
    context.observer.written(valid.length);
  } catch (error) {
    if (error instanceof IngestAbortedError) throw error;
    if (error instanceof EventIdConflictError) {
      const ids = new Set(error.eventIds);
      for (const v of valid.filter((v) => ids.has(v.event.eventId)))
        rejectOnce(results.rejected, v.message, conflictReason(v.event.eventId));
      context.observer.eventIdConflicts(ids.size);
      context.logger.error(
        { eventIds: [...ids].slice(0, 10), count: ids.size },
        'event ids already used for different events; dead-lettered, the first versions stand',
      );
      await writeOrIsolate(
        valid.filter((v) => !ids.has(v.event.eventId)),
        context,
        results,
      );
      return;
    }
    if (valid.length === 1) {
      rejectOnce(results.rejected, valid[0]!.message, `graph write refused: ${(error as Error).message}`);
      return;
    }
    const half = Math.ceil(valid.length / 2);
    await writeOrIsolate(valid.slice(0, half), context, results);
    await writeOrIsolate(valid.slice(half), context, results);
  }
}
