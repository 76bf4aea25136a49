import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { JavaCompatiblePartitioner } from './java-compatible-partitioner.js';
import { BorderlineError } from '../../errors/borderline-error.js';
import type { MessagePublisher, OutgoingMessage } from '../../ports/message-publisher.js';

/** Bytes of keys, values and headers per produce request: well under the broker's default 1 MiB per batch. */
const MAX_REQUEST_BYTES = 512 * 1024;

const sizeOf = (m: OutgoingMessage) => (m.key?.length ?? 0) + m.value.length + Object.entries(m.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);

/** Consecutive runs of messages whose sizes add up to at most `limit` (a larger message goes alone). */
export function chunksOf(messages: OutgoingMessage[], limit: number): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message);
    if (current.length > 0 && bytes + size > limit) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Publishes through one idempotent kafkajs producer (acks from all in-sync replicas, broker-side
 * de-duplication of retries). Connects on first use.
 */
export class KafkaMessagePublisher implements MessagePublisher {
  private connecting: Promise<void> | undefined;

  constructor(private readonly producer: Producer) {}

  static fromKafka(kafka: Kafka): KafkaMessagePublisher {
    return new KafkaMessagePublisher(kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: JavaCompatiblePartitioner,
        // Idempotence needs unbounded retries; while the broker is away, sends wait (see docs/events.md).
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 30_000 },
      }),
    );
  }

  /** Sends in order, in requests of at most MAX_REQUEST_BYTES, so that a large backlog never exceeds the broker's limit. */
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.connecting ??= this.producer.connect();
    try {
      await this.connecting;
      for (const chunk of chunksOf(messages, MAX_REQUEST_BYTES)) {
        await this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages: chunk });
      }
    } catch (error) {
      throw new BorderlineError(`could not publish ${messages.length} message(s) to ${topic}: ${(error as Error).message}`, {
        cause: error,
        retriable: true,
      });
    }
  }

  async close(): Promise<void> {
    if (this.connecting) await this.producer.disconnect();
  }
}
