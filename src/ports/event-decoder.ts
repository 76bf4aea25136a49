import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { IncomingMessage } from '../ingest/incoming-message.js';

/** What one message off an input topic says: the events it carries, or why it is invalid. */
export type DecodedMessage =
  | { ok: true; events: DataMovementEvent[]; warnings?: readonly string[] }
  | { ok: false; problems: string[] };

/**
 * Turns one message of an input topic (native events, OpenLineage, OTLP) into domain events at the
 * edge, so that nothing downstream knows where an event came from. Never throws: a message it
 * cannot read is `ok: false`, with problems naming the field, for the dead-letter topic.
 */
export interface EventDecoder {
  decode(message: IncomingMessage): DecodedMessage;
}
