import type { MessagePublisher, OutgoingMessage } from '../../ports/message-publisher.js';

/** Keeps published messages in memory, per topic: the publisher unit tests use. */
export class InMemoryMessagePublisher implements MessagePublisher {
  readonly sent: Array<OutgoingMessage & { topic: string }> = [];
  /** Calls to `send`, each with the number of messages it carried. */
  readonly batches: number[] = [];
  /** Set to make the next sends fail, as a broker outage would. */
  failWith: Error | undefined;
  closed = false;

  send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.batches.push(messages.length);
    for (const message of messages) this.sent.push({ topic, ...message });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
