import type { OutgoingMessage } from '../ports/message-publisher.js';
import type { IncomingMessage } from '../ports/incoming-message.js';

/** The contract's DLQ record: the original key, bytes (a null value stays null) and headers, plus why and where from. */
export function deadLetter(message: IncomingMessage, reason: string): OutgoingMessage {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      'x-dlq-reason': reason,
      'x-dlq-source-topic': message.topic,
      'x-dlq-source-partition': String(message.partition),
      'x-dlq-source-offset': message.offset,
    },
  };
}

/** Where a dead letter came from: its source headers. */
export function deadLetterSource(letter: OutgoingMessage): { topic?: string; partition?: string; offset?: string } {
  return {
    topic: letter.headers['x-dlq-source-topic'],
    partition: letter.headers['x-dlq-source-partition'],
    offset: letter.headers['x-dlq-source-offset'],
  };
}

/** How much of the original value a shortened dead letter keeps, in the order they are tried. */
export const SHORTENED_VALUE_BYTES = [64 * 1024, 0] as const;

/** Longest reason header a shortened dead letter keeps. */
const SHORTENED_REASON_CHARS = 2_000;

/**
 * A dead letter the DLQ topic refused for its size, cut to fit: the value's first `valueBytes`
 * bytes, the reason shortened, and headers that say so (`x-dlq-truncated`, `x-dlq-original-size`).
 * The source topic, partition and offset still lead to the original.
 */
export function shortenDeadLetter(letter: OutgoingMessage, valueBytes: number): OutgoingMessage {
  const size = letter.value?.length ?? 0;
  const reason = letter.headers['x-dlq-reason'] ?? '';
  return {
    key: letter.key,
    value: letter.value === null ? null : letter.value.subarray(0, valueBytes),
    headers: {
      'x-dlq-reason': reason.length > SHORTENED_REASON_CHARS ? `${reason.slice(0, SHORTENED_REASON_CHARS)}…` : reason,
      'x-dlq-source-topic': letter.headers['x-dlq-source-topic'] ?? '',
      'x-dlq-source-partition': letter.headers['x-dlq-source-partition'] ?? '',
      'x-dlq-source-offset': letter.headers['x-dlq-source-offset'] ?? '',
      'x-dlq-truncated': 'true',
      'x-dlq-original-size': String(size),
    },
  };
}
