import { constants } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { borderline } from '../support/run-borderline.js';
import { checkEvents } from '../../src/check/check-events.js';
import { readEventFiles } from '../../src/check/read-event-files.js';
import { writeAlertsJson } from '../../src/cli/commands/check.js';
import { Alert } from '../../src/policy/alert.js';
import { loadPolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';

const estate = 'examples/check/current-estate.ndjson';
const change = 'examples/check/nightly-backup-change.ndjson';
const airflow = 'examples/check/airflow-export.json';

describe('borderline check', () => {
  it('exits 0 when the events raise no open alert, with nothing running', async () => {
    const result = await borderline('check', '--policy', 'examples/policy.yaml', '--events', estate);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('2 events (2 native, 0 OpenLineage) from 1 file: no alert');
    expect(result.status).toBe(0);
  });

  it('exits 3 when a pipeline change would move US data abroad, printing the witness path hop by hop', async () => {
    const result = await borderline('check', '--policy', 'examples/policy.yaml', '--events', estate, change);
    expect(result.status).toBe(3);
    expect(result.stdout).toContain(
      [
        'OPEN critical us-user-data-residency: us-user-data at s3://tt-backup-sg nightly/profiles @ aws ap-southeast-1 (unapproved-location, 2026-11-21T01:00:00Z)',
        '      postgres://users-db public.profiles @ oci us-ashburn-1  origin',
        '    → postgres://users-replica public.profiles @ oci us-phoenix-1  via estate-1',
        '    → s3://tt-backup-sg nightly/profiles @ aws ap-southeast-1  via change-1',
      ].join('\n'),
    );
    expect(result.stdout).toContain('3 events (3 native, 0 OpenLineage) from 2 files: 1 alert: 1 open, 0 remediated');
  });

  it("reads OpenLineage RunEvents in a JSON array through the tracker's mapping, and prints Alert objects with --json", async () => {
    const result = await borderline('check', '--policy', 'examples/policy.yaml', '--events', airflow, '--json');
    expect(result.status).toBe(3);
    const { alerts } = JSON.parse(result.stdout) as { alerts: unknown[] };
    expect(alerts).toHaveLength(1);
    const alert = Alert.parse(alerts[0]);
    expect(alert).toMatchObject({
      status: 'open',
      policyId: 'us-user-data-residency',
      node: { namespace: 'bigquery', name: 'analytics-eu.billing.invoices', region: 'europe-west1' },
    });
    expect(alert.path.map((n) => (n.kind === 'dataset' ? n.name : n.service))).toEqual([
      'billing.invoices',
      'analytics-eu.billing.invoices',
    ]);
  });

  it('exits 3 no more once a delete remediates the copy', async () => {
    const path = join(tmpdir(), `check-delete-${process.pid}.ndjson`);
    writeFileSync(
      path,
      `${JSON.stringify({ specVersion: '1.0', eventId: 'cleanup-1', eventTime: '2026-11-22T00:00:00Z', operation: 'delete', inputs: [{ namespace: 's3://tt-backup-sg', name: 'nightly/profiles' }] })}\n`,
    );
    const result = await borderline('check', '--policy', 'examples/policy.yaml', '--events', estate, change, path);
    expect(result.stdout).toContain('1 alert: 0 open, 1 remediated');
    expect(result.status).toBe(0);
  });

  it('shows a violation an unexpired waiver covers as waived, and passes (docs/contract.md §12); an expired waiver covers nothing', async () => {
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const withWaiver = (until: string) => {
      const path = join(tmpdir(), `check-waiver-${process.pid}-${until}.yaml`);
      writeFileSync(
        path,
        `${readFileSync('examples/policy.yaml', 'utf8')}
waivers:
  - policyId: us-user-data-residency
    namespace: "s3://tt-backup-sg"
    name: "nightly/*"
    justification: "Backups kept 30 days during the migration (ticket SEC-142)"
    approvedBy: security@example.com
    until: "${until}"
`,
      );
      return path;
    };
    const waived = await borderline('check', '--policy', withWaiver(day(30)), '--events', estate, change);
    expect(waived.stdout).toContain('WAIVED critical us-user-data-residency: us-user-data at s3://tt-backup-sg nightly/profiles');
    expect(waived.stdout).toContain(
      `    waived until ${day(30)}: Backups kept 30 days during the migration (ticket SEC-142) (approved by security@example.com)`,
    );
    expect(waived.stdout).toContain('1 alert: 1 open (1 waived), 0 remediated');
    expect(waived.status).toBe(0);
    const json = JSON.parse((await borderline('check', '--policy', withWaiver(day(30)), '--events', estate, change, '--json')).stdout) as {
      alerts: Array<{ status: string; waived?: boolean; waiver?: { until: string } }>;
    };
    expect(json.alerts).toMatchObject([{ status: 'open', waived: true, waiver: { until: day(30) } }]);
    const expired = await borderline('check', '--policy', withWaiver(day(-2)), '--events', estate, change);
    expect(expired.stderr).toContain(`warning: waivers[0] (us-user-data-residency) expired on ${day(-2)}: it covers nothing`);
    expect(expired.stdout).toContain('OPEN critical us-user-data-residency');
    expect(expired.status).toBe(3);
  }, 30_000);

  it('exits 2 naming the file, line and field of every bad event, in NDJSON and in JSON arrays, and evaluates nothing', async () => {
    const ndjson = join(tmpdir(), `check-bad-${process.pid}.ndjson`);
    writeFileSync(
      ndjson,
      `${JSON.stringify({ specVersion: '1.0', eventId: 'ok', eventTime: '2026-11-22T00:00:00Z', operation: 'delete', inputs: [{ namespace: 'a', name: 'b' }] })}\n\n{"specVersion":"1.0","eventId":"x","eventTime":"yesterday","operation":"copy","inputs":[{"namespace":"a","name":"b"}],"outputs":[{"namespace":"c","name":"d"}]}\nnot json\n`,
    );
    const array = join(tmpdir(), `check-bad-${process.pid}.json`);
    writeFileSync(
      array,
      '[\n  {"specVersion": "1.0", "eventId": "a1", "eventTime": "2026-11-22T00:00:00Z", "operation": "copy",\n   "inputs": [{"namespace": "a", "name": "b"}], "outputs": []},\n  {"eventType": "COMPLETE", "run": {}, "job": {"namespace": "j", "name": "n"}}\n]\n',
    );
    const result = await borderline('check', '--policy', 'examples/policy.yaml', '--events', ndjson, array);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${ndjson}:3: eventTime:`);
    expect(result.stderr).toContain(`${ndjson}:4: not JSON`);
    expect(result.stderr).toContain(`${array}:2: outputs:`);
    expect(result.stderr).toMatch(new RegExp(`${array.replace(/[.]/g, '\\.')}:4: read as OpenLineage RunEvent: .*run\\.runId`));
  });
});

describe('borderline check --json, written an alert at a time', () => {
  it('writes exactly what JSON.stringify writes of the whole (none, one, several alerts; a line break inside a string)', async () => {
    const policies = new PolicyIndex(loadPolicyFile('examples/policy.yaml'));
    const { events, datasets } = readEventFiles([estate, change, airflow], policies.knownLabels);
    const { alerts } = await checkEvents(events, datasets, policies);
    expect(alerts.length).toBeGreaterThan(1);
    const broken: Alert = { ...alerts[0]!, policyId: 'one\ntwo' };
    for (const list of [[], alerts.slice(0, 1), alerts, [broken, ...alerts]]) {
      let text = '';
      writeAlertsJson(list, (piece) => (text += piece));
      expect(text).toBe(`${JSON.stringify({ alerts: list }, null, 2)}\n`);
    }
  });

  it('writes more than one string can hold (what JSON.stringify of the whole cannot)', async () => {
    const policies = new PolicyIndex(loadPolicyFile('examples/policy.yaml'));
    const { alerts } = await checkEvents(readEventFiles([estate, change], policies.knownLabels).events, [], policies);
    const big: Alert = { ...alerts[0]!, policyId: 'p'.repeat(1 << 20) };
    const many = Array.from({ length: Math.ceil(constants.MAX_STRING_LENGTH / (1 << 20)) + 1 }, () => big);
    let written = 0;
    writeAlertsJson(many, (piece) => (written += piece.length));
    expect(written).toBeGreaterThan(constants.MAX_STRING_LENGTH);
    expect(() => JSON.stringify({ alerts: many })).toThrow(RangeError);
  }, 60_000);
});

describe('borderline output into a pipe that closes early', () => {
  it('ends quietly (exit 0, no stack trace) when the reader stops reading, as `| head` does', async () => {
    const { spawn } = await import('node:child_process');
    const path = join(tmpdir(), `check-many-${process.pid}.ndjson`);
    const leak = (i: number) =>
      JSON.stringify({
        specVersion: '1.0',
        eventId: `many-${i}`,
        eventTime: '2026-11-22T00:00:00Z',
        operation: 'copy',
        inputs: [
          { namespace: 'postgres://users-db', name: `t${i}`, region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] },
        ],
        outputs: [{ namespace: 's3://tt-backup-sg', name: `t${i}` }],
      });
    writeFileSync(path, `${Array.from({ length: 3000 }, (_, i) => leak(i)).join('\n')}\n`);
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'check',
      '--policy',
      'examples/policy.yaml',
      '--events',
      path,
      '--json',
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // read the first chunk, then hang up
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 60_000);
});

describe('borderline --url', () => {
  it('says so when the URL has no scheme (exit 2), instead of failing to connect', async () => {
    const result = await borderline('alerts', '--url', 'localhost:8080');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--url (or BORDERLINE_URL) must start with http:// or https://, e.g. http://localhost:8080; got "localhost:8080"',
    );
  });
});
