/** Where the integration tests find Kafka and Neo4j: the contract's variables, else deploy/local's ports. */
export const testKafkaBrokers: string[] = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.BORDERLINE_KAFKA_PORT ?? '9092'}`).split(
  ',',
);

export const testNeo4jUri: string = process.env.NEO4J_URI ?? `bolt://127.0.0.1:${process.env.BORDERLINE_NEO4J_BOLT_PORT ?? '7687'}`;

/** A name no other test run uses, so tests never see each other's topics or groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
