import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/policy/alert.js';
import {
  AlertsResponse,
  LineageAnswer,
  NodeDetail,
  PathsAnswer,
  Report,
  ResidencyPlacesAnswer,
  ResidencyAnswer,
} from '../../src/api/api-schemas.js';
import { countEvents, waitFor } from '../support/graph-queries.js';
import { testKafkaBrokers, uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

// A small estate, built through Kafka, that every question below is asked of: US data at home in
// OCI, a replica, a legacy copy in AWS Virginia (deleted at the end), a backup in Singapore placed
// by the store catalog, an engineer reading it from London, and an anonymised aggregate.
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = uniqueName('api');
const label = `${run}-us-data`;
const policyId = `${run}-us`;
const ns = `pg://${run}`;
const backupNs = `s3://${run}-backup-sg`;
const token = `${run}-token-0123456789`;
const T = (s: number) => new Date(Date.parse('2026-11-22T10:00:00Z') + s * 1000).toISOString();
const HOME = { provider: 'oci', region: 'us-ashburn-1' };
const PHX = { provider: 'oci', region: 'us-phoenix-1' };
const VA = { provider: 'aws', region: 'us-east-1' };
const id = (n: number) => `${run}-${n}`;

const events = [
  {
    specVersion: '1.0',
    eventId: id(1),
    eventTime: T(0),
    operation: 'copy',
    inputs: [{ namespace: ns, name: 'profiles', ...HOME, classifications: [label] }],
    outputs: [{ namespace: ns, name: 'replica', ...PHX }],
    trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) },
  },
  {
    specVersion: '1.0',
    eventId: id(2),
    eventTime: T(10),
    operation: 'copy',
    inputs: [{ namespace: ns, name: 'replica' }],
    outputs: [{ namespace: ns, name: 'legacy', ...VA }],
  },
  {
    specVersion: '1.0',
    eventId: id(3),
    eventTime: T(20),
    operation: 'copy',
    inputs: [{ namespace: ns, name: 'legacy' }],
    outputs: [{ namespace: backupNs, name: 'nightly' }],
  },
  {
    specVersion: '1.0',
    eventId: id(4),
    eventTime: T(30),
    operation: 'access',
    inputs: [{ namespace: ns, name: 'profiles' }],
    actor: { service: `${run}-tool`, region: 'eu-west-2', provider: 'aws' },
  },
  {
    specVersion: '1.0',
    eventId: id(5),
    eventTime: T(40),
    operation: 'derive',
    inputs: [{ namespace: ns, name: 'profiles' }],
    outputs: [{ namespace: ns, name: 'aggregate', provider: 'aws', region: 'eu-central-1' }],
    removesClassifications: [label],
  },
  { specVersion: '1.0', eventId: id(6), eventTime: T(50), operation: 'delete', inputs: [{ namespace: ns, name: 'legacy' }] },
];

let tracker: TrackerProcess;
let eventsTopic = '';

