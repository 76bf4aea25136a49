import { CLAIM_LEASE_MS } from '../../alerts/outbox-lease.js';
import neo4j, { type Driver, type ManagedTransaction, type Record as Neo4jRecord } from 'neo4j-driver';
import { BorderlineError } from '../../errors/borderline-error.js';
import type { GraphWritePlan } from '../../lineage/plan-graph-write.js';
import type { Alert } from '../../policy/alert.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { GraphStore, OutboxClaimant, PendingAlert, WriteOutcome } from '../../ports/graph-store.js';
import { createNeo4jDriver, type Neo4jConnectionSettings } from './create-neo4j-driver.js';
import { GRAPH_SCHEMA_STATEMENTS } from './graph-schema.js';
import { FIND_EVENT_ID_CONFLICTS, WRITE_PLAN, type PlanWritten } from './graph-write-statements.js';
import { EventIdConflictError } from '../../lineage/event-id-conflict.js';
import { remediatedState, type RemediatedBy } from '../../alerts/alert-states.js';
import { inLockOrder } from './lock-order.js';
import { APPLY_AND_EXPAND, propagateLabels } from './propagate-labels.js';
import { backfillAlertFacts, recordAlerts } from './record-alerts.js';

// The outbox: an alert with a state still to publish has `outbox` set to the alerts topic it goes
// to (indexed: a sweep finds its own without scanning every alert, and never takes another
// topic's). It is claimed before it is published: whoever holds an unexpired claim is the only one
// publishing it, so two batches (or processes) never publish the same state twice. A write claims
// the alerts it recorded in its own transaction (it already holds their locks). Any other claim runs
// under read-committed isolation, so it must lock first and judge after: LOCK_CLAIMABLE takes the
// write locks, then CLAIM (a new statement, reading what is committed under those locks) re-checks.
const CLAIMABLE = `al.outbox = $outbox AND (al.claimUntil IS NULL OR al.claimUntil < $now)`;
const lockClaimable = (node: string, also = '') => `MATCH ${node} WHERE ${also}${CLAIMABLE}
  WITH al ORDER BY al.alertId LIMIT $limit
  SET al.claimLock = coalesce(al.claimLock, 0) + 1
  RETURN al.alertId AS alertId`;
const LOCK_CLAIMABLE = lockClaimable('(al:Alert {outbox: $outbox})');
const LOCK_CLAIMABLE_IDS = lockClaimable('(al:Alert)', 'al.alertId IN $ids AND ');
const CLAIM = `MATCH (al:Alert) WHERE al.alertId IN $ids AND ${CLAIMABLE}
  SET al.claimedBy = $claimant, al.claimUntil = $now + $leaseMs
  RETURN al.alertId AS alertId, al.payload AS payload, al.openPending AS open, al.remediatedPending AS remediated,
    al.remediatedAt AS remediatedAt, coalesce(al.remediatedBy, 'delete') AS remediatedBy, al.classifications AS classifications,
    coalesce(al.waiverHeld, false) AS held
  ORDER BY al.alertId`;
const HOLD = `UNWIND $holds AS h MATCH (al:Alert {alertId: h.alertId}) WHERE al.claimedBy = $claimant
  SET al.claimUntil = h.untilMs, al.waiverHeld = true`;
const MARK_PUBLISHED = `UNWIND $rows AS r MATCH (al:Alert {alertId: r.alertId}) WHERE al.claimedBy = $claimant
  SET al.openPending = al.openPending AND NOT r.open, al.remediatedPending = al.remediatedPending AND NOT r.remediated,
    al.claimedBy = null, al.claimUntil = null
  WITH al, al.openPending OR al.remediatedPending AS pending
  SET al.outbox = CASE WHEN pending THEN al.outbox ELSE null END
  WITH al WHERE pending
  RETURN al.alertId AS alertId`;
const RENEW_CLAIMS = `MATCH (al:Alert) WHERE al.alertId IN $ids AND al.claimedBy = $claimant SET al.claimUntil = $now + $leaseMs`;
// Pending states recorded by a version without `outbox`: the first sweep of an outbox adopts them.
const ADOPT_PENDING = `MATCH (al:Alert) WHERE (al.openPending OR al.remediatedPending) AND al.outbox IS NULL SET al.outbox = $outbox`;

/** A CLAIM row as the states to publish, open before remediated. */
function toPendingAlert(r: Neo4jRecord): PendingAlert {
  const open = JSON.parse(r.get('payload') as string) as Alert;
  const remediated = () =>
    remediatedState(
      open,
      r.get('classifications') as string[],
      r.get('remediatedAt') as string | null,
      r.get('remediatedBy') as RemediatedBy,
    );
  return {
    alertId: open.alertId,
    messages: [...(r.get('open') ? [open] : []), ...(r.get('remediated') ? [remediated()] : [])],
    ...(r.get('held') === true ? { heldByWaiver: true } : {}),
  };
}

