import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { alertsCsv, holdingsCsv } from '../../src/web/export.js';

describe('CSV exports of the page (issue 15, item 3)', () => {
  it('writes one row per alert, quoting what needs it, with triage and waiver columns', () => {
    const csv = alertsCsv([
      {
        schemaVersion: '1',
        alertId: 'a1',
        status: 'open',
        policyId: 'us-only',
        severity: 'critical',
        reason: 'unapproved-location',
        classifications: ['us-user-data', 'pii'],
        node: { kind: 'dataset', namespace: 's3://bk, "sg"', name: 'nightly/a', region: 'ap-southeast-1', provider: 'aws' },
        path: [
          { kind: 'dataset', namespace: 'pg://src', name: 'users' },
          { kind: 'dataset', namespace: 's3://bk, "sg"', name: 'nightly/a' },
        ],
        eventIds: ['e1'],
        traceIds: [],
        occurredAt: '2026-11-22T10:00:00Z',
        detectedAt: '2026-11-22T10:00:01Z',
        triage: { state: 'acknowledged', assignee: 'storage', history: [] },
      },
    ]);
    const rows = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect(rows).toEqual([
      expect.objectContaining({
        alertId: 'a1',
        namespace: 's3://bk, "sg"',
        classifications: 'us-user-data;pii',
        hops: '1',
        triage: 'acknowledged',
        assignee: 'storage',
        waivedUntil: '',
      }),
    ]);
  });

  it('writes one row per holding of a label', () => {
    const csv = holdingsCsv({
      classification: 'us-user-data',
      holdings: [
        {
          node: { kind: 'actor', service: 'admin-console', region: 'eu-west-2', provider: 'aws' },
          approved: false,
          policyIds: ['us-only'],
          reason: 'unapproved-location',
          country: 'GB',
          since: '2026-11-22T10:00:00Z',
        },
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'classification,kind,namespace,name,service,provider,region,country,approved,reason,policyIds,since',
      'us-user-data,actor,,,admin-console,aws,eu-west-2,GB,false,unapproved-location,us-only,2026-11-22T10:00:00Z',
    ]);
  });
});