async function get(path: string, auth: string | null = token): Promise<{ status: number; body: unknown; type: string }> {
  const response = await fetch(`http://127.0.0.1:${tracker.port}${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: type.includes('json') ? await response.json() : await response.text(), type };
}
const q = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
const alertsOf = async (query: string): Promise<Alert[]> => AlertsResponse.parse((await get(`/api/v1/alerts?${query}`)).body).alerts;
const dataset = (name: string, namespace = ns) => ({ namespace, name });
const nodeId = (name: string, namespace = ns) => `dataset/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

beforeAll(async () => {
  eventsTopic = await createTestTopic(`${run}-events`, 3);
  const policyFile = join(tmpdir(), `${run}-policy.yaml`);
  writeFileSync(
    policyFile,
    `policies:
  - id: ${policyId}
    classifications: [${label}]
    severity: critical
    allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }]
stores:
  - { namespace: "${backupNs}", provider: aws, region: ap-southeast-1 }
`,
  );
  tracker = await TrackerProcess.create({
    BORDERLINE_POLICY: policyFile,
    BORDERLINE_EVENTS_TOPIC: eventsTopic,
    BORDERLINE_ALERTS_TOPIC: `${run}-alerts`,
    BORDERLINE_DLQ_TOPIC: `${run}-dlq`,
    BORDERLINE_GROUP_ID: `${run}-group`,
    BORDERLINE_API_TOKENS: token,
  });
  tracker.start();
  await tracker.waitUntilHealthy();
  await produceRaw(
    eventsTopic,
    events.map((e) => ({ key: e.eventId, value: JSON.stringify(e) })),
  );
  await waitFor(
    'the estate written',
    () => countEvents(`${run}-`),
    (n) => n === events.length,
  );
  await waitFor(
    'three alerts, one remediated',
    () => alertsOf(q({ policyId })),
    (alerts) => alerts.length === 3 && alerts.some((a) => a.status === 'remediated'),
    30_000,
  );
}, 120_000);

afterAll(async () => {
  await tracker?.kill('SIGTERM');
});

describe('GET /api/v1/alerts', () => {
  it('lists the current state of each alert, filtered by status and policy', async () => {
    const open = await alertsOf(q({ policyId, status: 'open' }));
    expect(open.map((a) => (a.node.kind === 'dataset' ? a.node.name : a.node.service)).sort()).toEqual(['nightly', `${run}-tool`].sort());
    const remediated = await alertsOf(q({ policyId, status: 'remediated' }));
    expect(remediated).toHaveLength(1);
    expect(remediated[0]).toMatchObject({ status: 'remediated', node: { name: 'legacy', region: 'us-east-1' }, eventIds: [id(1), id(2)] });
    expect(await alertsOf(q({ policyId, severity: 'low' }))).toEqual([]);
  });

  it('filters by region, namespace, service and text on the server, and says how many match in all', async () => {
    const page = async (params: Record<string, string | number>) => AlertsResponse.parse((await get(`/api/v1/alerts?${q(params)}`)).body);
    const names = (answer: AlertsResponse) => answer.alerts.map((a) => (a.node.kind === 'dataset' ? a.node.name : a.node.service)).sort();
    // This run's estate, however many alerts other tests left in the graph.
    const mine = await page({ namespace: `${ns},${backupNs}`, service: `${run}-tool` });
    expect(mine).toMatchObject({ total: 3, offset: 0, truncated: false, counts: { open: 2, remediated: 1 } });
    // Region, as the store catalog places the backup (the event said nothing), any case.
    const sg = await page({ region: 'AP-SOUTHEAST-1', q: run });
    expect(names(sg)).toEqual(['nightly']);
    expect(sg.total).toBe(1);
    expect(names(await page({ namespace: `pg://${run}*` }))).toEqual(['legacy']);
    expect(names(await page({ service: `${run}-tool` }))).toEqual([`${run}-tool`]);
    // Every word must occur: the run, and the node's name (or its label, or the policy).
    expect(names(await page({ q: `${run} NIGHTLY` }))).toEqual(['nightly']);
    expect(names(await page({ q: `${label} eu-west-2` }))).toEqual([`${run}-tool`]);
    // Pages: a true total on each, `truncated` until the last; counts by status ignore the status filter.
    const first = await page({ policyId, status: 'open', limit: 1 });
    expect(first).toMatchObject({ total: 2, truncated: true, counts: { open: 2, remediated: 1 } });
    const second = await page({ policyId, status: 'open', limit: 1, offset: 1 });
    expect(second).toMatchObject({ total: 2, offset: 1, truncated: false });
    expect([...names(first), ...names(second)].sort()).toEqual(['nightly', `${run}-tool`].sort());
    expect((await page({ policyId, offset: 3 })).alerts).toEqual([]);
    expect(await get(`/api/v1/alerts?offset=-1`)).toMatchObject({ status: 400, body: { parameter: 'offset' } });
  });

  it('names the bad parameter in a 400', async () => {
    const bad = await get(`/api/v1/alerts?status=closed`);
    expect(bad).toMatchObject({ status: 400, body: { parameter: 'status' } });
    expect((bad.body as { error: string }).error).toMatch(/^status: /);
    expect(await get(`/api/v1/alerts?statsu=open`)).toMatchObject({
      status: 400,
      body: { parameter: 'statsu', error: 'statsu: unknown parameter' },
    });
  });
});

describe('GET /api/v1/lineage', () => {
  it('walks downstream to a depth, with labels, countries and open alerts on the nodes', async () => {
    const one = LineageAnswer.parse(
      (await get(`/api/v1/lineage?${q({ ...dataset('profiles'), direction: 'downstream', depth: 1 })}`)).body,
    );
    expect(one.nodes.map((n) => n.id).sort()).toEqual(
      [nodeId('aggregate'), nodeId('profiles'), nodeId('replica'), `actor/${run}-tool/eu-west-2`].sort(),
    );
    expect(one.edges.map((e) => `${e.operation} ${e.eventId}`).sort()).toEqual([`access ${id(4)}`, `copy ${id(1)}`, `derive ${id(5)}`]);
    expect(one.truncated).toBe(false);
    const aggregate = one.nodes.find((n) => n.id === nodeId('aggregate'));
    expect(aggregate?.classifications).toEqual([]); // the derive removed the label

    const three = LineageAnswer.parse(
      (await get(`/api/v1/lineage?${q({ ...dataset('profiles'), direction: 'downstream', depth: 3 })}`)).body,
    );
    const backup = three.nodes.find((n) => n.id === nodeId('nightly', backupNs));
    expect(backup).toMatchObject({ region: 'ap-southeast-1', provider: 'aws', country: 'SG', classifications: [label] });
    expect(backup?.openAlertIds).toHaveLength(1);
    expect(three.nodes.find((n) => n.id === nodeId('legacy'))?.openAlertIds).toEqual([]); // remediated
  });

  it('walks upstream, and both ways', async () => {
    const up = LineageAnswer.parse(
      (await get(`/api/v1/lineage?${q({ ...dataset('nightly', backupNs), direction: 'upstream', depth: 10 })}`)).body,
    );
    expect(up.nodes.map((n) => n.id).sort()).toEqual(
      [nodeId('legacy'), nodeId('nightly', backupNs), nodeId('profiles'), nodeId('replica')].sort(),
    );
    const both = LineageAnswer.parse((await get(`/api/v1/lineage?${q({ ...dataset('legacy'), depth: 1 })}`)).body);
    expect(both.edges.map((e) => e.eventId).sort()).toEqual([id(2), id(3)]);
  });

  it('caps the depth by configuration and rejects bad parameters by name', async () => {
    expect(await get(`/api/v1/lineage?${q({ ...dataset('profiles'), depth: 11 })}`)).toMatchObject({
      status: 400,
      body: { parameter: 'depth', error: 'depth: at most 10 (BORDERLINE_LINEAGE_MAX_DEPTH)' },
    });
    expect(await get(`/api/v1/lineage?${q({ ...dataset('profiles'), depth: 0 })}`)).toMatchObject({
      status: 400,
      body: { parameter: 'depth' },
    });
    expect(await get(`/api/v1/lineage?${q({ ...dataset('profiles'), direction: 'sideways' })}`)).toMatchObject({
      status: 400,
      body: { parameter: 'direction' },
    });
    expect(await get(`/api/v1/lineage?${q({ namespace: ns })}`)).toMatchObject({
      status: 400,
      body: { parameter: 'name', error: 'name: required' },
    });
    const missing = await get(`/api/v1/lineage?${q(dataset('no-such-table'))}`);
    expect(missing.status).toBe(404);
    expect((missing.body as { error: string }).error).toContain('no-such-table');
  });
});

describe('GET /api/v1/residency', () => {
  it('says where the label lives now, approved or not, and since when', async () => {
    const answer = ResidencyAnswer.parse((await get(`/api/v1/residency?${q({ classification: label })}`)).body);
    const where = Object.fromEntries(answer.holdings.map((h) => [h.node.kind === 'dataset' ? h.node.name : h.node.service, h]));
    expect(Object.keys(where).sort()).toEqual(['nightly', 'profiles', 'replica', `${run}-tool`].sort()); // legacy was deleted
    expect(where.profiles).toMatchObject({ approved: true, policyIds: [policyId], since: T(0) });
    expect(where.replica).toMatchObject({ approved: true, since: T(0) });
    expect(where.nightly).toMatchObject({ approved: false, policyIds: [policyId], reason: 'unapproved-location', since: T(20) });
    expect(where[`${run}-tool`]).toMatchObject({ approved: false, node: { kind: 'actor', region: 'eu-west-2' } });
    const unapproved = ResidencyAnswer.parse((await get(`/api/v1/residency?${q({ classification: label, approved: 'false' })}`)).body);
    expect(unapproved.holdings).toHaveLength(2);
    expect(await get('/api/v1/residency')).toMatchObject({ status: 400, body: { parameter: 'classification' } });
    const names = async (params: Record<string, string>) =>
      ResidencyAnswer.parse((await get(`/api/v1/residency?${q({ classification: label, ...params })}`)).body)
        .holdings.map((h) => (h.node.kind === 'dataset' ? h.node.name : h.node.service))
        .sort();
    expect(await names({ namespace: backupNs })).toEqual(['nightly']);
    expect(await names({ namespace: `${ns},${backupNs.slice(0, 8)}*` })).toEqual(['nightly', 'profiles', 'replica']);
    expect(await names({ service: `${run}-tool` })).toEqual([`${run}-tool`]);
  });

  it('gives the true total when the list is cut, and counts every holding by place', async () => {
    const cut = ResidencyAnswer.parse((await get(`/api/v1/residency?${q({ classification: label, limit: 1 })}`)).body);
    expect(cut).toMatchObject({ total: 4, truncated: true });
    expect(cut.holdings).toHaveLength(1);
    const places = ResidencyPlacesAnswer.parse((await get(`/api/v1/residency/places?${q({ classification: label })}`)).body);
    expect(places).toMatchObject({ classification: label, total: 4, truncated: false });
    // Unapproved places first, then the approved ones; one row per provider and region.
    expect(places.places.map((p) => [p.provider, p.region, p.country, p.approved, p.holders])).toEqual([
      ['aws', 'ap-southeast-1', 'SG', false, 1],
      ['aws', 'eu-west-2', 'GB', false, 1],
      ['oci', 'us-ashburn-1', 'US', true, 1],
      ['oci', 'us-phoenix-1', 'US', true, 1],
    ]);
    expect(await get(`/api/v1/residency/places?${q({ classification: `${label}x` })}`)).toMatchObject({
      status: 400,
      body: { parameter: 'classification' },
    });
  });
});

describe('GET /api/v1/paths', () => {
  it('finds how the data got from A to B, hop by hop, in time order', async () => {
    const answer = PathsAnswer.parse(
      (await get(`/api/v1/paths?${q({ fromNamespace: ns, fromName: 'profiles', toNamespace: backupNs, toName: 'nightly' })}`)).body,
    );
    expect(answer.paths).toHaveLength(1);
    const [path] = answer.paths;
    expect(path?.nodes.map((n) => n.id)).toEqual([nodeId('profiles'), nodeId('replica'), nodeId('legacy'), nodeId('nightly', backupNs)]);
    expect(path?.edges.map((e) => e.eventId)).toEqual([id(1), id(2), id(3)]);
    expect(path?.edges[0]?.traceId).toBe('a'.repeat(32));
    expect(path?.arrivesAt).toBe(T(20));
  });

  it('reaches actors, finds nothing against time, and rejects a half-named target', async () => {
    const toActor = PathsAnswer.parse(
      (await get(`/api/v1/paths?${q({ fromNamespace: ns, fromName: 'profiles', toService: `${run}-tool`, toRegion: 'eu-west-2' })}`)).body,
    );
    expect(toActor.paths[0]?.edges.map((e) => e.operation)).toEqual(['access']);
    const backwards = PathsAnswer.parse(
      (await get(`/api/v1/paths?${q({ fromNamespace: backupNs, fromName: 'nightly', toNamespace: ns, toName: 'profiles' })}`)).body,
    );
    expect(backwards.paths).toEqual([]);
    expect(await get(`/api/v1/paths?${q({ fromNamespace: ns, fromName: 'profiles', toNamespace: ns })}`)).toMatchObject({
      status: 400,
      body: { parameter: 'to' },
    });
    expect((await get(`/api/v1/paths?${q({ fromNamespace: ns, fromName: 'nope', toNamespace: ns, toName: 'replica' })}`)).status).toBe(404);
  });
});

describe('GET /api/v1/nodes', () => {
  it('describes one dataset: location and where it came from, labels, alerts, deletion', async () => {
    const backup = NodeDetail.parse((await get(`/api/v1/nodes/dataset?${q(dataset('nightly', backupNs))}`)).body);
    expect(backup.location).toEqual({ provider: 'aws', region: 'ap-southeast-1', country: 'SG', source: 'store-catalog' });
    expect(backup.holdings).toEqual([{ classification: label, since: T(20), viaEventId: id(3) }]);
    expect(backup.alerts.map((a) => a.status)).toEqual(['open']);
    const legacy = NodeDetail.parse((await get(`/api/v1/nodes/dataset?${q(dataset('legacy'))}`)).body);
    expect(legacy).toMatchObject({ deletedAt: T(50), location: { source: 'event', country: 'US' } });
    expect(legacy.alerts.map((a) => a.status)).toEqual(['remediated']);
    const actor = NodeDetail.parse((await get(`/api/v1/nodes/actor?${q({ service: `${run}-tool`, region: 'eu-west-2' })}`)).body);
    expect(actor.node).toMatchObject({ kind: 'actor', country: 'GB' });
    expect((await get(`/api/v1/nodes/dataset?${q(dataset('missing'))}`)).status).toBe(404);
  });
});

describe('GET /api/v1/report', () => {
  it('summarises violations by policy and region, residual copies and egress routes (JSON)', async () => {
    const report = Report.parse((await get(`/api/v1/report?${q({ policyId })}`)).body);
    expect(report.totals).toEqual({ open: 2, remediated: 1 });
    expect(report.byPolicy).toEqual([{ policyId, severity: 'critical', open: 2, remediated: 1 }]);
    expect(report.byRegion).toContainEqual({ provider: 'aws', region: 'us-east-1', country: 'US', open: 0, remediated: 1 });
    expect(report.residualCopies.copies.map((r) => (r.node.kind === 'dataset' ? r.node.name : ''))).toEqual(['nightly']);
    expect(report.residualCopies).toMatchObject({ total: 1, offset: 0, truncated: false });
    expect(report.waivers).toEqual({ active: [], expiringWithin30Days: 0 });
    expect(report.egressRoutes).toContainEqual({
      from: { provider: 'oci', region: 'us-phoenix-1', country: 'US' },
      to: { provider: 'aws', region: 'us-east-1', country: 'US' },
      events: 1,
      classifications: [label],
    });
    expect(report.egressRoutes).toContainEqual({
      from: { provider: 'oci', region: 'us-ashburn-1', country: 'US' },
      to: { provider: 'aws', region: 'eu-west-2', country: 'GB' },
      events: 1,
      classifications: [label],
    });
    expect(report.egressRoutes.some((r) => r.to.region === 'eu-central-1')).toBe(false); // the anonymised aggregate carries no label
  });

  it('renders HTML for people', async () => {
    const page = await get(`/api/v1/report?${q({ policyId, format: 'html' })}`);
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(String(page.body)).toContain('<h1>Residency report</h1>');
    expect(String(page.body)).toContain(`${backupNs} nightly`);
  });
});

describe('the API as a whole', () => {
  it('requires the bearer token when tokens are configured, and leaves health open', async () => {
    expect((await get('/api/v1/alerts', null)).status).toBe(401);
    expect((await get('/api/v1/alerts', 'wrong-token-0123456789')).status).toBe(401);
    expect((await get('/healthz', null)).status).toBe(200);
  });

  it('answers an unknown endpoint with a JSON 404', async () => {
    expect(await get('/api/v1/nope')).toMatchObject({ status: 404, body: { error: 'no such endpoint: GET /api/v1/nope' } });
  });

  it('streams alerts as they are published (server-sent events)', async () => {
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${tracker.port}/api/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: ready')) text += (await reader.read()).value ?? '';
    const late = {
      specVersion: '1.0',
      eventId: id(7),
      eventTime: T(60),
      operation: 'copy',
      inputs: [{ namespace: ns, name: 'profiles' }],
      outputs: [{ namespace: ns, name: 'sg-extract', provider: 'aws', region: 'ap-southeast-1' }],
    };
    await produceRaw(eventsTopic, [{ key: late.eventId, value: JSON.stringify(late) }]);
    const deadline = Date.now() + 30_000;
    while (!text.includes('sg-extract') && Date.now() < deadline) text += (await reader.read()).value ?? '';
    controller.abort();
    const line = text.split('\n').find((l) => l.startsWith('data: ') && l.includes('sg-extract'));
    expect(JSON.parse(line!.slice(6))).toMatchObject({ status: 'open', policyId, node: { name: 'sg-extract' } });
  }, 60_000);
});

describe('the CLI against the API', () => {
  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, BORDERLINE_URL: `http://127.0.0.1:${tracker.port}`, BORDERLINE_API_TOKEN: token, NO_COLOR: '1' },
    });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };

  it('prints tables for people and JSON for scripts, with exit codes scripts can rely on', () => {
    const table = cli('residency', label, '--unapproved');
    expect(table.code).toBe(0);
    expect(table.out).toContain('3 places not approved'); // the backup, the engineer, and the stream test's sg-extract
    expect(table.out).toContain(`${backupNs} nightly`);
    const json = cli('alerts', '--policy', policyId, '--status', 'remediated', '--json');
    expect(AlertsResponse.parse(JSON.parse(json.out)).alerts.map((a) => a.node.kind === 'dataset' && a.node.name)).toEqual(['legacy']);
    expect(cli('lineage', ns, 'profiles', '--direction', 'downstream', '--depth', '1').out).toMatch(/5 nodes, 4 movements/); // with sg-extract
    const summary = cli('report', '--policy', policyId).out;
    expect(summary).toContain('3 open');
    expect(summary).toMatch(/(\d+) residual copies: --full lists them/); // the summary alone by default
    expect(summary).not.toContain('nightly');
    const full = cli('report', '--policy', policyId, '--full');
    expect(full.out).toContain('nightly');
    expect(full.out).toMatch(/residual copies 1–(\d+) of \1, oldest first/);
    const fullJson = Report.parse(JSON.parse(cli('report', '--policy', policyId, '--full', '--json').out));
    expect(fullJson.residualCopies.copies).toHaveLength(fullJson.residualCopies.total);
    expect(fullJson.residualCopies.truncated).toBe(false);
    const onePage = Report.parse(JSON.parse(cli('report', '--policy', policyId, '--limit', '1', '--json').out));
    expect(onePage.residualCopies.copies).toHaveLength(1);
    expect(onePage.residualCopies.truncated).toBe(onePage.residualCopies.total > 1);
    expect(cli('alerts', '--policy', policyId, '--fail-on-open').code).toBe(3);
    // A page, with the true total and where the next page starts; --all fetches every page.
    const paged = cli('alerts', '--policy', policyId, '--limit', '1');
    expect(paged.out).toContain('alerts 1–1 of 4 matching (3 open · 1 remediated over every status)'); // with sg-extract
    expect(paged.out).toContain('more: --offset 1, or --all');
    const all = AlertsResponse.parse(JSON.parse(cli('alerts', '--policy', policyId, '--limit', '1', '--all', '--json').out));
    expect(all).toMatchObject({ total: 4, truncated: false });
    expect(new Set(all.alerts.map((a) => a.alertId)).size).toBe(4);
    expect(cli('alerts', '--policy', policyId, '--search', 'legacy', '--fail-on-open').code).toBe(0); // remediated
    const cut = cli('residency', label, '--limit', '1');
    expect(cut.out).toContain('listing 1 of 5 (raise --limit');
    // A typo in a CI gate's filter fails it (it used to print "no alerts" and exit 0).
    const typo = cli('alerts', '--policy', `${policyId}x`, '--fail-on-open');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain(`policyId: no policy "${policyId}x" in the loaded policy file; known: ${policyId}`);
    expect(cli('residency', `${label}x`).code).toBe(2);
    const path = cli('paths', ns, 'profiles', backupNs, 'nightly');
    expect(path.out).toContain('3 hops');
    expect(path.out).toContain(`copy ${id(2)}`);
    expect(cli('paths', ns, 'profiles', `${run}-tool`, 'eu-west-2', '--actor').out).toContain('1 hop,');
    const node = cli('node', ns, 'legacy');
    expect(node.out).toContain(`${ns} legacy in aws us-east-1 (US) (location from event), deleted ${T(50)}`);
    expect(node.out).toContain('remediated');
    expect(cli('node', ns, 'nope').code).toBe(2);
    const bad = cli('alerts', '--status', 'closed');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/status: /);
    const unreachable = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'alerts', '--url', 'http://127.0.0.1:9'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the tracker');
  }, 60_000);

  it('emits a test event from flags, and refuses an invalid one naming the field', async () => {
    const sent = cli(
      'emit',
      'copy',
      '--from',
      `${ns}#profiles`,
      '--to',
      `${ns}#cli-copy`,
      '--to-region',
      'us-phoenix-1',
      '--to-provider',
      'oci',
      '--actor-service',
      'cli-test',
      '--actor-region',
      'us-ashburn-1',
      '--brokers',
      testKafkaBrokers.join(','),
      '--topic',
      eventsTopic,
    );
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(/^sent copy /);
    const lineage = async () =>
      LineageAnswer.parse((await get(`/api/v1/lineage?${q({ ...dataset('cli-copy'), direction: 'upstream', depth: 1 })}`)).body);
    await waitFor(
      'the emitted copy in the graph',
      () => lineage().catch(() => undefined),
      (l) => (l?.edges.length ?? 0) === 1,
    );
    const invalid = cli('emit', 'copy', '--from', `${ns}#profiles`, '--brokers', testKafkaBrokers.join(','), '--topic', eventsTopic);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('outputs');
  }, 60_000);
});
