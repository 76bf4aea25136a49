import { describe, expect, it } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { parseDataMovementEvent } from '../../src/events/parse-data-movement-event.js';
import type { AlertPage, AlertQuery } from '../../src/alerts/alert-filter.js';
import { planGraphWrite } from '../../src/lineage/plan-graph-write.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import { RULES_POLICY } from '../lineage/rule-cases.js';

// US data copied to two Singapore backups (one deleted later), to Frankfurt, and read from London:
// each place violates both US policies, so 8 alerts, 2 of them remediated.
const policies = new PolicyIndex(parsePolicyFile(RULES_POLICY));
const T = (s: number) => new Date(Date.parse('2026-11-22T10:00:00Z') + s * 1000).toISOString();
const SOURCE = { namespace: 'pg://src', name: 'users', provider: 'oci', region: 'us-ashburn-1', classifications: ['us-user-data'] };
const copy = (id: string, s: number, to: object) => ({
  specVersion: '1.0',
  eventId: id,
  eventTime: T(s),
  operation: 'copy',
  inputs: [SOURCE],
  outputs: [to],
});
const raw = [
  copy('e1', 1, { namespace: 's3://bk-sg', name: 'nightly/a', provider: 'aws', region: 'ap-southeast-1' }),
  copy('e2', 2, { namespace: 's3://bk-sg', name: 'nightly/b', provider: 'aws', region: 'ap-southeast-1' }),
  copy('e3', 3, { namespace: 's3://analytics-fra', name: 'features', provider: 'aws', region: 'eu-central-1' }),
  {
    specVersion: '1.0',
    eventId: 'e4',
    eventTime: T(4),
    operation: 'access',
    inputs: [SOURCE],
    actor: { service: 'admin-console', region: 'eu-west-2', provider: 'aws' },
  },
  { specVersion: '1.0', eventId: 'e5', eventTime: T(5), operation: 'delete', inputs: [{ namespace: 's3://bk-sg', name: 'nightly/b' }] },
];

async function estate() {
  const events = raw.map((e) => {
    const parsed = parseDataMovementEvent(e);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    return parsed.event;
  });
  // One event per write, so that detection times differ and "newest first" is visible.
  let now = Date.parse('2026-12-01T00:00:00Z');
  const timed = new InMemoryLineageGraph(policies, { clock: () => new Date((now += 1000)) });
  for (const event of events) await timed.write(planGraphWrite([event]), { id: 'unit', outbox: 'alerts' });
  return timed;
}

const names = (page: AlertPage) => page.alerts.map((a) => `${a.node.kind === 'dataset' ? a.node.name : a.node.service}/${a.policyId}`);
const ask = async (query: Partial<AlertQuery>) => (await estate()).queries.alerts({ offset: 0, limit: 100, ...query });

describe('alert lists: server-side filters, pages and true totals', () => {
  it('counts every alert, by status, latest state first', async () => {
    const all = await ask({});
    expect(all).toMatchObject({ total: 8, counts: { open: 6, remediated: 2 } });
    // The delete came last: the backup's remediations top the list, then the London read.
    expect(names(all).slice(0, 2).sort()).toEqual(['nightly/b/us-country', 'nightly/b/us-residency']);
    expect(names(all).slice(2, 4).sort()).toEqual(['admin-console/us-country', 'admin-console/us-residency']);
    expect(all.alerts.map((a) => a.detectedAt)).toEqual([...all.alerts.map((a) => a.detectedAt)].sort().reverse());
    const open = await ask({ status: 'open' });
    expect(open).toMatchObject({ total: 6, counts: { open: 6, remediated: 2 } }); // counts ignore the status filter
  });

  it.each<[string, Partial<AlertQuery>, string[]]>([
    ['region, any case', { region: 'AP-SOUTHEAST-1', policyId: 'us-residency' }, ['nightly/a/us-residency', 'nightly/b/us-residency']],
    ['namespace prefix', { namespace: ['s3://bk-*'], severity: 'high' }, ['nightly/a/us-country', 'nightly/b/us-country']],
    ['exact namespace', { namespace: ['s3://analytics-fra'], policyId: 'us-residency' }, ['features/us-residency']],
    ['service', { service: ['admin-console'], severity: 'critical' }, ['admin-console/us-residency']],
    [
      'namespace or service',
      { namespace: ['s3://analytics-fra'], service: ['admin-console'], policyId: 'us-country' },
      ['admin-console/us-country', 'features/us-country'],
    ],
    ['every word of the text, any case', { q: 'NIGHTLY critical' }, ['nightly/a/us-residency', 'nightly/b/us-residency']],
    ['text on the label', { q: 'user-data eu-west-2' }, ['admin-console/us-country', 'admin-console/us-residency']],
    ['text that matches nothing', { q: 'nightly frankfurt' }, []],
  ])('filters by %s', async (_what, query, expected) => {
    const page = await ask(query);
    expect(names(page).sort()).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it('pages through the list without losing or repeating an alert', async () => {
    const whole = names(await ask({}));
    const seen: string[] = [];
    for (let offset = 0; offset < 10; offset += 3) {
      const page = await ask({ offset, limit: 3 });
      expect(page.total).toBe(8);
      seen.push(...names(page));
    }
    expect(seen).toEqual(whole);
  });
});
