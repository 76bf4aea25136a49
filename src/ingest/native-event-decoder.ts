import { parseDataMovementEventBytes } from '../events/parse-data-movement-event.js';
import type { DecodedMessage, EventDecoder } from '../ports/event-decoder.js';
import type { IncomingMessage } from '../ports/incoming-message.js';

/** The events topic's decoder: one DataMovementEvent per message, as docs/contract.md §2 says. */
export class NativeEventDecoder implements EventDecoder {
  constructor(private readonly maxEventBytes: number) {}

  decode(message: IncomingMessage): DecodedMessage {
    const parsed = parseDataMovementEventBytes(message.value, this.maxEventBytes);
    return parsed.ok ? { ok: true, events: [parsed.event] } : parsed;
  }
}
