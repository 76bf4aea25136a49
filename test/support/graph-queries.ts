import neo4j from 'neo4j-driver';
import { testNeo4jUri } from './infra-endpoints.js';

export const testDriver = neo4j.driver(testNeo4jUri, neo4j.auth.basic('neo4j', ''), { disableLosslessIntegers: true });

/** Runs one read query; while Neo4j is away (a test stopped it), answers null instead of throwing. */
export async function query<T = Record<string, unknown>>(cypher: string, params: Record<string, unknown> = {}): Promise<T[] | null> {
  try {
    const { records } = await testDriver.executeQuery(cypher, params);
    return records.map((r) => r.toObject() as T);
  } catch {
    return null;
  }
}

/** Counts Event nodes whose id starts with a test's prefix. */
export async function countEvents(prefix: string): Promise<number | null> {
  const rows = await query<{ n: number }>('MATCH (e:Event) WHERE e.eventId STARTS WITH $prefix RETURN count(e) AS n', { prefix });
  return rows ? (rows[0]?.n ?? 0) : null;
}

export { waitFor } from './wait-for.js';
