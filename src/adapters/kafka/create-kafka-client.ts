import { Kafka, logLevel, type KafkaConfig, type SASLOptions, type logCreator } from 'kafkajs';
import type { Logger } from '../../observability/create-logger.js';
import { registerCompressionCodecs } from './register-compression-codecs.js';

/** What a Kafka connection needs; secrets stay in this object and never reach a log line. */
export interface KafkaConnectionSettings {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | undefined;
}

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Routes kafkajs's own log lines into the process logger (kafkajs logs no credentials). */
function kafkaLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      child[levelNames[level] ?? 'info'](extra, message);
    };
}

/**
 * Builds the kafkajs client from settings: TLS and SASL (PLAIN, SCRAM-SHA-256/512) by configuration,
 * and every compression codec Kafka defines (gzip, snappy, lz4, zstd) for reading and writing.
 */
export function createKafkaClient(settings: KafkaConnectionSettings, logger: Logger): Kafka {
  registerCompressionCodecs();
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    retry: { initialRetryTime: 300, retries: 8 },
  };
  if (settings.sasl) {
    const { mechanism, username, password } = settings.sasl;
    config.sasl = { mechanism, username, password } as SASLOptions;
  }
  return new Kafka(config);
}

/**
 * True for a retriable kafkajs error. kafkajs can leave one unhandled while a consumer rejoins after
 * a broker restart (`GROUP_LOAD_IN_PROGRESS`, kafkajs issue #1390) even though its own restart of
 * the consumer goes on: such a rejection is not a reason to stop the process.
 */
export function isRetriableKafkaError(reason: unknown): boolean {
  const { name, retriable } = (reason ?? {}) as { name?: unknown; retriable?: unknown };
  return typeof name === 'string' && name.startsWith('KafkaJS') && retriable === true;
}
