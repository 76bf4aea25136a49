import Papa from 'papaparse';
import type { ApiAlert, ResidencyAnswer } from '../api/api-schemas.js';

type NodeRef = ApiAlert['node'];

const nodeColumns = (n: NodeRef) => ({
  kind: n.kind,
  namespace: n.kind === 'dataset' ? n.namespace : '',
  name: n.kind === 'dataset' ? n.name : '',
  service: n.kind === 'actor' ? n.service : '',
  provider: n.provider ?? '',
  region: n.region ?? '',
});

/** Alerts as CSV (one row per alert, its current state), for spreadsheets and tickets. */
export function alertsCsv(alerts: readonly ApiAlert[]): string {
  return Papa.unparse(
    alerts.map((a) => ({
      alertId: a.alertId,
      status: a.status,
      policyId: a.policyId,
      severity: a.severity,
      reason: a.reason,
      classifications: a.classifications.join(';'),
      ...nodeColumns(a.node),
      hops: a.path.length - 1,
      occurredAt: a.occurredAt,
      detectedAt: a.detectedAt,
      triage: a.triage?.state ?? 'open',
      assignee: a.triage?.assignee ?? '',
      waivedUntil: a.waived ? (a.waiver?.until ?? '') : '',
    })),
  );
}

/** Where a label lives, as CSV: one row per holding. */
export function holdingsCsv(answer: Pick<ResidencyAnswer, 'classification' | 'holdings'>): string {
  return Papa.unparse(
    answer.holdings.map((h) => ({
      classification: answer.classification,
      ...nodeColumns(h.node),
      country: h.country ?? '',
      approved: h.approved,
      reason: h.reason ?? '',
      policyIds: h.policyIds.join(';'),
      since: h.since,
    })),
  );
}
