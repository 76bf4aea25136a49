import { detectResources, envDetector } from '@opentelemetry/resources';
import { z } from 'zod';
import { createKafkaPublisher, type KafkaConnectionOptions } from '../adapters/kafka/create-kafka-publisher.js';
import { COMPRESSION_NAMES, type CompressionName } from '../config/compression.js';
import { ConfigurationError } from '../errors/borderline-error.js';
import { LineageEmitter, type ResourceLike } from './lineage-emitter.js';

/** Options of `createLineageEmitter`: either `brokers` (and optional TLS/SASL) or a ready `kafka` client. */
export interface LineageEmitterOptions extends KafkaConnectionOptions {
  /** Default `lineage.events`. */
  topic?: string;
  /** The OpenTelemetry resource of the service; default: detected from OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES. */
  resource?: ResourceLike;
  /** Default 5 ms. */
  lingerMs?: number;
  /** Default 5,000. */
  maxBatchMessages?: number;
  /** Default 983,040 (under the broker's 1 MiB default): a batch closes before its events pass this many bytes. */
  maxBatchBytes?: number;
  /** Default 100,000: past this many unacknowledged events, emit() waits. */
  maxBufferedMessages?: number;
  /** How batches are compressed on the wire: none (default), gzip, snappy, lz4 or zstd. */
  compression?: CompressionName;
}

const NumericOptions = z.object({
  lingerMs: z.number().int().min(0).max(60_000).default(5),
  maxBatchMessages: z.number().int().min(1).max(100_000).default(5_000),
  maxBatchBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(960 * 1024),
  maxBufferedMessages: z.number().int().min(1).default(100_000),
  topic: z.string().min(1).default('lineage.events'),
  compression: z.enum(COMPRESSION_NAMES).default('none'),
});

/**
 * Creates the emitter a service uses to report data movements to Borderline over Kafka.
 *
 * ```ts
 * const lineage = createLineageEmitter({ brokers: ['kafka:9092'] });
 * await lineage.copy({ inputs: { namespace: 'postgres://users-db', name: 'public.profiles' },
 *                      outputs: { namespace: 's3://backups', name: 'profiles' } });
 * await lineage.close();
 * ```
 */
export function createLineageEmitter(options: LineageEmitterOptions): LineageEmitter {
  const numeric = NumericOptions.safeParse(options);
  if (!numeric.success) {
    const problems = numeric.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`createLineageEmitter: ${problems}`);
  }
  if (!options.kafka && !options.brokers?.length) {
    throw new ConfigurationError('createLineageEmitter: give `brokers` (e.g. ["127.0.0.1:9092"]) or a `kafka` client');
  }
  const { topic, compression, ...batching } = numeric.data;
  return new LineageEmitter(createKafkaPublisher(options, compression), {
    topic,
    resource: options.resource ?? detectResources({ detectors: [envDetector] }),
    batching,
  });
}