/** A graph-store failure; `retriable` when the database is away or the transaction hit a transient conflict. */
export class GraphStoreError extends BorderlineError {}

/**
 * Neo4j status codes by what the tracker does about them (https://neo4j.com/docs/status-codes/):
 * a transaction over the per-transaction memory limit (`db.memory.transaction.max`, common on managed
 * Neo4j) is too large, and retrying it as it is cannot help — the batch is split and the one event
 * still too large dead-lettered; a timeout (the tracker's own transaction timeout, or
 * `db.transaction.timeout`), a full global memory pool, a deadlock or an unreachable server passes.
 */
const TOO_LARGE = /^Neo\.TransientError\.General\.TransactionMemoryLimit$/;
// Neo4j 5 reports the per-transaction limit as a MemoryPoolOutOfMemoryError whose message names the
// setting (seen on 5.26); the same code for the global pool (db.memory.transaction.total.max) passes.
const OVER_TRANSACTION_LIMIT = {
  code: /^Neo\.TransientError\.General\.MemoryPoolOutOfMemoryError$/,
  message: /db\.memory\.transaction\.max\b/,
};
// The driver reports a transaction the server terminated (its timeout, an operator, a shutdown) as
// ClientError.Transaction.Terminated / LockClientStopped, which it does not retry; for the tracker each
// of those passes, and the write is tried again.
const TRANSIENT =
  /^Neo\.(TransientError\.|ClientError\.Transaction\.(TransactionTimedOut|Terminated|LockClientStopped))|ServiceUnavailable|SessionExpired/;

/** A driver error as a GraphStoreError: retriable when the database is away, busy or timed out; not when the work is too large or refused. */
export function wrap(action: string, error: unknown): GraphStoreError {
  const code = String((error as { code?: string }).code ?? '');
  const message = String((error as Error).message);
  if (TOO_LARGE.test(code) || (OVER_TRANSACTION_LIMIT.code.test(code) && OVER_TRANSACTION_LIMIT.message.test(message))) {
    return new GraphStoreError(
      `Neo4j ${action} is too large for the database's memory limit per transaction (${code}): ${(error as Error).message}`,
      {
        cause: error,
        retriable: false,
      },
    );
  }
  const retriable = neo4j.isRetryableError(error) || TRANSIENT.test(code);
  return new GraphStoreError(`Neo4j ${action} failed${code ? ` (${code})` : ''}: ${(error as Error).message}`, { cause: error, retriable });
}

/**
 * The lineage graph in Neo4j: one write transaction per plan, UNWIND per kind of row, then (with a
 * policy) label propagation and alert records in that same transaction.
 */
