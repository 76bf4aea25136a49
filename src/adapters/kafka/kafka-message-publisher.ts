import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { JavaCompatiblePartitioner } from './java-compatible-partitioner.js';
import { BorderlineError } from '../../errors/borderline-error.js';
import type { MessagePublisher, OutgoingMessage } from '../../ports/message-publisher.js';

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

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.connecting ??= this.producer.connect();
    try {
      await this.connecting;
      await this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
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
