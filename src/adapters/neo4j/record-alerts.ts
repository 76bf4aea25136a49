import type { Driver } from 'neo4j-driver';
import { alertFacts } from '../../alerts/alert-filter.js';
import { openAlert, remediatedState } from '../../alerts/alert-states.js';
import { findViolations, type FoundViolation } from '../../lineage/find-violations.js';
import { toNodeRef, type HeldNode } from '../../lineage/graph-node.js';
import type { GraphWritePlan } from '../../lineage/plan-graph-write.js';
import { traceWitness, type WitnessStep } from '../../lineage/trace-witness.js';
import { Alert } from '../../policy/alert.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { PendingAlert } from '../../ports/graph-store.js';
import { compareDatasets } from './lock-order.js';
import { nodeFields, type NodeRow } from './node-rows.js';
import type { QueryRunner } from './query-runner.js';

// The alert rules (docs/contract.md §5) come from src/lineage/ (violations, ids, witness paths, states);
// what is Cypher here is reading and recording them. The delete rule (`remediates`,
// src/lineage/alert-states.ts: a delete at or after the arrival remediates) is restated in
// DELETED_SINCE, REMEDIATE_IF_DELETED and REMEDIATE.

const WITNESS_STEP = `MATCH (x)-[:HOLDS]->(h {classification: $label}) WHERE elementId(x) = $id
  OPTIONAL MATCH (e:Event {eventId: h.viaEventId})
  RETURN ${nodeFields('x')}, h.viaEventId AS via, h.fromId AS from, h.sinceMs AS since, e.traceId AS traceId, e.eventTime AS eventTime`;

const EXISTING_ALERTS = `MATCH (al:Alert) WHERE al.alertId IN $ids
  RETURN al.alertId AS alertId, al.classifications AS classifications, al.sinceMs AS since, al.status AS status,
    al.remediatedBy AS remediatedBy`;

const DELETED_SINCE = `MATCH (:Event)-[r:DELETES]->(d:Dataset) WHERE elementId(d) = $id AND r.timeMs >= $since
  RETURN min(r.timeMs) AS at`;

const CREATE_ALERT = `CREATE (al:Alert {alertId: $alertId, policyId: $policyId, severity: $severity, reason: $reason,
    nodeId: $nodeId, classifications: $classifications, sinceMs: $since, status: $status, payload: $payload,
    detectedAt: $detectedAt, remediatedAt: $remediatedAt, remediatedBy: CASE WHEN $remediated THEN 'delete' ELSE null END, openPending: true, remediatedPending: $remediated, outbox: $outbox,
    claimedBy: $claimant, claimUntil: $claimUntil,
    filterKind: $facts.kind, filterNamespace: $facts.namespace, filterService: $facts.service, filterRegion: $facts.region,
    filterText: $facts.text})`;

// Alerts recorded before the lists could be filtered get their facts (src/lineage/alert-filter.ts) at start-up.
const UNFILTERED_ALERTS = `MATCH (al:Alert) WHERE al.filterText IS NULL RETURN al.alertId AS alertId, al.payload AS payload LIMIT 2000`;
const SET_ALERT_FACTS = `UNWIND $rows AS r MATCH (al:Alert {alertId: r.alertId})
  SET al.filterKind = r.facts.kind, al.filterNamespace = r.facts.namespace, al.filterService = r.facts.service,
      al.filterRegion = r.facts.region, al.filterText = r.facts.text`;

/** Stores the filter facts of every alert that has none yet (alerts written by an earlier version), 2,000 at a time. */
export async function backfillAlertFacts(driver: Driver, database: string | undefined): Promise<number> {
  let done = 0;
  for (;;) {
    const { records } = await driver.executeQuery(UNFILTERED_ALERTS, {}, { database });
    if (records.length === 0) return done;
    const rows = records.map((r) => ({
      alertId: r.get('alertId') as string,
      facts: alertFacts(Alert.parse(JSON.parse(r.get('payload') as string))),
    }));
    await driver.executeQuery(SET_ALERT_FACTS, { rows }, { database });
    done += rows.length;
  }
}

const ADD_LABEL = `MATCH (al:Alert {alertId: $alertId})
  SET al.classifications = CASE WHEN $label IN al.classifications THEN al.classifications ELSE al.classifications + $label END,
      al.sinceMs = CASE WHEN $since < al.sinceMs THEN $since ELSE al.sinceMs END`;

const REMEDIATE_IF_DELETED = `MATCH (:Event)-[r:DELETES]->(d:Dataset) WHERE elementId(d) = $id AND r.timeMs >= $since
  WITH count(r) AS deletes WHERE deletes > 0
  MATCH (al:Alert {alertId: $alertId}) WHERE al.status = 'open'
  SET al.status = 'remediated', al.remediatedPending = true, al.remediatedAt = $now, al.remediatedBy = 'delete', al.outbox = $outbox
  RETURN al.alertId AS alertId`;

