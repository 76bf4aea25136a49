import { describe, expect, it } from 'vitest';
import { fitAlert } from '../../src/ingest/fit-alert.js';
import { Alert, type NodeRef } from '../../src/policy/alert.js';

const node = (i: number): NodeRef => ({
  kind: 'dataset',
  namespace: 'pg://chain',
  name: `${'t'.repeat(900)}-${i}`,
  region: 'us-ashburn-1',
  provider: 'oci',
});
const longAlert = (hops: number): Alert => ({
  schemaVersion: '1',
  alertId: 'a'.repeat(32),
  status: 'open',
  policyId: 'p',
  severity: 'critical',
  reason: 'unapproved-location',
  classifications: ['us-user-data'],
  node: node(hops),
  path: Array.from({ length: hops + 1 }, (_, i) => node(i)),
  eventIds: Array.from({ length: hops }, (_, i) => `e${i}`),
  traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
  occurredAt: '2026-11-22T10:00:00Z',
  detectedAt: '2026-11-22T10:00:01Z',
});
const size = (a: Alert) => Buffer.byteLength(JSON.stringify(a));

describe('fitAlert (issue 16, finding 1: an alert over the topic limit is published with its path cut)', () => {
  it('leaves an alert that fits as it is', () => {
    const alert = longAlert(3);
    expect(fitAlert(alert, 1_000_000)).toBe(alert);
  });

  it('cuts a long path to the origin and the last hops that fit, marked pathTruncated, still a valid Alert', () => {
    const alert = longAlert(190);
    expect(size(alert)).toBeGreaterThan(170_000);
    const fitted = fitAlert(alert, 20_000);
    expect(size(fitted)).toBeLessThanOrEqual(20_000);
    expect(Alert.parse(fitted)).toEqual(fitted);
    expect(fitted.pathTruncated).toBe(true);
    expect(fitted.path[0]).toEqual(alert.path[0]);
    expect(fitted.path.at(-1)).toEqual(alert.node);
    const hops = fitted.path.length - 2;
    expect(hops).toBeGreaterThan(5);
    expect(fitted.path.slice(1)).toEqual(alert.path.slice(-(hops + 1)));
    expect(fitted.eventIds).toEqual(alert.eventIds.slice(-hops));
    const oneHopMore = { ...fitted, path: [alert.path[0]!, ...alert.path.slice(-(hops + 2))], eventIds: alert.eventIds.slice(-(hops + 1)) };
    expect(size(oneHopMore), 'as many hops as fit').toBeGreaterThan(20_000);
  });
});
