import { nodeFields } from './node-rows.js';

// The statements of the re-evaluation under a new policy (reevaluate-policy.ts, docs/policy-changes.md).
// Labels and relationship types are constants; every value is a parameter.

const STATE = `(p:PolicyState {id: 'graph'})`;
export const JUDGED_POLICY = `MATCH ${STATE} RETURN p.fingerprint AS fingerprint, p.policy AS policy, p.judgedAt AS judgedAt`;
export const RECORD_JUDGED = `MERGE ${STATE} SET p.fingerprint = $fingerprint, p.policy = $policy, p.judgedAt = $judgedAt`;
export const TRACKED_LABELS = `MATCH (h:Holding) RETURN DISTINCT h.classification AS label`;
export const DROP_HOLDINGS = `MATCH (h:Holding) WHERE h.classification IN $labels
  WITH h LIMIT $batch
  DETACH DELETE h
  RETURN count(*) AS dropped`;
export const ASSERTED = `MATCH (:Event)-[r:ASSERTS]->(d:Dataset) WHERE r.classification IN $labels
  RETURN elementId(d) AS target, r.classification AS label, r.timeMs AS since`;
// A catalog entry's datasets (exact, or a prefix ending in *), each from the first event that names it.
export const CATALOGUED = `MATCH (d:Dataset)
  WHERE (d.namespace = $namespace OR ($namespacePrefix IS NOT NULL AND d.namespace STARTS WITH $namespacePrefix))
    AND ($name IS NULL OR d.name = $name OR ($namePrefix IS NOT NULL AND d.name STARTS WITH $namePrefix))
  CALL (d) {
    MATCH (d)-[r:FLOWS_TO|ACCESSED_BY]-() RETURN r.timeMs AS t
    UNION ALL
    MATCH (d)<-[r:ASSERTS|DELETES]-() RETURN r.timeMs AS t
  }
  WITH d, min(t) AS first WHERE first IS NOT NULL
  RETURN elementId(d) AS target, first AS since`;
export const HELD_NODES = `MATCH (x)-[:HOLDS]->(h:Holding) WHERE h.classification IN $labels RETURN DISTINCT elementId(x) AS id`;
// A node's holdings are read under its lock, as every reader of evaluation state does
// (propagate-labels.ts): a write consuming meanwhile either sees this pass's alerts or is seen by it.
export const LOCK_NODES = `UNWIND $ids AS id MATCH (x) WHERE elementId(x) = id SET x.evalTouch = coalesce(x.evalTouch, 0) + 1`;
export const HOLDINGS_OF = `UNWIND $ids AS id MATCH (x)-[:HOLDS]->(h:Holding) WHERE elementId(x) = id AND h.classification IN $labels
  RETURN elementId(x) AS id, h.classification AS label, h.sinceMs AS since, ${nodeFields('x')}`;
export const OPEN_ALERT_NODES = `UNWIND $ids AS id MATCH (al:Alert {alertId: id}) WHERE al.status = 'open' RETURN al.alertId AS alertId, al.nodeId AS nodeId`;
export const ADD_LABELS = `UNWIND $rows AS r MATCH (al:Alert {alertId: r.alertId})
  SET al.classifications = al.classifications + [l IN r.labels WHERE NOT l IN al.classifications]`;
export const REOPENABLE = `MATCH (al:Alert) WHERE al.alertId IN $ids AND al.status = 'remediated' AND al.remediatedBy = 'policy'
  RETURN al.alertId AS alertId, al.payload AS payload`;
export const REOPEN = `UNWIND $rows AS r MATCH (al:Alert {alertId: r.alertId}) WHERE al.status = 'remediated'
  SET al.status = 'open', al.payload = r.payload, al.detectedAt = r.detectedAt, al.remediatedAt = null, al.remediatedBy = null,
    al.openPending = true, al.remediatedPending = false, al.outbox = $outbox, al.claimedBy = null, al.claimUntil = null`;
export const OPEN_ALERTS = `MATCH (al:Alert) WHERE al.status = 'open' RETURN al.alertId AS alertId`;
export const REMEDIATE_BY_POLICY = `UNWIND $ids AS id MATCH (al:Alert {alertId: id}) WHERE al.status = 'open'
  SET al.status = 'remediated', al.remediatedPending = true, al.remediatedAt = $now, al.remediatedBy = 'policy', al.outbox = $outbox
  RETURN count(al) AS remediated`;
