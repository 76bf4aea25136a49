import neo4j, { type Driver } from 'neo4j-driver';

/** What a Neo4j connection needs. Encrypted URIs (neo4j+s://, bolt+s://) carry their own TLS setting. */
export interface Neo4jConnectionSettings {
  uri: string;
  user: string;
  password: string;
}

/**
 * Builds the driver with basic auth. A server that runs without authentication (the local default,
 * with the contract's empty NEO4J_PASSWORD) accepts any credentials.
 */
export function createNeo4jDriver(settings: Neo4jConnectionSettings): Driver {
  return neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
    maxConnectionPoolSize: 50,
    connectionAcquisitionTimeout: 30_000,
    connectionTimeout: 10_000,
    disableLosslessIntegers: true,
    // Short: the ingest pipeline retries with its own backoff and keeps the consumer group alive meanwhile.
    maxTransactionRetryTime: 5_000,
  });
}
