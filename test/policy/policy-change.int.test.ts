import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { checkEvents } from '../../src/check/check-events.js';
import { DataMovementEvent } from '../../src/events/data-movement-event.js';
import type { Alert } from '../../src/policy/alert.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import { readAlerts, waitUntilAlertsRead } from '../support/alerts-reader.js';
import { waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic, waitUntilConsumed } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';
import { borderline } from '../support/run-borderline.js';

// A policy change re-judges what was consumed (docs/contract.md §13), against Kafka, Neo4j and real
// tracker processes: a graph built under policy A, then the tracker restarted under B — Phoenix
// dropped and Singapore allowed, a label newly protected, a store re-catalogued, a namespace newly
// classified. Afterwards the open alerts are those the in-memory engine finds for B on the same
// events; what A alerted and B allows is remediated by policy.
const run = uniqueName('policy-change');
const US = `${run}-us`;
const NEW = `${run}-new`;
const legacy = `nfs://${run}-legacy`;
const catalogued = `s3://${run}-cat`;
const home = { namespace: `pg://${run}`, name: 'profiles', provider: 'oci', region: 'us-ashburn-1' };
const place = (name: string, provider: string, region: string) => ({ namespace: `s3://${run}-${region}`, name, provider, region });
const phoenix = place('replica', 'oci', 'us-phoenix-1');
const singapore = place('backup', 'aws', 'ap-southeast-1');
const ireland = place('new-copy', 'aws', 'eu-west-1');

let n = 0;
const event = (operation: string, extra: object) =>
  DataMovementEvent.parse({
    specVersion: '1.0',
    eventId: `${run}-${++n}`,
    eventTime: new Date(Date.parse('2026-12-01T09:00:00Z') + n * 60_000).toISOString(),
    operation,
    ...extra,
  });

// The standard test policy stays in both (the shared test graph keeps its verdicts); the run's own
// policies are what changes.
const standard = `  - { id: us-user-data-residency, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }`;
const POLICY_A = `policies:
${standard}
  - { id: ${run}-residency, classifications: [${US}], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }
stores:
  - { namespace: "${legacy}", provider: oci, region: us-ashburn-1 }
`;
const POLICY_B = `policies:
${standard}
  - { id: ${run}-residency, classifications: [${US}], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1] }, { provider: aws, regions: [ap-southeast-1] }] }
  - { id: ${run}-new-residency, classifications: [${NEW}], severity: high, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }
stores:
  - { namespace: "${legacy}", provider: aws, region: eu-central-1 }
classify:
  - { namespace: "${catalogued}", classifications: [${US}] }
`;

/** C: Phoenix allowed again, Singapore no more (the Singapore alert B remediated opens again). */
const POLICY_C = POLICY_B.replace(
  `allowed: [{ provider: oci, regions: [us-ashburn-1] }, { provider: aws, regions: [ap-southeast-1] }]`,
  `allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }]`,
);
/** B with a misspelt region: refused on SIGHUP, naming the line and the key. */
const POLICY_TYPO = POLICY_B.replace('regions: [us-ashburn-1] }, { provider: aws', 'regions: [us-ashbrun-1] }, { provider: aws');

const events = [
  event('copy', { inputs: [{ ...home, classifications: [US, NEW] }], outputs: [phoenix] }),
  event('copy', { inputs: [home], outputs: [singapore] }),
  event('copy', { inputs: [home], outputs: [ireland] }),
  event('copy', { inputs: [home], outputs: [{ namespace: legacy, name: 'dump' }] }),
  event('copy', {
    inputs: [{ namespace: `pg://${run}`, name: 'clicks', provider: 'oci', region: 'us-ashburn-1' }],
    outputs: [{ namespace: catalogued, name: 'clicks', provider: 'aws', region: 'us-east-1' }],
  }),
];
/** Consumed while the tracker is down, so after the re-evaluation: judged under B only. */
const later = event('copy', { inputs: [home], outputs: [place('replica-2', 'oci', 'us-phoenix-1')] });

