import { appendAll } from '../collections/append-all.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import { eventDigest } from '../events/event-digest.js';
import { conflictReason } from '../lineage/event-id-conflict.js';
import type { DatasetObservation } from '../lineage/plan-graph-write.js';
import type { EventDecoder } from '../ports/event-decoder.js';
import type { IncomingMessage } from '../ports/incoming-message.js';
import type { OutgoingMessage } from '../ports/message-publisher.js';
import { deadLetter } from './dead-letter.js';
import { withTraceFromHeaders } from './trace-from-headers.js';

/** An event ready to write, with the message it came in. */
export interface ValidEvent {
  message: IncomingMessage;
  event: DataMovementEvent;
  /** The event's content as decoded, before enrichment (`eventDigest`): what a redelivery repeats. */
  digest: string;
}

/** A batch of messages as decoded: what to write, what to dead-letter, and what to count. */
export interface DecodedBatch {
  valid: ValidEvent[];
  rejected: OutgoingMessage[];
  /** Datasets seen without a movement (their identity, and location when stated). */
  observed: DatasetObservation[];
  warnings: string[];
  ignored: number;
  /** Second versions of an event id inside the batch (dead-lettered; the first stands). */
  conflicts: number;
}

export interface BatchDecoding {
  /** The decoder of each input topic; other topics carry native events. */
  decoderOf: (topic: string) => EventDecoder;
  /** Applied to every decoded event (the policy's classification catalog). */
  enrich: (event: DataMovementEvent) => DataMovementEvent;
}

/**
 * Decodes each message with its topic's decoder. Invalid messages become dead letters with the
 * decoder's reason; a second version of an event id in one batch is refused, the first stands
 * (docs/events.md: an event id names one event).
 */
export function decodeBatch(messages: readonly IncomingMessage[], decoding: BatchDecoding): DecodedBatch {
  const batch: DecodedBatch = { valid: [], rejected: [], observed: [], warnings: [], ignored: 0, conflicts: 0 };
  const firstDigest = new Map<string, string>();
  for (const message of messages) {
    const decoded = decoding.decoderOf(message.topic).decode(message);
    if (!decoded.ok) {
      batch.rejected.push(deadLetter(message, decoded.problems.join('; ')));
      continue;
    }
    for (const event of decoded.events) {
      const digest = eventDigest(event);
      const first = firstDigest.get(event.eventId);
      if (first !== undefined && first !== digest) {
        batch.conflicts += 1;
        rejectOnce(batch.rejected, message, conflictReason(event.eventId));
        continue;
      }
      firstDigest.set(event.eventId, digest);
      batch.valid.push({ message, event: decoding.enrich(withTraceFromHeaders(event, message.headers)), digest });
    }
    appendAll(batch.warnings, decoded.warnings ?? []);
    if (decoded.rejected?.length) batch.rejected.push(deadLetter(message, decoded.rejected.join('; ')));
    appendAll(batch.observed, decoded.datasets ?? []);
    batch.ignored += decoded.ignored ?? 0;
  }
  return batch;
}

/** Dead-letters a message once, however many of its events were refused (an OpenLineage run carries several). */
export function rejectOnce(rejected: OutgoingMessage[], message: IncomingMessage, reason: string): void {
  const already = rejected.some(
    (r) =>
      r.headers['x-dlq-source-offset'] === message.offset &&
      r.headers['x-dlq-source-topic'] === message.topic &&
      r.headers['x-dlq-source-partition'] === String(message.partition),
  );
  if (!already) rejected.push(deadLetter(message, reason));
}
