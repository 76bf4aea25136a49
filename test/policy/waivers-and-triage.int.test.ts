import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiAlert, AlertsResponse } from '../../src/api/api-schemas.js';
import { readAlerts, waitUntilAlertsRead } from '../support/alerts-reader.js';
import { query, waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

// Waivers and triage (docs/contract.md §12) against Neo4j through Kafka and a real tracker: the Singapore
// backups are waived for a few seconds (an instant `until`), Frankfurt is not.
const run = uniqueName('waiver');
const sg = `s3://${run}-backup-sg`;
const alice = { name: 'alice', token: `${run}-alice-token` };
const SOURCE = { namespace: `pg://${run}`, name: 'profiles', provider: 'oci', region: 'us-ashburn-1', classifications: ['us-user-data'] };
const event = (n: number, operation: string, extra: object) => ({
  specVersion: '1.0',
  eventId: `${run}-${n}`,
  eventTime: new Date(Date.parse('2026-12-01T09:00:00Z') + n * 1000).toISOString(),
  operation,
  ...extra,
});
const copyTo = (n: number, to: object) => event(n, 'copy', { inputs: [SOURCE], outputs: [to] });
const SG = { namespace: sg, provider: 'aws', region: 'ap-southeast-1' };
const frankfurt = (name: string) => ({ namespace: `s3://${run}-fra`, name, provider: 'aws', region: 'eu-central-1' });

let tracker: TrackerProcess;
let eventsTopic = '';
let waiverEnds = 0;
const alertsTopic = `${run}-alerts`;
const api = (path: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${tracker.port}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${alice.token}`, ...(init.headers ?? {}) },
  });
const cli = (...args: string[]) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    env: { ...process.env, BORDERLINE_URL: `http://127.0.0.1:${tracker.port}`, BORDERLINE_API_TOKEN: alice.token, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};
const nameOf = (a: { node: { kind: string; name?: string } }) => a.node.name;
/** Waits until an alert on the dataset `name` has been read from the alerts topic. */
const alertOn = (reader: { alerts: Array<{ node: { kind: string; name?: string } }> }, name: string, what: string, timeoutMs = 30_000) =>
  waitFor(
    what,
    () => Promise.resolve(reader.alerts.map(nameOf)),
    (names) => names.includes(name),
    timeoutMs,
  );

beforeAll(async () => {
  eventsTopic = await createTestTopic(`${run}-events`, 1);
  // Long enough to start the tracker and play the first events; short enough to see it expire.
  waiverEnds = Date.now() + 60_000;
  const policy = join(tmpdir(), `${run}-policy.yaml`);
  writeFileSync(
    policy,
    `policies:
  - { id: us-user-data-residency, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }
waivers:
  - policyId: us-user-data-residency
    namespace: "${sg}"
    justification: Backups kept during the migration (SEC-142)
    approvedBy: security@example.com
    until: "${new Date(waiverEnds).toISOString()}"
`,
  );
  tracker = await TrackerProcess.create({
    BORDERLINE_POLICY: policy,
    BORDERLINE_EVENTS_TOPIC: eventsTopic,
    BORDERLINE_ALERTS_TOPIC: alertsTopic,
    BORDERLINE_DLQ_TOPIC: `${run}-dlq`,
    BORDERLINE_GROUP_ID: `${run}-group`,
    BORDERLINE_API_TOKENS: `${alice.name}:${alice.token}`,
  });
  tracker.start();
  await tracker.waitUntilHealthy();
}, 120_000);

afterAll(async () => {
  await tracker?.kill('SIGTERM');
});

describe('waivers and triage through Kafka, Neo4j and the API', () => {
  it('records a waived violation unpublished, triages it, publishes it once when the waiver ends, and never publishes one remediated meanwhile', async () => {
    const reader = await readAlerts(alertsTopic);
    try {
      await produceRaw(eventsTopic, [
        { key: 'a', value: JSON.stringify(copyTo(1, { ...SG, name: 'nightly/a' })) },
        { key: 'b', value: JSON.stringify(copyTo(2, { ...SG, name: 'nightly/b' })) },
        { key: 'c', value: JSON.stringify(event(3, 'delete', { inputs: [{ namespace: sg, name: 'nightly/b' }] })) },
        { key: 'd', value: JSON.stringify(copyTo(4, frankfurt('features'))) }, // the marker: published
      ]);
      await alertOn(reader, 'features', 'the marker alert');
      await waitUntilAlertsRead(reader, alertsTopic);
      expect(reader.alerts.map(nameOf)).toEqual(['features']); // the waived ones are not on the topic
      expect(Date.now()).toBeLessThan(waiverEnds); // (the waiver was still running: the check above meant something)

      // The API shows them, marked waived, with the waiver.
      const listed = AlertsResponse.parse(await (await api(`/alerts?namespace=${encodeURIComponent(sg)}`)).json());
      expect(listed.alerts.map((a) => [nameOf(a), a.status, a.waived]).sort()).toEqual([
        ['nightly/a', 'open', true],
        ['nightly/b', 'remediated', true],
      ]);
      const waived = listed.alerts.find((a) => nameOf(a) === 'nightly/a')!;
      expect(waived.waiver).toMatchObject({
        approvedBy: 'security@example.com',
        justification: 'Backups kept during the migration (SEC-142)',
      });

      // Triage, kept in Neo4j with who did it.
      const acked = await api(`/alerts/${waived.alertId}/triage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'acknowledged', note: 'covered by SEC-142', assignee: 'bob' }),
      });
      expect(acked.status).toBe(200);
      const fetched = ApiAlert.parse(await (await api(`/alerts/${waived.alertId}`)).json());
      expect(fetched).toMatchObject({ status: 'open', triage: { state: 'acknowledged', assignee: 'bob' } });
      expect(fetched.triage?.history).toEqual([
        expect.objectContaining({ by: 'alice', state: 'acknowledged', note: 'covered by SEC-142' }),
      ]);
      // The CLI: the history as people read it; a change without a note is refused, naming it.
      const shown = cli('triage', waived.alertId);
      expect(shown.code).toBe(0);
      expect(shown.out).toContain('waived until');
      expect(shown.out).toContain('triage: acknowledged, assigned to bob');
      expect(shown.out).toMatch(/ alice: acknowledged \(assignee bob\) — covered by SEC-142/);
      const noNote = cli('triage', waived.alertId, '--reopen');
      expect(noNote.code).toBe(2);
      expect(noNote.err).toContain('note: say why');
      expect(cli('alerts', '--triage', 'acknowledged', '--search', run).out).toMatch(/open waived ack .*nightly\/a/);
      const ackedOnly = AlertsResponse.parse(await (await api(`/alerts?triage=acknowledged&q=${run}`)).json());
      expect(ackedOnly.alerts.map(nameOf)).toEqual(['nightly/a']);

      // The waiver ends: the violation that still stands is published then (by the outbox sweep), once.
      await alertOn(reader, 'nightly/a', 'the waived alert published after its waiver', Math.max(0, waiverEnds - Date.now()) + 45_000);
      expect(Date.now()).toBeGreaterThanOrEqual(waiverEnds);
      // The remediated one settled in the same sweep, unpublished: its outbox entry is gone.
      const settled = await query<{ outbox: string | null }>(`MATCH (al:Alert {alertId: $id}) RETURN al.outbox AS outbox`, {
        id: listed.alerts.find((a) => nameOf(a) === 'nightly/b')!.alertId,
      });
      expect(settled).toEqual([{ outbox: null }]);
      await produceRaw(eventsTopic, [{ key: 'e', value: JSON.stringify(copyTo(5, frankfurt('later'))) }]);
      await alertOn(reader, 'later', 'a later marker');
      await waitUntilAlertsRead(reader, alertsTopic);
      expect(reader.alerts.map((a) => `${nameOf(a)} ${a.status}`)).toEqual(['features open', 'nightly/a open', 'later open']);
    } finally {
      await reader.stop();
    }
  }, 150_000);
});
