import { MessageTooLargeError } from '../../errors/borderline-error.js';
import type { MessagePublisher, OutgoingMessage } from '../../ports/message-publisher.js';

const sizeOf = (m: OutgoingMessage) =>
  (m.key?.length ?? 0) + (m.value?.length ?? 0) + Object.entries(m.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);

/** Keeps published messages in memory, per topic: the publisher unit tests use. */
export class InMemoryMessagePublisher implements MessagePublisher {
  readonly sent: Array<OutgoingMessage & { topic: string }> = [];
  /** Calls to `send`, each with the number of messages it carried. */
  readonly batches: number[] = [];
  /** Set to make the next sends fail, as a broker outage would. */
  failWith: Error | undefined;
  /** Set to refuse a send any of whose messages is larger, as a topic's `max.message.bytes` would. */
  maxMessageBytes: number | undefined;
  closed = false;

  send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    const tooLarge = messages.find((m) => this.maxMessageBytes !== undefined && sizeOf(m) > this.maxMessageBytes);
    if (tooLarge)
      return Promise.reject(
        new MessageTooLargeError(`a ${sizeOf(tooLarge)}-byte message is over ${topic}'s ${this.maxMessageBytes}-byte limit`),
      );
    this.batches.push(messages.length);
    for (const message of messages) this.sent.push({ topic, ...message });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
