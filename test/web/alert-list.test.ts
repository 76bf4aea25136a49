import { describe, expect, it } from 'vitest';
import type { ApiAlert } from '../../src/api/api-schemas.js';
import {
  applyLiveStates,
  EMPTY_LIST,
  filterParams,
  listOfAnswer,
  PAGE_SIZE,
  rangeText,
  type AlertList,
  type LiveContext,
} from '../../src/web/alert-list.js';

const at = (minute: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + minute * 60_000).toISOString();

function alert(id: string, status: ApiAlert['status'], minute: number, extra: Partial<ApiAlert> = {}): ApiAlert {
  return {
    schemaVersion: '1',
    alertId: id,
    status,
    policyId: id.startsWith('eu') ? 'eu-residency' : 'us-residency',
    severity: 'critical',
    reason: 'unapproved-location',
    classifications: ['us-user-data'],
    node: { kind: 'dataset', namespace: 's3://backups', name: id, region: 'ap-southeast-1', provider: 'aws' },
    path: [{ kind: 'dataset', namespace: 'pg://users', name: 'profiles' }],
    eventIds: [],
    traceIds: [],
    occurredAt: at(minute),
    detectedAt: at(minute),
    ...extra,
  };
}

const listOf = (alerts: ApiAlert[], total = alerts.length, offset = 0): AlertList => ({
  listed: alerts,
  total,
  offset,
  counts: { open: alerts.filter((a) => a.status === 'open').length, remediated: alerts.filter((a) => a.status === 'remediated').length },
});

function context(over: Partial<LiveContext> = {}): LiveContext {
  return { filter: {}, known: () => undefined, applied: () => false, ...over };
}

describe('the alert list of the page (live merge, pure)', () => {
  it('puts a new alert at the top of the first page, newest first, and counts it', () => {
    const list = listOf([alert('a', 'open', 1)]);
    const { list: after, fresh, appliedKeys } = applyLiveStates(list, [alert('b', 'open', 2)], context());
    expect(after.listed.map((a) => a.alertId)).toEqual(['b', 'a']);
    expect([after.total, after.counts]).toEqual([2, { open: 2, remediated: 0 }]);
    expect([fresh, appliedKeys]).toEqual(['b', ['b/open']]);
    expect(list.listed.map((a) => a.alertId)).toEqual(['a']); // the old state is left as it was
  });

  it('moves a remediated alert from open to remediated in the counts, and replaces it where it is listed', () => {
    const list = listOf([alert('a', 'open', 1), alert('b', 'open', 2)]);
    const { list: after } = applyLiveStates(list, [alert('a', 'remediated', 3)], context());
    expect(after.counts).toEqual({ open: 1, remediated: 1 });
    expect(after.listed.find((a) => a.alertId === 'a')?.status).toBe('remediated');
    expect(after.total).toBe(2);
  });

  it('takes an alert off a list filtered to open when it is remediated, and lowers the total', () => {
    const list = listOf([alert('a', 'open', 1), alert('b', 'open', 2)]);
    const { list: after } = applyLiveStates(list, [alert('a', 'remediated', 3)], context({ filter: { status: 'open' } }));
    expect(after.listed.map((a) => a.alertId)).toEqual(['b']);
    expect([after.total, after.counts]).toEqual([1, { open: 1, remediated: 1 }]);
  });

  it('applies a state once however often the stream delivers it, in one chunk or later', () => {
    const once = applyLiveStates(EMPTY_LIST, [alert('a', 'open', 1), alert('a', 'open', 1)], context());
    expect([once.list.total, once.appliedKeys]).toEqual([1, ['a/open']]);
    const again = applyLiveStates(once.list, [alert('a', 'open', 1)], context({ applied: (key) => once.appliedKeys.includes(key) }));
    expect([again.list.total, again.fresh, again.appliedKeys]).toEqual([1, undefined, []]);
  });

  it('ignores alerts the filter does not match, but still reports them applied', () => {
    const {
      list: after,
      appliedKeys,
      fresh,
    } = applyLiveStates(EMPTY_LIST, [alert('eu-1', 'open', 1)], context({ filter: { policyId: 'us-residency' } }));
    expect([after.total, after.listed]).toEqual([0, []]);
    expect([appliedKeys, fresh]).toEqual([['eu-1/open'], 'eu-1']);
  });

  it('keeps the triage and the waiver the page knows: a streamed state carries neither', () => {
    const triage = { state: 'acknowledged' as const, history: [] };
    const known = alert('a', 'open', 1, { triage, waived: true });
    const { list: after, updated } = applyLiveStates(listOf([known]), [alert('a', 'remediated', 2)], context({ known: () => known }));
    expect(after.listed[0]).toMatchObject({ status: 'remediated', triage, waived: true });
    expect(updated).toEqual([after.listed[0]]);
  });

  it('counts a new alert on a later page without listing it there, and keeps the first page at PAGE_SIZE', () => {
    const later = applyLiveStates(listOf([alert('a', 'open', 1)], 80, 50), [alert('b', 'open', 2)], context());
    expect([later.list.total, later.list.listed.map((a) => a.alertId)]).toEqual([81, ['a']]);
    const full = listOf(Array.from({ length: PAGE_SIZE }, (_, i) => alert(`x${i}`, 'open', i)));
    const first = applyLiveStates(full, [alert('new', 'open', 999)], context());
    expect(first.list.listed).toHaveLength(PAGE_SIZE);
    expect(first.list.listed[0]?.alertId).toBe('new');
    expect(first.dropped).toEqual(['x0']);
  });

  it('reads the server answer, says its range, and turns a filter into query parameters', () => {
    const list = listOfAnswer({
      alerts: [alert('a', 'open', 1)],
      total: 1234,
      offset: 50,
      truncated: true,
      counts: { open: 1200, remediated: 34 },
    });
    expect(rangeText(list)).toBe('51–51 of 1,234');
    expect(rangeText(EMPTY_LIST)).toBe('0 alerts');
    expect(filterParams({ status: 'open', q: '', policyId: undefined, severity: 'high' })).toEqual({ status: 'open', severity: 'high' });
  });
});
