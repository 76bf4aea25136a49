import neo4j, { type Driver } from 'neo4j-driver';
import { BorderlineError } from '../../errors/borderline-error.js';
import type { GraphWritePlan } from '../../ingest/plan-graph-write.js';
import type { GraphStore } from '../../ports/graph-store.js';
import { createNeo4jDriver, type Neo4jConnectionSettings } from './create-neo4j-driver.js';
import { GRAPH_SCHEMA_STATEMENTS } from './graph-schema.js';
import { GRAPH_WRITE_STATEMENTS } from './graph-write-statements.js';

/** A graph-store failure; `retriable` when the database is away or the transaction hit a transient conflict. */
export class GraphStoreError extends BorderlineError {}

function wrap(action: string, error: unknown): GraphStoreError {
  const retriable = neo4j.isRetryableError(error) || /ServiceUnavailable|SessionExpired|TransientError/.test(String((error as { code?: string }).code));
  return new GraphStoreError(`Neo4j ${action} failed: ${(error as Error).message}`, { cause: error, retriable });
}

/** The lineage graph in Neo4j: one write transaction per plan, UNWIND per kind of row. */
export class Neo4jGraphStore implements GraphStore {
  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
  ) {}

  static fromConfig(settings: Neo4jConnectionSettings & { database?: string | undefined }): Neo4jGraphStore {
    return new Neo4jGraphStore(createNeo4jDriver(settings), settings.database);
  }

  async ensureSchema(): Promise<void> {
    try {
      for (const statement of GRAPH_SCHEMA_STATEMENTS) await this.driver.executeQuery(statement, {}, { database: this.database });
      await this.driver.executeQuery('CALL db.awaitIndexes(300)', {}, { database: this.database });
    } catch (error) {
      throw wrap('schema set-up', error);
    }
  }

  async write(plan: GraphWritePlan): Promise<void> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      await session.executeWrite(async (tx) => {
        for (const { rows, cypher } of GRAPH_WRITE_STATEMENTS) {
          if (plan[rows].length > 0) await tx.run(cypher, { rows: plan[rows] });
        }
      });
    } catch (error) {
      throw wrap('write', error);
    } finally {
      await session.close();
    }
  }

  async ping(): Promise<void> {
    try {
      await this.driver.verifyConnectivity({ database: this.database });
    } catch (error) {
      throw wrap('connectivity check', error);
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
