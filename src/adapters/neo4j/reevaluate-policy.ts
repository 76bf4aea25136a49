import neo4j, { type Driver, type Transaction } from 'neo4j-driver';
import { findViolations, type FoundViolation } from '../../lineage/find-violations.js';
import type { HeldNode } from '../../lineage/graph-node.js';
import { holdingsChange, type HoldingsChange } from '../../lineage/policy-change.js';
import { earliestPerHolding, type Arrival } from '../../lineage/propagate-arrivals.js';
import { Alert } from '../../policy/alert.js';
import { PolicyFile } from '../../policy/policy-file.js';
import { canonicalJson, policyFingerprint } from '../../policy/policy-fingerprint.js';
import { PolicyIndex } from '../../policy/policy-index.js';
import type { JudgedPolicy, PolicyReevaluation, ReevaluationOutcome, ReevaluationProgress } from '../../ports/policy-reevaluation.js';
import { byTarget } from './lock-order.js';
import {
  JUDGED_POLICY,
  RECORD_JUDGED,
  TRACKED_LABELS,
  DROP_HOLDINGS,
  ASSERTED,
  CATALOGUED,
  HELD_NODES,
  LOCK_NODES,
  HOLDINGS_OF,
  OPEN_ALERT_NODES,
  ADD_LABELS,
  REOPENABLE,
  REOPEN,
  OPEN_ALERTS,
  REMEDIATE_BY_POLICY,
} from './reevaluation-statements.js';
import { APPLY_AND_EXPAND, propagateLabels, type Applied } from './propagate-labels.js';
import { raiseNewAlerts, type Recording } from './record-alerts.js';
import type { QueryRunner } from './query-runner.js';
import { retryRetriable } from '../../errors/retry-retriable.js';
import { BorderlineError } from '../../errors/borderline-error.js';
import { wrap } from './neo4j-graph-store.js';

// Re-evaluation under a new policy (docs/contract.md §13, docs/policy-changes.md), in four passes
// over the graph, each in transactions of a bounded size: drop the holdings of labels no longer
// protected; propagate the newly protected ones from every past assertion (the events' ASSERTS and
// the classification catalog's datasets, from their first appearance); judge every holding, raising
// the alerts that are new and opening again those a policy had remediated; remediate, by policy, the
// open alerts no holding violates any more. The fingerprint is recorded last: a re-evaluation cut
// short leaves the previous one, and the next start runs it again (every pass is idempotent).

/** Rows per write transaction of a pass. */
const BATCH = 1_000;
/**
 * Seeds propagated, and nodes judged, per transaction by the propagating, judging and remediating
 * passes. They meet the consumer's writes on those nodes (and may deadlock with them: Neo4j then fails one side, which is tried
 * again); a small batch holds few locks and costs little to try again.
 */
const LOCKED_BATCH = 200;

type Progress = (progress: ReevaluationProgress) => void;

/**
 * Re-evaluation of the whole Neo4j graph under a policy (the PolicyReevaluation port). A dry run
 * does the very same work in one transaction that is rolled back: its figures are exact, and
 * nothing changes (a very large change may need `db.memory.transaction.max` raised to preview).
 */
