/** One message for a topic: a key, a value and string headers (dead letters keep their original key and bytes). */
export interface OutgoingMessage {
  key: string | Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * Where messages go (Kafka in production). `send` resolves once the broker has acknowledged every
 * message of the call, in order, and rejects with a retriable error when it could not.
 */
export interface MessagePublisher {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}