// A delete locks its dataset before judging the dataset's alerts, as every reader of evaluation
// state does: a concurrent batch raising an alert there then either sees this delete or is seen by it.
const LOCK_DELETED = `UNWIND $rows AS r
  MATCH (d:Dataset {namespace: r.namespace, name: r.name}) USING INDEX d:Dataset(namespace, name)
  SET d.evalTouch = coalesce(d.evalTouch, 0) + 1`;

const REMEDIATE = `UNWIND $rows AS r
  MATCH (d:Dataset {namespace: r.namespace, name: r.name}) USING INDEX d:Dataset(namespace, name)
  MATCH (al:Alert {nodeId: elementId(d)}) USING INDEX al:Alert(nodeId) WHERE al.status = 'open' AND al.sinceMs <= r.timeMs
  SET al.status = 'remediated', al.remediatedPending = true, al.remediatedAt = $now, al.remediatedBy = 'delete', al.outbox = $outbox
  RETURN al.alertId AS alertId`;

export type StepRow = NodeRow & {
  since: number;
  via: string | null;
  from: string | null;
  traceId: string | null;
  eventTime: string | null;
};

/**
 * The witness steps this transaction already knows: holdings it wrote itself (it holds their nodes'
 * locks, so they are what will be committed; the last write of a holding wins) whose event, if any,
 * is one of this plan's. Any other step is read from the graph.
 */
function knownSteps(held: readonly HeldNode[], plan: GraphWritePlan): Map<string, StepRow> {
  const events = new Map(plan.events.map((e) => [e.eventId, e]));
  const steps = new Map<string, StepRow>();
  for (const h of held) {
    if (h.via === undefined || h.from === undefined) continue;
    const key = `${h.id}\u0000${h.label}`;
    const event = h.via === null ? undefined : events.get(h.via);
    if (h.via !== null && !event) steps.delete(key);
    else steps.set(key, { ...h, via: h.via, from: h.from, traceId: event?.traceId ?? null, eventTime: event?.eventTime ?? null });
  }
  return steps;
}

/** One witness step: known to this transaction, else read from the graph; located as the policy sees it. */
function witnessStep(tx: QueryRunner, label: string, policies: PolicyIndex, known: Map<string, StepRow>) {
  return async (id: string): Promise<WitnessStep | undefined> => {
    const row =
      known.get(`${id}\u0000${label}`) ?? ((await tx.run(WITNESS_STEP, { id, label })).records[0]?.toObject() as StepRow | undefined);
    return (
      row && {
        node: toNodeRef(row, policies),
        since: row.since,
        via: row.via,
        from: row.from,
        traceId: row.traceId,
        eventTime: row.eventTime,
      }
    );
  };
}

/**
 * When alerts are recorded, the outbox (alerts topic) their new states are published to, and the
 * claim a new alert is created under (its writer publishes it right after the commit).
 */
export interface Recording {
  now: Date;
  outbox: string;
  claimant: string;
  claimUntil: number;
}

/** What recording changed: new alerts, claimed at creation, and known alerts given a state to publish (not claimed yet). */
export interface Recorded {
  created: PendingAlert[];
  updated: string[];
}

/** Adds labels to a known alert; an earlier arrival may predate a delete already seen (then remediated). Returns whether a state is due. */
async function updateAlert(
  tx: QueryRunner,
  alertId: string,
  known: { since?: number; status?: string },
  found: FoundViolation,
  { now, outbox }: Recording,
): Promise<boolean> {
  for (const label of found.labels) await tx.run(ADD_LABEL, { alertId, label, since: found.node.since });
  if (found.node.isActor || known.status !== 'open' || known.since === undefined || found.node.since >= known.since) return false;
  const remediated = await tx.run(REMEDIATE_IF_DELETED, {
    alertId,
    id: found.node.id,
    since: found.node.since,
    now: now.toISOString(),
    outbox,
  });
  return remediated.records.length > 0;
}

/**
 * Records a new alert with its witness path, claimed for its writer; `open`, or `open` then
 * `remediated` when a later delete (`deletedAt`) already removed the data. Returns its states to publish.
 */
async function raiseAlert(
  tx: QueryRunner,
  alertId: string,
  found: FoundViolation,
  deletedAt: number | null,
  recording: Recording,
  policies: PolicyIndex,
  known: Map<string, StepRow>,
): Promise<PendingAlert> {
  const { node } = found;
  const detectedAt = recording.now.toISOString();
  const alert = openAlert(found, policies, await traceWitness(node.id, witnessStep(tx, node.label, policies, known)), detectedAt);
  const remediatedAt = deletedAt === null ? null : detectedAt;
  await tx.run(CREATE_ALERT, {
    alertId,
    policyId: alert.policyId,
    severity: alert.severity,
    reason: alert.reason,
    nodeId: node.id,
    classifications: alert.classifications,
    since: node.since,
    status: deletedAt === null ? 'open' : 'remediated',
    payload: JSON.stringify(alert),
    facts: alertFacts(alert),
    detectedAt,
    remediatedAt,
    remediated: deletedAt !== null,
    outbox: recording.outbox,
    claimant: recording.claimant,
    claimUntil: recording.claimUntil,
  });
  return {
    alertId,
    messages: deletedAt === null ? [alert] : [alert, remediatedState(alert, alert.classifications, remediatedAt, 'delete')],
  };
}

