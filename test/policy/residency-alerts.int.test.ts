import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/policy/alert.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { countEvents, waitFor } from '../support/graph-queries.js';
import { readAlerts } from '../support/alerts-reader.js';
import { createTestTopic } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

const policyYaml = `
policies:
  - id: us-residency
    classifications: [us-user-data]
    severity: critical
    allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }]
  - id: us-country
    classifications: [us-user-data]
    severity: high
    allowed: [{ countries: [US] }]
  - id: eu-residency
    classifications: [eu-personal-data, eu-health-data]
    severity: high
    allowed: [{ countries: [DE, FR, IE, NL] }]
stores:
  - namespace: "s3://catalogued-sg-*"
    provider: aws
    region: ap-southeast-1
clockSkewToleranceMs: 1000
`;

const run = uniqueName('rules');
const topics = { events: '', alerts: `${run}-alerts` };
let received: Alert[] = [];
let tracker: TrackerProcess;
let stopReader: (() => Promise<void>) | undefined;
let sequence = 0;

type Where = { region?: string; provider?: string };
const US_HOME: Where = { region: 'us-ashburn-1', provider: 'oci' };
const US_PHX: Where = { region: 'us-phoenix-1', provider: 'oci' };
const SG: Where = { region: 'ap-southeast-1', provider: 'aws' };
const VIRGINIA: Where = { region: 'us-east-1', provider: 'aws' };
const FRANKFURT: Where = { region: 'eu-central-1', provider: 'aws' };

const T = (seconds: number) => new Date(Date.parse('2026-11-22T10:00:00Z') + seconds * 1000).toISOString();
const ds = (prefix: string, name: string, where: Where = {}, classifications?: string[]) => ({ namespace: `pg://${prefix}`, name, ...where, ...(classifications ? { classifications } : {}) });
const base = (prefix: string, at: number) => ({ specVersion: '1.0', eventId: `${prefix}-${(sequence += 1)}`, eventTime: T(at) });
const assertEvent = (prefix: string, at: number, name: string, where: Where, labels: string[]) =>
  ({ ...base(prefix, at), operation: 'copy', inputs: [ds(prefix, name, where, labels)], outputs: [ds(prefix, `${name}-snapshot`, where)] });
const move = (operation: string, prefix: string, at: number, from: string[], to: string, where: Where = {}, extra: object = {}) =>
  ({ ...base(prefix, at), operation, inputs: from.map((f) => ds(prefix, f)), outputs: [ds(prefix, to, where)], ...extra });

async function send(prefix: string, events: object[]): Promise<void> {
  await produceRaw(topics.events, events.map((e, i) => ({ key: `${prefix}-${i}`, value: JSON.stringify(e) })));
  for (const e of events) distinctIds(prefix).add((e as { eventId: string }).eventId);
  await waitFor(`events of ${prefix} written`, () => countEvents(`${prefix}-`), (n) => (n ?? 0) >= distinctIds(prefix).size);
}
const sentIds = new Map<string, Set<string>>();
const distinctIds = (prefix: string) => sentIds.get(prefix) ?? sentIds.set(prefix, new Set()).get(prefix)!;

const alertsAt = (prefix: string, name: string) => received.filter((a) => a.node.kind === 'dataset' && a.node.namespace === `pg://${prefix}` && a.node.name === name);
const waitForAlerts = (what: string, probe: () => Alert[], count: number) => waitFor(what, () => Promise.resolve(probe()), (list) => list.length >= count, 30_000);
/** Waits a little longer than the pipeline needs, so an alert that should not come would have come. */
const settle = () => new Promise((r) => setTimeout(r, 1500));

beforeAll(async () => {
  topics.events = await createTestTopic(`${run}-events`, 3);
  const policyFile = join(tmpdir(), `${run}-policy.yaml`);
  writeFileSync(policyFile, policyYaml);
  tracker = await TrackerProcess.create({ BORDERLINE_POLICY: policyFile, BORDERLINE_EVENTS_TOPIC: topics.events, BORDERLINE_ALERTS_TOPIC: topics.alerts, BORDERLINE_DLQ_TOPIC: `${run}-dlq`, BORDERLINE_GROUP_ID: `${run}-group`, BORDERLINE_SESSION_TIMEOUT_MS: '8000' });
  tracker.start();
  await tracker.waitUntilHealthy();
  const reader = await readAlerts(topics.alerts);
  received = reader.alerts;
  stopReader = reader.stop;
});

