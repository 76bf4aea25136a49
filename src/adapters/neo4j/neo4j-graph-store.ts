import neo4j, { type Driver } from 'neo4j-driver';
import { BorderlineError } from '../../errors/borderline-error.js';
import type { GraphWritePlan } from '../../ingest/plan-graph-write.js';
import type { Alert } from '../../policy/alert.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { GraphStore, PendingAlert, WriteOutcome } from '../../ports/graph-store.js';
import { createNeo4jDriver, type Neo4jConnectionSettings } from './create-neo4j-driver.js';
import { GRAPH_SCHEMA_STATEMENTS } from './graph-schema.js';
import { GRAPH_WRITE_STATEMENTS } from './graph-write-statements.js';
import { currentAlert } from './node-rows.js';
import { propagateLabels } from './propagate-labels.js';
import { recordAlerts } from './record-alerts.js';

// The outbox is claimed before it is published: whoever holds an unexpired claim on an alert is the
// only one publishing it, so two batches (or processes) never publish the same state twice. Under
// read-committed isolation a claim must lock first and judge after: LOCK_CLAIMABLE takes the write
// locks, then CLAIM (a new statement, reading what is committed under those locks) re-checks.
const LOCK_CLAIMABLE = `MATCH (al:Alert) WHERE (al.openPending OR al.remediatedPending) AND ($ids IS NULL OR al.alertId IN $ids)
    AND (al.claimUntil IS NULL OR al.claimUntil < $now)
  WITH al ORDER BY al.alertId LIMIT $limit
  SET al.claimLock = coalesce(al.claimLock, 0) + 1
  RETURN al.alertId AS alertId`;
const CLAIM = `MATCH (al:Alert) WHERE al.alertId IN $ids AND (al.openPending OR al.remediatedPending)
    AND (al.claimUntil IS NULL OR al.claimUntil < $now)
  SET al.claimedBy = $claimant, al.claimUntil = $now + $leaseMs
  RETURN al.alertId AS alertId, al.payload AS payload, al.openPending AS open, al.remediatedPending AS remediated,
    al.remediatedAt AS remediatedAt, al.classifications AS classifications ORDER BY al.alertId`;
const MARK_PUBLISHED = `UNWIND $rows AS r MATCH (al:Alert {alertId: r.alertId}) WHERE al.claimedBy = $claimant
  SET al.openPending = al.openPending AND NOT r.open, al.remediatedPending = al.remediatedPending AND NOT r.remediated,
    al.claimedBy = null, al.claimUntil = null`;
const CLAIM_LEASE_MS = 30_000;

/** A graph-store failure; `retriable` when the database is away or the transaction hit a transient conflict. */
export class GraphStoreError extends BorderlineError {}

/** A driver error as a GraphStoreError, retriable when the database is away or the conflict transient. */
export function wrap(action: string, error: unknown): GraphStoreError {
  const retriable = neo4j.isRetryableError(error) || /ServiceUnavailable|SessionExpired|TransientError/.test(String((error as { code?: string }).code));
  return new GraphStoreError(`Neo4j ${action} failed: ${(error as Error).message}`, { cause: error, retriable });
}

/**
 * The lineage graph in Neo4j: one write transaction per plan, UNWIND per kind of row, then (with a
 * policy) label propagation and alert records in that same transaction.
 */
export class Neo4jGraphStore implements GraphStore {
  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
    private readonly policies: PolicyIndex | undefined,
  ) {}

  static fromConfig(settings: Neo4jConnectionSettings & { database?: string | undefined }, policies?: PolicyIndex): Neo4jGraphStore {
    return new Neo4jGraphStore(createNeo4jDriver(settings), settings.database, policies);
  }

  async ensureSchema(): Promise<void> {
    try {
      for (const statement of GRAPH_SCHEMA_STATEMENTS) await this.driver.executeQuery(statement, {}, { database: this.database });
      await this.driver.executeQuery('CALL db.awaitIndexes(300)', {}, { database: this.database });
    } catch (error) {
      throw wrap('schema set-up', error);
    }
  }

  async write(plan: GraphWritePlan): Promise<WriteOutcome> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(async (tx) => {
        // The statements are sent back to back (Bolt pipelining: one round trip, not one each);
        // the server still runs them in order, inside this one transaction.
        const pending = GRAPH_WRITE_STATEMENTS.filter(({ rows }) => plan[rows].length > 0).map(({ rows, cypher }) => ({ rows, result: tx.run(cypher, { rows: plan[rows] }) }));
        const relocated: string[] = [];
        for (const { rows, result } of pending) {
          const { records } = await result;
          if (rows === 'datasets') relocated.push(...records.map((r) => r.get('relocated') as string));
        }
        if (!this.policies) return { alertIds: [] };
        const improved = await propagateLabels(tx, plan, this.policies.protectedLabels, this.policies.skewMs);
        return { alertIds: await recordAlerts(tx, plan, improved, relocated, this.policies, new Date()) };
      });
    } catch (error) {
      throw wrap('write', error);
    } finally {
      await session.close();
    }
  }

  async claimPendingAlerts(claimant: string, alertIds?: string[], limit = 1_000): Promise<PendingAlert[]> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      const now = Date.now();
      const records = await session.executeWrite(async (tx) => {
        const locked = (await tx.run(LOCK_CLAIMABLE, { ids: alertIds ?? null, now, limit: neo4j.int(limit) })).records.map((r) => r.get('alertId') as string);
        return locked.length === 0 ? [] : (await tx.run(CLAIM, { ids: locked, claimant, now, leaseMs: CLAIM_LEASE_MS })).records;
      });
      return records.map((r) => {
        const open = JSON.parse(r.get('payload') as string) as Alert;
        const remediated = currentAlert({ payload: r.get('payload') as string, status: 'remediated', classifications: r.get('classifications') as string[], remediatedAt: r.get('remediatedAt') as string | null });
        return { alertId: open.alertId, messages: [...(r.get('open') ? [open] : []), ...(r.get('remediated') ? [remediated] : [])] };
      });
    } catch (error) {
      throw wrap('alert outbox claim', error);
    } finally {
      await session.close();
    }
  }

  async markAlertsPublished(claimant: string, published: ReadonlyArray<{ alertId: string; statuses: ReadonlyArray<Alert['status']> }>): Promise<void> {
    const rows = published.map((p) => ({ alertId: p.alertId, open: p.statuses.includes('open'), remediated: p.statuses.includes('remediated') }));
    try {
      await this.driver.executeQuery(MARK_PUBLISHED, { rows, claimant }, { database: this.database });
    } catch (error) {
      throw wrap('alert outbox update', error);
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