/** An alert the graph already records, as a new violation of it finds it. */
export interface KnownAlert {
  since?: number;
  status?: string;
  remediatedBy?: string | null;
}

/**
 * Records the alerts among `groups` that the graph does not know yet — open, or open then remediated
 * where a later delete already removed the data — and returns them with the alerts it already knew.
 * Which exist, and whether a later delete removed each node's data, is asked in one round trip
 * (pipelined: the delete check is needed only for new alerts, and cheap for the few of a write).
 * `pipelined: false` asks which exist first and checks deletes for the new ones alone: what a
 * re-evaluation wants, whose groups are mostly known alerts.
 */
export async function raiseNewAlerts(
  tx: QueryRunner,
  groups: ReadonlyMap<string, FoundViolation>,
  policies: PolicyIndex,
  recording: Recording,
  { steps = new Map<string, StepRow>(), pipelined = true }: { steps?: Map<string, StepRow>; pipelined?: boolean } = {},
): Promise<{ created: PendingAlert[]; existing: Map<string, KnownAlert> }> {
  if (groups.size === 0) return { created: [], existing: new Map() };
  const existingRead = tx.run(EXISTING_ALERTS, { ids: [...groups.keys()] });
  const deletedSince = (node: FoundViolation['node']) =>
    node.isActor
      ? Promise.resolve(null)
      : tx.run(DELETED_SINCE, { id: node.id, since: node.since }).then((r) => (r.records[0]?.get('at') as number | null) ?? null);
  const deletedReads = new Map(pipelined ? [...groups].map(([alertId, { node }]) => [alertId, deletedSince(node)]) : []);
  for (const read of deletedReads.values()) read.catch(() => undefined); // a failure fails the transaction: awaited below
  const existing = new Map((await existingRead).records.map((r) => [r.get('alertId') as string, r.toObject() as KnownAlert]));
  const fresh = [...groups].filter(([alertId]) => !existing.has(alertId));
  if (!pipelined) for (const [alertId, { node }] of fresh) deletedReads.set(alertId, deletedSince(node));
  const created = await Promise.all(
    fresh.map(async ([alertId, found]) => raiseAlert(tx, alertId, found, await deletedReads.get(alertId)!, recording, policies, steps)),
  );
  await Promise.all(deletedReads.values());
  return { created, existing };
}

/**
 * Raises the alerts that this plan's changes cause (docs/contract.md §5) — from new or earlier holdings, and
 * from holdings of datasets whose location changed, each given located — and remediates those its
 * deletes end. Alerts are recorded in the graph with "to publish" flags (an outbox), in the same
 * transaction as the events that caused them.
 */
export async function recordAlerts(
  tx: QueryRunner,
  plan: GraphWritePlan,
  held: readonly HeldNode[],
  policies: PolicyIndex,
  recording: Recording,
): Promise<Recorded> {
  const created = new Map<string, PendingAlert>();
  const updated = new Set<string>();
  const groups = findViolations(held, policies);
  const raised = await raiseNewAlerts(tx, groups, policies, recording, { steps: knownSteps(held, plan) });
  for (const pending of raised.created) created.set(pending.alertId, pending);
  for (const [alertId, found] of groups) {
    const known = raised.existing.get(alertId);
    if (known && (await updateAlert(tx, alertId, known, found, recording))) updated.add(alertId);
  }
  for (const alertId of await remediateDeleted(tx, plan, recording)) {
    const pending = created.get(alertId);
    // Created open in this transaction and remediated by a delete in it: both states are due.
    if (pending?.messages.length === 1)
      pending.messages.push(
        remediatedState(pending.messages[0]!, pending.messages[0]!.classifications, recording.now.toISOString(), 'delete'),
      );
    else if (!pending) updated.add(alertId);
  }
  return { created: [...created.values()], updated: [...updated] };
}

/** Locks each deleted dataset, then remediates its open alerts whose data was there by the delete; returns their ids. */
async function remediateDeleted(tx: QueryRunner, plan: GraphWritePlan, { now, outbox }: Recording): Promise<string[]> {
  if (plan.deletions.length === 0) return [];
  const rows = [...plan.deletions].sort(compareDatasets);
  // Pipelined: the server runs the lock first, then the remediation, in this transaction.
  const locked = tx.run(LOCK_DELETED, { rows });
  const remediating = tx.run(REMEDIATE, { rows, now: now.toISOString(), outbox });
  await locked;
  return (await remediating).records.map((record) => record.get('alertId') as string);
}
