import type { Kafka } from 'kafkajs';
import type { CompressionName } from '../../config/compression.js';
import { createLogger } from '../../observability/create-logger.js';
import type { MessagePublisher } from '../../ports/message-publisher.js';
import { createKafkaClient } from './create-kafka-client.js';
import { KafkaMessagePublisher } from './kafka-message-publisher.js';

/** How a producer outside the tracker reaches Kafka: either `brokers` (and optional TLS/SASL) or a ready `kafka` client. */
export interface KafkaConnectionOptions {
  brokers?: string[];
  kafka?: Kafka;
  clientId?: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/**
 * A publisher over the given client, or over a new one to `brokers` (the SDK's emitter sends through
 * it). The caller has checked that one of the two is given.
 */
export function createKafkaPublisher(options: KafkaConnectionOptions, compression: CompressionName): MessagePublisher {
  const kafka =
    options.kafka ??
    createKafkaClient(
      { brokers: options.brokers ?? [], clientId: options.clientId ?? 'borderline-sdk', ssl: options.ssl ?? false, sasl: options.sasl },
      createLogger(process.env.BORDERLINE_LOG_LEVEL ?? 'warn', 'borderline-sdk'),
    );
  return KafkaMessagePublisher.fromKafka(kafka, { compression });
}
