import { describe, expect, it } from 'vitest';
import { aggregateReport, reportScope } from '../../src/report/aggregate-report.js';
import type { Alert } from '../../src/policy/alert.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const policies = new PolicyIndex(
  parsePolicyFile(
    `
policies:
  - { id: us-only, classifications: [us-user-data], severity: critical, allowed: [{ countries: [US] }] }
  - { id: eu-only, classifications: [eu-user-data], severity: high, allowed: [{ countries: [DE] }] }
waivers:
  - { policyId: us-only, namespace: "s3://legacy-*", justification: migration, approvedBy: dpo, until: 2026-12-20 }
  - { policyId: us-only, service: admin-console, justification: support, approvedBy: dpo, until: 2027-06-30 }
  - { policyId: eu-only, namespace: "s3://eu-tmp", justification: test, approvedBy: dpo, until: 2026-12-10 }
`,
    'policy.yaml',
    { now: NOW.getTime(), expired: 'ignore' },
  ),
);

const alert = (i: number, over: Partial<Alert> = {}): Alert => ({
  schemaVersion: '1',
  alertId: `a${String(i).padStart(3, '0')}`,
  status: 'open',
  policyId: 'us-only',
  severity: 'critical',
  reason: 'unapproved-location',
  classifications: ['us-user-data'],
  node: { kind: 'dataset', namespace: 's3://bk-sg', name: `copy-${i}`, region: 'ap-southeast-1', provider: 'aws' },
  path: [],
  eventIds: [`e${i}`],
  traceIds: [],
  occurredAt: new Date(Date.parse('2026-11-01T00:00:00Z') + (250 - i) * 60_000).toISOString(),
  detectedAt: '2026-11-22T10:00:00Z',
  ...over,
});

describe('aggregateReport: the summary first, one page of residual copies (issue 15, item 4)', () => {
  const alerts = [
    ...Array.from({ length: 250 }, (_, i) => alert(i)),
    alert(900, { status: 'remediated' }),
    alert(901, { policyId: 'retired-policy' }), // a policy the tracker no longer loads
    alert(902, { policyId: 'eu-only', severity: 'high', classifications: ['eu-user-data'] }),
  ];

  it('counts every alert of the loaded policies, lists every loaded policy, and leaves out the others', () => {
    const report = aggregateReport(alerts, [], reportScope(policies, {}, NOW));
    expect(report.totals).toEqual({ open: 251, remediated: 1 });
    expect(report.byPolicy).toEqual([
      { policyId: 'eu-only', severity: 'high', open: 1, remediated: 0 },
      { policyId: 'us-only', severity: 'critical', open: 250, remediated: 1 },
    ]);
    const none = aggregateReport([], [], reportScope(policies, {}, NOW));
    expect(none.byPolicy.map((p) => [p.policyId, p.open])).toEqual([
      ['eu-only', 0],
      ['us-only', 0],
    ]); // a loaded policy without violations is listed too
  });

  it('pages the residual copies oldest first, with the true total and whether the page is cut', () => {
    const first = aggregateReport(alerts, [], reportScope(policies, { policyId: 'us-only' }, NOW));
    expect(first.residualCopies).toMatchObject({ total: 250, offset: 0, truncated: true });
    expect(first.residualCopies.copies).toHaveLength(100);
    expect(first.residualCopies.copies[0]!.since < first.residualCopies.copies[1]!.since).toBe(true);
    expect(first.residualCopies.copies[0]?.alertIds).toEqual(['a249']); // the oldest copy
    const last = aggregateReport(alerts, [], reportScope(policies, { policyId: 'us-only', offset: 200, limit: 100 }, NOW));
    expect(last.residualCopies).toMatchObject({ total: 250, offset: 200, truncated: false });
    expect(last.residualCopies.copies.map((c) => c.alertIds[0])).toHaveLength(50);
    expect(last.totals).toEqual(first.totals); // the summary is whole on every page
  });

  it('shows the waivers in force of the policies reported on, ending soonest first, and how many end within 30 days', () => {
    const all = aggregateReport(alerts, [], reportScope(policies, {}, NOW)).waivers;
    expect(all.active.map((w) => [w.policyId, w.expiresAt, w.expiresWithin30Days])).toEqual([
      ['eu-only', '2026-12-11T00:00:00.000Z', true],
      ['us-only', '2026-12-21T00:00:00.000Z', true],
      ['us-only', '2027-07-01T00:00:00.000Z', false],
    ]);
    expect(all.expiringWithin30Days).toBe(2);
    const us = aggregateReport(alerts, [], reportScope(policies, { policyId: 'us-only' }, NOW)).waivers;
    expect(us.active.map((w) => w.justification)).toEqual(['migration', 'support']);
    const later = aggregateReport(alerts, [], reportScope(policies, {}, new Date('2026-12-15T00:00:00Z'))).waivers;
    expect(later.active.map((w) => w.justification)).toEqual(['migration', 'support']); // the EU one has ended
  });
});