const ofRun = (a: Alert) => (a.node.kind === 'dataset' ? a.node.namespace.includes(run) : a.node.service.includes(run));
/** The last state of each of the run's alerts, by id. */
const lastStates = (alerts: readonly Alert[]) => new Map(alerts.filter(ofRun).map((a) => [a.alertId, a]));

const nameOf = (a: Alert) => (a.node.kind === 'dataset' ? a.node.name : a.node.service);
/** Alerts as "status policy node", the run's two policies as us and new, sorted. */
const describe = (alerts: Iterable<Alert>) =>
  [...alerts].map((a) => `${a.status} ${a.policyId === `${run}-residency` ? 'us' : 'new'} ${nameOf(a)}`).sort();

const writePolicy = (name: string, text: string) => {
  const path = join(tmpdir(), `${run}-${name}.yaml`);
  writeFileSync(path, text);
  return path;
};

/** The policy file of the last tracker: rewritten, then SIGHUP. */
const livePolicy = join(tmpdir(), `${run}-live.yaml`);
writeFileSync(livePolicy, POLICY_B);

let eventsTopic = '';
let alertsTopic = '';
let reader: Awaited<ReturnType<typeof readAlerts>>;
let tracker: TrackerProcess | undefined;

const startTracker = async (policy: string) => {
  tracker = await TrackerProcess.create({
    BORDERLINE_POLICY: policy,
    BORDERLINE_EVENTS_TOPIC: eventsTopic,
    BORDERLINE_ALERTS_TOPIC: alertsTopic,
    BORDERLINE_DLQ_TOPIC: `${run}-dlq`,
    BORDERLINE_GROUP_ID: `${run}-group`,
    BORDERLINE_POLICY_REEVALUATION: 'on-change',
  });
  tracker.start();
  // The first start under a policy re-judges the whole shared test graph.
  await tracker.waitUntilHealthy(240_000);
  return tracker;
};
/** Every event sent, in order: what the reference evaluates. */
const sent: DataMovementEvent[] = [];
const send = async (list: readonly DataMovementEvent[]) => {
  sent.push(...list);
  await produceRaw(
    eventsTopic,
    list.map((e) => ({ key: e.eventId, value: JSON.stringify(e) })),
  );
};

beforeAll(async () => {
  eventsTopic = await createTestTopic(`${run}-events`, 1);
  alertsTopic = await createTestTopic(`${run}-alerts`, 1);
  reader = await readAlerts(alertsTopic);
}, 60_000);

afterAll(async () => {
  await tracker?.kill('SIGTERM');
  await reader?.stop();
});

