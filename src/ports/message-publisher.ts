/** One message for a topic: a key, a value and string headers (dead letters keep their original key and bytes; a null value stays null). */
export interface OutgoingMessage {
  key: string | Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Where messages go (Kafka in production). `send` resolves once the broker has acknowledged every
 * message of the call, in order. It rejects with a `BorderlineError` whose `retriable` says whether
 * sending again may work (a broker away) or cannot (refused for good); a message over the topic's
 * size limit rejects with a `MessageTooLargeError`.
 */
export interface MessagePublisher {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}