afterAll(async () => {
  await stopReader?.();
  await tracker?.kill('SIGTERM');
});

describe('residency alerts', () => {
  it('flags US data that reaches Singapore through two hops, under both policies, with the witness path', async () => {
    const p = uniqueName('multihop');
    const events = [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'replica', US_PHX), move('copy', p, 20, ['replica'], 'backup', SG)];
    await send(p, events);
    const alerts = await waitForAlerts('alerts at backup', () => alertsAt(p, 'backup'), 2);
    expect(alerts.map((a) => [a.policyId, a.status, a.reason, a.severity]).sort()).toEqual([['us-country', 'open', 'unapproved-location', 'high'], ['us-residency', 'open', 'unapproved-location', 'critical']]);
    const alert = alerts[0]!;
    expect(alert.path.map((n) => (n.kind === 'dataset' ? n.name : n.service))).toEqual(['profiles', 'replica', 'backup']);
    expect(alert.eventIds).toEqual([events[1]!.eventId, events[2]!.eventId]);
    expect(alert.node).toEqual({ kind: 'dataset', namespace: `pg://${p}`, name: 'backup', region: 'ap-southeast-1', provider: 'aws' });
    expect(alert.occurredAt).toBe(T(20));
    expect(alert.classifications).toEqual(['us-user-data']);
    await settle();
    expect(received.filter((a) => a.node.kind === 'dataset' && a.node.namespace === `pg://${p}` && a.node.name !== 'backup')).toEqual([]);
  });

  it('finds the violation when a late event completes an older path (A->B arrives after B->C)', async () => {
    const p = uniqueName('reversed');
    await send(p, [move('copy', p, 20, ['replica'], 'backup', SG)]);
    await send(p, [move('copy', p, 10, ['profiles'], 'replica', US_PHX)]);
    await send(p, [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data'])]);
    const alerts = await waitForAlerts('alert at backup', () => alertsAt(p, 'backup'), 2);
    expect(alerts[0]?.path.map((n) => (n.kind === 'dataset' ? n.name : ''))).toEqual(['profiles', 'replica', 'backup']);
  });

  it('does not flag a copy made before the data arrived, and flags the later re-sync', async () => {
    const p = uniqueName('before');
    await send(p, [move('copy', p, 10, ['profiles'], 'backup', SG), assertEvent(p, 20, 'profiles', US_HOME, ['us-user-data'])]);
    await settle();
    expect(alertsAt(p, 'backup')).toEqual([]);
    const resync = move('copy', p, 30, ['profiles'], 'backup', SG);
    await send(p, [resync]);
    const alerts = await waitForAlerts('alert after the re-sync', () => alertsAt(p, 'backup'), 2);
    expect(alerts[0]?.eventIds).toEqual([resync.eventId]);
  });

  it('lets data flow through a copy inside the clock-skew tolerance, and not outside it', async () => {
    const p = uniqueName('skew');
    // The label reaches "profiles" at t=100 s; copies stamped 0.5 s and 1.5 s earlier.
    const labelled = assertEvent(p, 100, 'profiles', US_HOME, ['us-user-data']);
    const inside = { ...move('copy', p, 0, ['profiles'], 'inside', SG), eventTime: new Date(Date.parse(T(100)) - 500).toISOString() };
    const outside = { ...move('copy', p, 0, ['profiles'], 'outside', SG), eventTime: new Date(Date.parse(T(100)) - 1500).toISOString() };
    await send(p, [labelled, inside, outside]);
    await waitForAlerts('alert inside the tolerance', () => alertsAt(p, 'inside'), 2);
    await settle();
    expect(alertsAt(p, 'outside')).toEqual([]);
  });

  it('carries every input label through a derive fan-in, minus what it strips', async () => {
    const p = uniqueName('derive');
    await send(p, [
      assertEvent(p, 0, 'us-profiles', US_HOME, ['us-user-data']),
      assertEvent(p, 0, 'eu-profiles', FRANKFURT, ['eu-personal-data']),
      move('derive', p, 10, ['us-profiles', 'eu-profiles'], 'joined', SG),
      move('derive', p, 10, ['us-profiles', 'eu-profiles'], 'partly-anonymised', SG, { removesClassifications: ['us-user-data'] }),
      move('derive', p, 10, ['us-profiles', 'eu-profiles'], 'aggregate', SG, { removesClassifications: ['us-user-data', 'eu-personal-data'] }),
    ]);
    const joined = await waitForAlerts('alerts at joined', () => alertsAt(p, 'joined'), 3);
    expect(joined.map((a) => a.policyId).sort()).toEqual(['eu-residency', 'us-country', 'us-residency']);
    const partial = await waitForAlerts('alert at partly-anonymised', () => alertsAt(p, 'partly-anonymised'), 1);
    await settle();
    expect(alertsAt(p, 'partly-anonymised').map((a) => a.policyId)).toEqual(['eu-residency']);
    expect(partial[0]?.classifications).toEqual(['eu-personal-data']);
    expect(alertsAt(p, 'aggregate')).toEqual([]);
  });

  it('raises one alert listing every label of the policy that reached the node together', async () => {
    const p = uniqueName('labels');
    await send(p, [assertEvent(p, 0, 'patients', FRANKFURT, ['eu-personal-data', 'eu-health-data']), move('copy', p, 10, ['patients'], 'export', SG)]);
    await waitForAlerts('the alert at export', () => alertsAt(p, 'export'), 1);
    await settle();
    expect(alertsAt(p, 'export').map((a) => [a.policyId, a.classifications])).toEqual([['eu-residency', ['eu-health-data', 'eu-personal-data']]]);
  });

  it('flags an engineer reading US data from abroad, and not one reading it at home', async () => {
    const p = uniqueName('access');
    const abroad = { ...base(p, 10), operation: 'access', inputs: [ds(p, 'profiles')], actor: { service: `${p}-console`, region: 'cn-north-1', provider: 'aws' } };
    const home = { ...base(p, 10), operation: 'access', inputs: [ds(p, 'profiles')], actor: { service: `${p}-console`, region: 'us-ashburn-1', provider: 'oci' } };
    await send(p, [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), abroad, home]);
    const byActor = () => received.filter((a) => a.node.kind === 'actor' && a.node.service === `${p}-console`);
    const alerts = await waitForAlerts('alerts for the actor abroad', byActor, 2);
    expect(alerts.map((a) => a.node)).toEqual([{ kind: 'actor', service: `${p}-console`, region: 'cn-north-1', provider: 'aws' }, { kind: 'actor', service: `${p}-console`, region: 'cn-north-1', provider: 'aws' }]);
    expect(alerts[0]?.eventIds).toEqual([abroad.eventId]);
    await settle();
    expect(byActor()).toHaveLength(2);
  });

  it('fails closed on an unknown location, and places a store through the catalog', async () => {
    const p = uniqueName('where');
    await send(p, [
      assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']),
      move('copy', p, 10, ['profiles'], 'nowhere'),
      { ...base(p, 10), operation: 'copy', inputs: [ds(p, 'profiles')], outputs: [{ namespace: `s3://catalogued-sg-${p}`, name: 'dump' }] },
    ]);
    const unknown = await waitForAlerts('alerts at nowhere', () => alertsAt(p, 'nowhere'), 2);
    expect(unknown.map((a) => a.reason)).toEqual(['unknown-location', 'unknown-location']);
    const catalogued = await waitForAlerts('alerts at the catalogued store', () => received.filter((a) => a.node.kind === 'dataset' && a.node.namespace === `s3://catalogued-sg-${p}`), 2);
    expect(catalogued[0]?.node).toEqual({ kind: 'dataset', namespace: `s3://catalogued-sg-${p}`, name: 'dump', region: 'ap-southeast-1', provider: 'aws' });
  });

  it('places regions in countries: Virginia breaks the OCI-only policy but not the US-only one', async () => {
    const p = uniqueName('country');
    await send(p, [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'legacy', VIRGINIA)]);
    await waitForAlerts('alert at legacy', () => alertsAt(p, 'legacy'), 1);
    await settle();
    expect(alertsAt(p, 'legacy').map((a) => a.policyId)).toEqual(['us-residency']);
  });

  it('flags a dataset holding US data when a later event states it lives in Singapore', async () => {
    const p = uniqueName('relocate');
    await send(p, [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'store', US_PHX)]);
    await settle();
    expect(alertsAt(p, 'store')).toEqual([]);
    await send(p, [move('copy', p, 20, ['elsewhere'], 'store', SG)]);
    const alerts = await waitForAlerts('alerts at the relocated store', () => alertsAt(p, 'store'), 2);
    expect(alerts[0]?.node).toMatchObject({ region: 'ap-southeast-1', provider: 'aws' });
  });

  it('raises one alert per (policy, node) however often the events are delivered', async () => {
    const p = uniqueName('dups');
    const events = [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'backup', SG), move('copy', p, 11, ['profiles'], 'backup', SG)];
    await send(p, [...events, ...events]);
    await produceRaw(topics.events, events.map((e) => ({ key: 'again', value: JSON.stringify(e) })));
    await waitForAlerts('alerts at backup', () => alertsAt(p, 'backup'), 2);
    await settle();
    expect(alertsAt(p, 'backup')).toHaveLength(2);
  });

  it('publishes the same alertId as remediated when a delete removes the dataset', async () => {
    const p = uniqueName('delete');
    await send(p, [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'backup', SG)]);
    const open = await waitForAlerts('open alerts', () => alertsAt(p, 'backup'), 2);
    await send(p, [{ ...base(p, 50), operation: 'delete', inputs: [ds(p, 'backup')] }]);
    const all = await waitForAlerts('remediated alerts', () => alertsAt(p, 'backup'), 4);
    const remediated = all.filter((a) => a.status === 'remediated');
    expect(remediated.map((a) => a.alertId).sort()).toEqual(open.map((a) => a.alertId).sort());
  });

  it('publishes open then remediated when the delete was consumed before the copy it remediates', async () => {
    const p = uniqueName('delete-first');
    await send(p, [{ ...base(p, 50), operation: 'delete', inputs: [ds(p, 'backup')] }]);
    await send(p, [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'backup', SG)]);
    const all = await waitForAlerts('open and remediated', () => alertsAt(p, 'backup'), 4);
    for (const policyId of ['us-residency', 'us-country']) {
      expect(all.filter((a) => a.policyId === policyId).map((a) => a.status)).toEqual(['open', 'remediated']);
    }
  });

  it('publishes open then remediated, each once, when the copy and its delete are written together', async () => {
    const p = uniqueName('delete-together');
    const events = [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'backup', SG), { ...base(p, 50), operation: 'delete', inputs: [ds(p, 'backup')] }];
    // One key: one partition, so the tracker normally writes the three in one transaction.
    await produceRaw(topics.events, events.map((e) => ({ key: p, value: JSON.stringify(e) })));
    await waitForAlerts('open and remediated', () => alertsAt(p, 'backup'), 4);
    await settle();
    const all = alertsAt(p, 'backup');
    expect(all).toHaveLength(4);
    for (const policyId of ['us-residency', 'us-country']) {
      expect(all.filter((a) => a.policyId === policyId).map((a) => a.status)).toEqual(['open', 'remediated']);
    }
    expect(all.find((a) => a.status === 'remediated')?.path.map((n) => (n.kind === 'dataset' ? n.name : n.service))).toEqual(['profiles', 'backup']);
  });

  it('does not publish any (alertId, status) again after a restart', async () => {
    const before = received.length;
    expect(before).toBeGreaterThan(0);
    expect((await tracker.kill('SIGTERM')).code).toBe(0);
    tracker.start();
    await tracker.waitUntilHealthy();
    const p = uniqueName('after-restart');
    await send(p, [assertEvent(p, 0, 'profiles', US_HOME, ['us-user-data']), move('copy', p, 10, ['profiles'], 'backup', SG)]);
    await waitForAlerts('alerts after the restart', () => alertsAt(p, 'backup'), 2);
    await settle();
    const seen = new Map<string, number>();
    for (const a of received) seen.set(`${a.alertId}/${a.status}`, (seen.get(`${a.alertId}/${a.status}`) ?? 0) + 1);
    expect([...seen.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(received).toHaveLength(before + 2);
  });
});