export class Neo4jPolicyReevaluation implements PolicyReevaluation {
  /** The one transaction of a dry run, while it runs. */
  private dry: Transaction | undefined;

  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
  ) {}

  async preview(file: PolicyFile): Promise<ReevaluationOutcome> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    const tx = session.beginTransaction();
    this.dry = tx;
    try {
      return await this.run(file, { outbox: 'preview' }, false);
    } finally {
      this.dry = undefined;
      await tx.rollback().catch(() => undefined);
      await session.close();
    }
  }

  async judgedPolicy(): Promise<JudgedPolicy | undefined> {
    const records = await this.read(JUDGED_POLICY, {});
    const row = records[0];
    if (!row) return undefined;
    const stored = row.get('policy') as string | null;
    const parsed = stored === null ? undefined : PolicyFile.safeParse(JSON.parse(stored));
    return {
      fingerprint: row.get('fingerprint') as string,
      file: parsed?.success ? parsed.data : undefined,
      judgedAt: row.get('judgedAt') as string,
    };
  }

  async reevaluate(file: PolicyFile, options: { outbox: string; onProgress?: Progress }): Promise<ReevaluationOutcome> {
    try {
      return await this.run(file, options, true);
    } catch (error) {
      // A driver error (a read cut off, the database gone) says whether running it all again may help.
      throw error instanceof Error && 'code' in error && !(error instanceof BorderlineError) ? wrap('policy re-evaluation', error) : error;
    }
  }

  private async run(file: PolicyFile, options: { outbox: string; onProgress?: Progress }, commit: boolean): Promise<ReevaluationOutcome> {
    const started = Date.now();
    const progress = options.onProgress ?? (() => undefined);
    const policies = new PolicyIndex(file);
    const judged = await this.judgedPolicy();
    const change = holdingsChange(judged?.file ? { file: judged.file } : { trackedLabels: await this.trackedLabels() }, file);
    const holdingsDropped = await this.drop(change, progress);
    const holdingsGained = await this.propagate(change, policies, progress);
    const now = new Date();
    const recording: Recording = { now, outbox: options.outbox, claimant: 'policy-reevaluation', claimUntil: 0 };
    const judging = await this.judge(policies, recording, progress);
    const remediated = await this.remediate(judging.violating, policies, recording, progress);
    const fingerprint = policyFingerprint(file);
    if (commit) await this.write((tx) => tx.run(RECORD_JUDGED, { fingerprint, policy: canonicalJson(file), judgedAt: now.toISOString() }));
    return {
      fingerprint,
      previous: judged?.fingerprint ?? null,
      newlyProtected: change.newlyProtected,
      noLongerProtected: change.noLongerProtected,
      holdingsDropped,
      holdingsGained,
      nodesJudged: judging.judged,
      opened: judging.opened,
      reopened: judging.reopened,
      remediated,
      ms: Date.now() - started,
    };
  }

  private async trackedLabels(): Promise<string[]> {
    const records = await this.read(TRACKED_LABELS, {});
    return records.map((r) => r.get('label') as string);
  }

  private async read(cypher: string, params: Record<string, unknown>) {
    if (this.dry) return (await this.dry.run(cypher, params)).records;
    return (await this.driver.executeQuery(cypher, params, { database: this.database })).records;
  }

  /**
   * One write transaction. A transient failure (a deadlock with the consumer's writes, the database
   * busy or away) is tried again — by the driver for 30 s, then here, backing off — for as long as it
   * is transient: every pass is idempotent. Anything else rejects.
   */
  private async write<T>(work: (tx: QueryRunner) => Promise<T>): Promise<T> {
    if (this.dry) return work(this.dry);
    return retryRetriable(
      async () => {
        const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
        try {
          return await session.executeWrite(work);
        } catch (error) {
          throw error instanceof BorderlineError ? error : wrap('policy re-evaluation', error);
        } finally {
          await session.close();
        }
      },
      { initialMs: 200, maxMs: 5_000 },
    );
  }

  /** Streams a read's rows in batches, each handed to `each` before the next is read (the driver holds the rest back). */
  private async inBatches<R>(
    cypher: string,
    params: Record<string, unknown>,
    each: (rows: R[]) => Promise<void>,
    batch = BATCH,
  ): Promise<void> {
    if (this.dry) {
      // One transaction reads and writes in turn: the read is taken whole before the batches write.
      const rows = (await this.dry.run(cypher, params)).records.map((r) => r.toObject() as R);
      for (let i = 0; i < rows.length; i += batch) await each(rows.slice(i, i + batch));
      return;
    }
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      let rows: R[] = [];
      for await (const record of session.run(cypher, params)) {
        rows.push(record.toObject());
        if (rows.length >= batch) {
          await each(rows);
          rows = [];
        }
      }
      if (rows.length > 0) await each(rows);
    } finally {
      await session.close();
    }
  }

  private async drop({ noLongerProtected }: HoldingsChange, progress: Progress): Promise<number> {
    let dropped = 0;
    for (let n = -1; n !== 0 && noLongerProtected.length > 0;) {
      const { records } = await this.write((tx) => tx.run(DROP_HOLDINGS, { labels: noLongerProtected, batch: neo4j.int(BATCH * 10) }));
      n = Number(records[0]?.get('dropped') ?? 0);
      dropped += n;
      progress({ phase: 'dropping', done: dropped, total: null });
    }
    return dropped;
  }

  /** Propagates the newly protected labels from their assertions, and every protected label the catalog assigns. */
  private async propagate(change: HoldingsChange, policies: PolicyIndex, progress: Progress): Promise<number> {
    const skew = policies.skewMs;
    let done = 0;
    let gained = 0;
    const apply = async (seeds: Arrival[]) => {
      const rows = byTarget(earliestPerHolding(seeds));
      await this.write(async (tx) => {
        const first = (await tx.run(APPLY_AND_EXPAND, { rows, skew })).records.map((r) => r.toObject() as Applied);
        gained += (await propagateLabels(tx, first, skew)).length;
      });
      done += seeds.length;
      progress({ phase: 'propagating', done, total: null });
    };
    const seed = (label?: string) => (rows: Array<{ target: string; label?: string; since: number }>) =>
      apply(rows.map((r) => ({ target: r.target, label: label ?? r.label ?? '', since: Number(r.since), via: null, from: null })));
    if (change.newlyProtected.length > 0) await this.inBatches(ASSERTED, { labels: change.newlyProtected }, seed(), LOCKED_BATCH);
    const protectedLabels = new Set(policies.protectedLabels);
    for (const entry of policies.catalog.entries) {
      const labels = entry.classifications.filter((l) => protectedLabels.has(l));
      if (labels.length === 0) continue;
      const pattern = (value: string | undefined) =>
        value === undefined
          ? { exact: null, prefix: null }
          : value.endsWith('*')
            ? { exact: null, prefix: value.slice(0, -1) }
            : { exact: value, prefix: null };
      const ns = pattern(entry.namespace);
      const name = pattern(entry.name);
      const params = {
        namespace: ns.exact,
        namespacePrefix: ns.prefix,
        name: entry.name === undefined ? null : (name.exact ?? ''),
        namePrefix: name.prefix,
      };
      for (const label of labels) await this.inBatches(CATALOGUED, params, seed(label), LOCKED_BATCH);
    }
    return gained;
  }

  /** Judges every holding of a protected label: raises new alerts, opens again those a policy remediated; returns the violating alert ids. */
  private async judge(policies: PolicyIndex, recording: Recording, progress: Progress) {
    const violating = new Set<string>();
    let judged = 0;
    let opened = 0;
    let reopened = 0;
    await this.inBatches<{ id: string }>(
      HELD_NODES,
      { labels: policies.protectedLabels },
      async (rows) => {
        const counts = await this.write(async (tx) => {
          const groups = await violationsAt(
            tx,
            rows.map((r) => r.id),
            policies,
          );
          for (const id of groups.keys()) violating.add(id);
          const { created, existing } = await raiseNewAlerts(tx, groups, policies, recording, { pipelined: false });
          const known = [...existing.keys()].map((alertId) => ({ alertId, labels: groups.get(alertId)!.labels }));
          if (known.length > 0) await tx.run(ADD_LABELS, { rows: known });
          return { created: created.length, reopened: await reopen(tx, groups, recording) };
        });
        judged += rows.length;
        opened += counts.created;
        reopened += counts.reopened;
        progress({ phase: 'judging', done: judged, total: null });
      },
      LOCKED_BATCH,
    );
    return { violating, judged, opened, reopened };
  }

  /** Remediates, by policy, every open alert no holding violates under the new policy. */
  private async remediate(
    violating: ReadonlySet<string>,
    policies: PolicyIndex,
    { now, outbox }: Recording,
    progress: Progress,
  ): Promise<number> {
    let checked = 0;
    let remediated = 0;
    await this.inBatches<{ alertId: string }>(
      OPEN_ALERTS,
      {},
      async (rows) => {
        const candidates = rows.map((r) => r.alertId).filter((id) => !violating.has(id));
        if (candidates.length > 0) {
          remediated += await this.write(async (tx) => {
            // Judged again under the nodes' locks: a write consuming meanwhile may have raised or
            // renewed one of them since the judging pass read its node.
            const open = (await tx.run(OPEN_ALERT_NODES, { ids: candidates })).records.map(
              (r) => r.toObject() as { alertId: string; nodeId: string },
            );
            const still = await violationsAt(tx, [...new Set(open.map((a) => a.nodeId))], policies);
            const ids = open.map((a) => a.alertId).filter((id) => !still.has(id));
            if (ids.length === 0) return 0;
            const { records } = await tx.run(REMEDIATE_BY_POLICY, { ids, now: now.toISOString(), outbox });
            return Number(records[0]?.get('remediated') ?? 0);
          });
        }
        checked += rows.length;
        progress({ phase: 'remediating', done: checked, total: null });
      },
      LOCKED_BATCH,
    );
    return remediated;
  }
}