export class Neo4jGraphStore implements GraphStore {
  /** Outboxes whose pending states from older versions this process has adopted. */
  private readonly adopted = new Set<string>();

  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
    private readonly policies: PolicyIndex | undefined,
    private readonly options: { writeTimeoutMs?: number; claimLeaseMs?: number } = {},
  ) {}

  private get leaseMs(): number {
    return this.options.claimLeaseMs ?? CLAIM_LEASE_MS;
  }

  static fromConfig(settings: Neo4jConnectionSettings & { database?: string | undefined }, policies?: PolicyIndex): Neo4jGraphStore {
    return new Neo4jGraphStore(createNeo4jDriver(settings), settings.database, policies);
  }

  async ensureSchema(): Promise<void> {
    try {
      for (const statement of GRAPH_SCHEMA_STATEMENTS) await this.driver.executeQuery(statement, {}, { database: this.database });
      await this.driver.executeQuery('CALL db.awaitIndexes(300)', {}, { database: this.database });
      await backfillAlertFacts(this.driver, this.database);
      await this.planWriteStatements();
    } catch (error) {
      throw wrap('schema set-up', error);
    }
  }

  /** WRITE_PLAN's parameters: the plan's lists, in lock order, and the policy's. */
  private writePlanParameters(plan: GraphWritePlan): Record<string, unknown> {
    const policies = this.policies;
    return {
      ...inLockOrder(plan),
      evaluate: policies !== undefined,
      protectedLabels: policies?.protectedLabels ?? [],
      skew: policies?.skewMs ?? 0,
    };
  }

  /**
   * Has Neo4j plan the write path's large statements once, with nothing to write, before any batch
   * arrives. Otherwise every partition's first batch plans them at the same moment — seconds each on
   * a server that has just started — and the batches queued meanwhile arrive as large, colliding writes.
   */
  private async planWriteStatements(): Promise<void> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      await session.executeWrite(async (tx) => {
        await tx.run(
          WRITE_PLAN,
          this.writePlanParameters({ datasets: [], actors: [], events: [], flows: [], accesses: [], assertions: [], deletions: [] }),
        );
        if (this.policies) await tx.run(APPLY_AND_EXPAND, { rows: [], skew: this.policies.skewMs });
      });
    } finally {
      await session.close();
    }
  }

  async write(plan: GraphWritePlan, claimant: OutboxClaimant): Promise<WriteOutcome> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(async (tx) => {
        try {
          return await this.writeIn(tx, plan, claimant);
        } catch (error) {
          // Not worth the driver's own retries (it retries every TransientError for 30 s): fail now, so the batch is split.
          if (TOO_LARGE.test(String((error as { code?: string }).code ?? ''))) throw wrap('write', error);
          throw error;
        }
      }, this.writeConfig);
    } catch (error) {
      throw error instanceof BorderlineError ? error : wrap('write', error);
    } finally {
      await session.close();
    }
  }

  /** The tracker's own timeout on a write transaction: a write that waits longer is given up and retried (a timeout is transient). */
  private get writeConfig(): { timeout?: number } {
    return this.options.writeTimeoutMs ? { timeout: this.options.writeTimeoutMs } : {};
  }

  private async writeIn(tx: ManagedTransaction, plan: GraphWritePlan, claimant: OutboxClaimant): Promise<WriteOutcome> {
    const policies = this.policies;
    const conflicts = (await tx.run(FIND_EVENT_ID_CONFLICTS, { events: plan.events })).records.map((r) => r.get('eventId') as string);
    if (conflicts.length > 0) throw new EventIdConflictError(conflicts);
    const { records } = await tx.run(WRITE_PLAN, this.writePlanParameters(plan));
    const { relocated, applied } = records[0]!.toObject() as PlanWritten;
    if (!policies) return { claimed: [] };
    const improved = await propagateLabels(tx, applied, policies.skewMs);
    const now = Date.now();
    const recorded = await recordAlerts(tx, plan, [...relocated, ...improved], policies, {
      now: new Date(now),
      outbox: claimant.outbox,
      claimant: claimant.id,
      claimUntil: now + this.leaseMs,
    });
    if (recorded.updated.length === 0) return { claimed: recorded.created };
    const claimed = await tx.run(CLAIM, {
      ids: [...recorded.updated].sort(),
      claimant: claimant.id,
      outbox: claimant.outbox,
      now,
      leaseMs: this.leaseMs,
    });
    return { claimed: [...recorded.created, ...claimed.records.map(toPendingAlert)] };
  }

  async claimPendingAlerts(claimant: OutboxClaimant, alertIds?: string[], limit = 1_000): Promise<PendingAlert[]> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      if (!alertIds && !this.adopted.has(claimant.outbox)) {
        await session.executeWrite((tx) => tx.run(ADOPT_PENDING, { outbox: claimant.outbox }));
        this.adopted.add(claimant.outbox);
      }
      const now = Date.now();
      const records = await session.executeWrite(async (tx) => {
        const lock = alertIds ? LOCK_CLAIMABLE_IDS : LOCK_CLAIMABLE;
        const locked = (await tx.run(lock, { ids: alertIds ?? null, outbox: claimant.outbox, now, limit: neo4j.int(limit) })).records.map(
          (r) => r.get('alertId') as string,
        );
        return locked.length === 0
          ? []
          : (await tx.run(CLAIM, { ids: locked, claimant: claimant.id, outbox: claimant.outbox, now, leaseMs: this.leaseMs })).records;
      });
      return records.map(toPendingAlert);
    } catch (error) {
      throw wrap('alert outbox claim', error);
    } finally {
      await session.close();
    }
  }

  async renewClaims(claimant: OutboxClaimant, alertIds: readonly string[]): Promise<void> {
    try {
      await this.driver.executeQuery(
        RENEW_CLAIMS,
        { ids: [...alertIds], claimant: claimant.id, now: Date.now(), leaseMs: this.leaseMs },
        { database: this.database },
      );
    } catch (error) {
      throw wrap('alert claim renewal', error);
    }
  }

  async holdAlerts(claimant: OutboxClaimant, holds: ReadonlyArray<{ alertId: string; untilMs: number }>): Promise<void> {
    try {
      await this.driver.executeQuery(HOLD, { holds: [...holds], claimant: claimant.id }, { database: this.database });
    } catch (error) {
      throw wrap('alert waiver hold', error);
    }
  }

  async markAlertsPublished(
    claimant: OutboxClaimant,
    published: ReadonlyArray<{ alertId: string; statuses: ReadonlyArray<Alert['status']> }>,
  ): Promise<string[]> {
    const rows = published.map((p) => ({
      alertId: p.alertId,
      open: p.statuses.includes('open'),
      remediated: p.statuses.includes('remediated'),
    }));
    try {
      const { records } = await this.driver.executeQuery(MARK_PUBLISHED, { rows, claimant: claimant.id }, { database: this.database });
      return records.map((r) => r.get('alertId') as string);
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