suite('a policy change re-judges the graph (docs/contract.md §13)', () => {
  it('under A: the Singapore copy is alerted, Phoenix and the unprotected label are not', async () => {
    await startTracker(writePolicy('a', POLICY_A));
    await send(events);
    await waitUntilConsumed(`${run}-group`, eventsTopic);
    await waitFor(
      'the Singapore and Ireland alerts',
      () => Promise.resolve([...lastStates(reader.alerts).values()]),
      (alerts) => alerts.length >= 2,
    );
    await waitUntilAlertsRead(reader, alertsTopic);
    expect(describe(lastStates(reader.alerts).values())).toEqual(['open us backup', 'open us new-copy']);
    await tracker!.kill('SIGTERM');
  }, 300_000);

  it('under B: equals a fresh evaluation under B; what B allows is remediated by policy; a later event is judged under B', async () => {
    await send([later]);
    const policyB = writePolicy('b', POLICY_B);
    const before = reader.alerts.length;
    await startTracker(policyB);
    expect(tracker!.output.join('\n')).toMatch(/graph re-evaluated/);
    await waitUntilConsumed(`${run}-group`, eventsTopic);
    const reference = await checkEvents(sent, [], new PolicyIndex(parsePolicyFile(POLICY_B)));
    const expectedOpen = reference.alerts
      .filter((a) => a.status === 'open')
      .map((a) => a.alertId)
      .sort();
    // Both labels at both Phoenix replicas, in Ireland and at the legacy dump; the new label in Singapore; the catalogued copy.
    expect(describe(reference.alerts)).toEqual([
      'open new backup',
      'open new dump',
      'open new new-copy',
      'open new replica',
      'open new replica-2',
      'open us clicks',
      'open us dump',
      'open us new-copy',
      'open us replica',
      'open us replica-2',
    ]);
    await waitFor(
      'the alerts of B',
      async () => {
        await waitUntilAlertsRead(reader, alertsTopic);
        return [...lastStates(reader.alerts).values()]
          .filter((a) => a.status === 'open')
          .map((a) => a.alertId)
          .sort();
      },
      (open) => open.join() === expectedOpen.join(),
      120_000,
    );
    const final = lastStates(reader.alerts);
    expect(
      [...final.values()]
        .filter((a) => a.status === 'open')
        .map((a) => a.alertId)
        .sort(),
    ).toEqual(expectedOpen);
    const remediated = [...final.values()].filter((a) => a.status === 'remediated');
    expect(remediated.map((a) => [nameOf(a), a.policyId, a.remediatedBy])).toEqual([['backup', `${run}-residency`, 'policy']]);
    // Each state of the change published once.
    const published = reader.alerts
      .slice(before)
      .filter(ofRun)
      .map((a) => `${a.alertId} ${a.status}`);
    expect(new Set(published).size).toBe(published.length);
    await tracker!.kill('SIGTERM');
  }, 300_000);

  it('a restart with the same policy re-judges nothing and publishes nothing again', async () => {
    const published = reader.alerts.length;
    await startTracker(livePolicy);
    expect(tracker!.output.join('\n')).toMatch(/policy unchanged since the graph was last judged/);
    // A marker: its alert is the positive signal that whatever the start published has been read.
    await send([event('copy', { inputs: [home], outputs: [place('marker', 'aws', 'eu-west-2')] })]);
    await waitFor(
      'the marker alert',
      () => Promise.resolve(reader.alerts.slice(published)),
      (alerts) => alerts.some((a) => a.node.kind === 'dataset' && a.node.name === 'marker'),
    );
    await waitUntilAlertsRead(reader, alertsTopic);
    expect(describe(reader.alerts.slice(published))).toEqual(['open new marker', 'open us marker']);
  }, 300_000);

  it('SIGHUP with an invalid policy changes nothing and says why (file, line, key)', async () => {
    const from = tracker!.output.length;
    const published = reader.alerts.length;
    writeFileSync(livePolicy, POLICY_TYPO);
    tracker!.signal('SIGHUP');
    const line = await tracker!.logged(/the policy file is not valid/, from);
    expect(line).toContain(livePolicy);
    expect(line).toMatch(/:3: policies\[1\]\.allowed\[0\]\.regions\[0\]: unknown region .*us-ashbrun-1/);
    // Still consuming under B: a copy to Singapore raises only the new label's alert.
    await send([event('copy', { inputs: [home], outputs: [place('still-b', 'aws', 'ap-southeast-1')] })]);
    await waitFor(
      'the still-b alert',
      () => Promise.resolve(reader.alerts.slice(published)),
      (alerts) => alerts.some((a) => nameOf(a) === 'still-b'),
    );
    await waitUntilAlertsRead(reader, alertsTopic);
    expect(describe(reader.alerts.slice(published))).toEqual(['open new still-b']);
    expect(tracker!.output.slice(from).join('\n')).not.toMatch(/re-evaluat/);
  }, 120_000);

  it('SIGHUP with a changed policy re-judges the graph in place: it equals a fresh evaluation under the new policy', async () => {
    const from = tracker!.output.length;
    const published = reader.alerts.length;
    writeFileSync(livePolicy, POLICY_C);
    tracker!.signal('SIGHUP');
    // Sent once the tracker consumes under C, while it re-judges the graph: judged under C (Phoenix
    // allowed: only the new label's alert).
    await tracker!.logged(/"msg":"consuming"/, from, 60_000);
    await send([event('copy', { inputs: [home], outputs: [place('replica-3', 'oci', 'us-phoenix-1')] })]);
    await tracker!.logged(/graph re-evaluated/, from, 240_000);
    await tracker!.waitUntilHealthy(60_000);
    const reference = await checkEvents(sent, [], new PolicyIndex(parsePolicyFile(POLICY_C)));
    const expectedOpen = reference.alerts.map((a) => a.alertId).sort();
    const openNow = async () => {
      await waitUntilAlertsRead(reader, alertsTopic);
      return [...lastStates(reader.alerts).values()]
        .filter((a) => a.status === 'open')
        .map((a) => a.alertId)
        .sort();
    };
    await waitFor('the alerts of C', openNow, (open) => open.join() === expectedOpen.join(), 120_000);
    expect(await openNow()).toEqual(expectedOpen);
    // Phoenix allowed again: both replicas' alerts of the run's US policy remediated by policy; Singapore's opened again.
    expect(describe(reader.alerts.slice(published).filter(ofRun)).filter((s) => s.includes('replica-3'))).toEqual(['open new replica-3']);
    expect(describe(reader.alerts.slice(published).filter(ofRun)).filter((s) => s.includes(' us '))).toEqual([
      'open us backup',
      'open us still-b',
      'remediated us replica',
      'remediated us replica-2',
    ]);
  }, 300_000);

  it('policy apply --dry-run prints what would change and changes nothing; apply then makes it so', async () => {
    // D is B again: Singapore allowed (its two alerts of the run's US policy remediated), Phoenix not
    // (its two alerts opened again, and the third replica, copied under C, alerted for the first time).
    const policyD = writePolicy('d', POLICY_B);
    const url = `http://127.0.0.1:${tracker!.port}`;
    const status = async () =>
      (await (await fetch(`${url}/api/v1/policy`)).json()) as { fingerprint: string; judged: { fingerprint: string } };
    const before = await status();
    const published = reader.alerts.length;
    const dry = await borderline('policy', 'apply', policyD, '--dry-run', '--url', url);
    expect(dry.stderr).toBe('');
    expect(dry.stdout, dry.stdout).toContain('would change the graph');
    expect(dry.stdout, dry.stdout).toMatch(/alerts {4}\+1 to open, 2 to open again, −2 to remediate \(by policy\)/);
    const json = JSON.parse((await borderline('policy', 'apply', policyD, '--dry-run', '--json', '--url', url)).stdout) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({ dryRun: true, opened: 1, reopened: 2, remediated: 2, holdingsGained: 0, holdingsDropped: 0 });
    expect(await status()).toEqual(before);

    const invalid = await borderline('policy', 'apply', writePolicy('typo', POLICY_TYPO), '--url', url);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/:3: policies\[1\]\.allowed\[0\]\.regions\[0\]: unknown region "us-ashbrun-1"/);

    const from = tracker!.output.length;
    const applied = await borderline('policy', 'apply', policyD, '--url', url);
    expect(applied.stdout).toContain('applied');
    await tracker!.logged(/graph re-evaluated/, from, 240_000);
    await tracker!.waitUntilHealthy(60_000);
    expect((await status()).judged.fingerprint).toBe(json.fingerprint);
    // The report says which policy judged it.
    const report = (await (await fetch(`${url}/api/v1/report`)).json()) as { judgedBy: { fingerprint: string; judgedAt: string | null } };
    expect(report.judgedBy.fingerprint).toBe(json.fingerprint);
    expect(report.judgedBy.judgedAt).not.toBeNull();
    const page = await (await fetch(`${url}/api/v1/report?format=html`)).text();
    expect(page).toContain(`under policy ${String(json.fingerprint).slice(0, 12)}`);
    // Only what apply changed was published: the dry runs published nothing.
    await waitFor(
      'the remediations of D',
      async () => {
        await waitUntilAlertsRead(reader, alertsTopic);
        return describe(reader.alerts.slice(published).filter(ofRun));
      },
      (states) => states.length >= 5,
    );
    expect(describe(reader.alerts.slice(published).filter(ofRun))).toEqual([
      'open us replica',
      'open us replica-2',
      'open us replica-3',
      'remediated us backup',
      'remediated us still-b',
    ]);
  }, 300_000);
});