/** Locks the nodes (in one order) and judges what they hold now: the violations among them, by alert id. */
async function violationsAt(tx: QueryRunner, nodeIds: readonly string[], policies: PolicyIndex): Promise<Map<string, FoundViolation>> {
  if (nodeIds.length === 0) return new Map();
  const ids = [...nodeIds].sort();
  await tx.run(LOCK_NODES, { ids });
  const { records } = await tx.run(HOLDINGS_OF, { ids, labels: policies.protectedLabels });
  const held = records.map((r) => {
    const row = r.toObject() as HeldNode;
    return { ...row, since: Number(row.since) };
  });
  return findViolations(held, policies);
}

/** Opens again the alerts among `groups` that a policy had remediated: a new open state, detected now. */
async function reopen(tx: QueryRunner, groups: ReadonlyMap<string, FoundViolation>, { now, outbox }: Recording): Promise<number> {
  const { records } = await tx.run(REOPENABLE, { ids: [...groups.keys()] });
  if (records.length === 0) return 0;
  const detectedAt = now.toISOString();
  const rows = records.map((r) => {
    const open = Alert.parse(JSON.parse(r.get('payload') as string));
    return { alertId: open.alertId, detectedAt, payload: JSON.stringify({ ...open, detectedAt }) };
  });
  await tx.run(REOPEN, { rows, outbox });
  return rows.length;
}
