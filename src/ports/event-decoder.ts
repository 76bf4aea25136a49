import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { IncomingMessage } from './incoming-message.js';
import type { DatasetObservation } from '../lineage/plan-graph-write.js';

/** What one message off an input topic says: the events it carries, or why it is invalid. */
export type DecodedMessage =
  | {
      ok: true;
      events: DataMovementEvent[];
      /** Malformed parts that were ignored; the message still counts. */
      warnings?: readonly string[];
      /** Parts that are invalid: the message goes to the DLQ with these reasons, and its valid events are still written (OTLP: one bad span of a batch). */
      rejected?: readonly string[];
      /** Items of the message that carry no movement and are skipped (OTLP: spans without lineage). */
      ignored?: number;
      /** Datasets the message names without a movement: recorded in the lineage graph, nothing more. */
      datasets?: readonly DatasetObservation[];
    }
  | { ok: false; problems: string[] };

/**
 * Turns one message of an input topic (native events, OpenLineage, OTLP) into domain events at the
 * edge, so that nothing downstream knows where an event came from. Never throws: a message it
 * cannot read is `ok: false`, with problems naming the field, for the dead-letter topic.
 */
export interface EventDecoder {
  decode(message: IncomingMessage): DecodedMessage;
}
