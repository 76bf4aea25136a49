import { BorderlineError } from '../errors/borderline-error.js';

/**
 * Events whose ids the graph already holds with different content (docs/contract.md §2: a redelivery of the
 * same id is a no-op, so the first version stands). Not retriable: the events are dead-lettered
 * with the reason, the rest of the batch written.
 */
export class EventIdConflictError extends BorderlineError {
  constructor(readonly eventIds: readonly string[]) {
    super(
      `eventId already used for a different event: ${eventIds.slice(0, 5).join(', ')}${eventIds.length > 5 ? ` and ${eventIds.length - 5} more` : ''}`,
      { retriable: false },
    );
  }
}

/** The dead-letter reason of an event whose id was already used for different content. */
export const conflictReason = (eventId: string): string =>
  `eventId ${eventId} was already used for a different event: a redelivery must be identical (docs/contract.md §2); the first version stands`;
