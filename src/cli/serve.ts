import { createKafkaClient } from '../adapters/kafka/create-kafka-client.js';
import { createNeo4jDriver } from '../adapters/neo4j/create-neo4j-driver.js';
import { loadTrackerConfig } from '../config/load-tracker-config.js';
import { createLogger } from '../observability/create-logger.js';

/**
 * The composition root of `borderline serve`: builds every adapter from configuration, wires
 * them, and registers SIGTERM/SIGINT shutdown.
 */
export async function runServe(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadTrackerConfig(env);
  const logger = createLogger(config.BORDERLINE_LOG_LEVEL);
  const kafka = createKafkaClient(
    {
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      ssl: config.KAFKA_SSL,
      sasl:
        config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
          ? { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD }
          : undefined,
    },
    logger,
  );
  const driver = createNeo4jDriver({ uri: config.NEO4J_URI, user: config.NEO4J_USER, password: config.NEO4J_PASSWORD });
  const admin = kafka.admin();

  await admin.connect();
  await driver.verifyConnectivity();
  logger.info({ brokers: config.KAFKA_BROKERS, neo4j: config.NEO4J_URI }, 'connected to Kafka and Neo4j');

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await Promise.allSettled([admin.disconnect(), driver.close()]);
}
