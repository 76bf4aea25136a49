import type { OutgoingMessage } from '../ports/message-publisher.js';
import type { IncomingMessage } from './incoming-message.js';

/** The contract's DLQ record: the original key, bytes and headers, plus why and where from. */
export function deadLetter(message: IncomingMessage, reason: string): OutgoingMessage {
  return {
    key: message.key,
    value: message.value ?? Buffer.alloc(0),
    headers: {
      ...message.headers,
      'x-dlq-reason': reason,
      'x-dlq-source-topic': message.topic,
      'x-dlq-source-partition': String(message.partition),
      'x-dlq-source-offset': message.offset,
    },
  };
}
