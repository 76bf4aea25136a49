import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/policy/alert.js';
import { query } from '../support/graph-queries.js';
import { freePort } from '../support/tracker-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run demo -- --once` exactly as CI and a newcomer would, and returns its exit code and output. */
async function demoOnce(port: number, extra: string[] = []): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', 'demo', '--', '--once', '--port', String(port), '--pause', '100', ...extra], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

/** What a failed demo run said that matters, first: its own verdict or error line, then its last lines (a CI log keeps one line). */
function whyItFailed(output: string): string {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const verdict = lines.filter((l) => /not as expected|Error|error:|exited|did not|answered \d{3}/.test(l));
  return [...verdict, '--- last lines:', ...lines.slice(-15)].join('\n');
}

describe('npm run demo -- --once', () => {
  it('tells the story: the expected alerts appear, and Virginia and Singapore end remediated', async () => {
    const { code, output } = await demoOnce(await freePort());
    expect(code, whyItFailed(output)).toBe(0);
    const alertLines = output.split('\n').filter((line) => line.includes('ALERT'));
    const opened = (node: string) => alertLines.some((l) => l.includes('ALERT open') && l.includes(node));
    const remediated = (node: string) => alertLines.some((l) => l.includes('ALERT remediated') && l.includes(node));
    expect(opened('postgres://legacy-va-dc1 users in aws us-east-1')).toBe(true);
    expect(opened('s3://tt-backup-sg nightly/profiles.parquet in aws ap-southeast-1')).toBe(true);
    expect(opened('s3://analytics-fra user_features in aws eu-central-1')).toBe(true);
    expect(opened('admin-console (actor) in aws eu-west-2')).toBe(true);
    expect(opened('eu-personal-data-residency [high] s3://crm-exports-us members.csv')).toBe(true);
    // An OpenLineage job with no Borderline code, reading a table only the policy's catalog labels.
    expect(opened('bigquery tt-analytics.eu_exports.billing in gcp europe-west1')).toBe(true);
    expect(remediated('postgres://legacy-va-dc1 users')).toBe(true);
    expect(remediated('s3://tt-backup-sg nightly/profiles.parquet')).toBe(true);
    expect(output).not.toMatch(/ALERT open .*daily_signups_anonymised/); // the anonymised aggregate may leave
    expect(output).not.toMatch(/ALERT open .*eu-backup-ie/); // EU data backed up in Ireland stays in the EU
    expect(output).toContain('the story ended as expected');

    // The Singapore alert's witness path goes through the Virginia data centre, placed by the store catalog.
    const rows = await query<{ payload: string }>(
      `MATCH (al:Alert) WHERE al.payload CONTAINS 'tt-backup-sg' AND al.policyId = 'us-user-data-residency' RETURN al.payload AS payload`,
    );
    const alert = JSON.parse(rows?.[0]?.payload ?? '{}') as Alert;
    expect(alert.path.map((n) => (n.kind === 'dataset' ? `${n.name}@${n.region ?? '?'}` : n.service))).toEqual([
      'signup-events@us-ashburn-1',
      'public.profiles@us-ashburn-1',
      'public.profiles@us-phoenix-1',
      'users@us-east-1',
      'nightly/profiles.parquet@ap-southeast-1',
    ]);
    expect(alert.traceIds).toHaveLength(4); // every hop was emitted inside a traced span
  }, 300_000);

  it('tells the same story when the backup job and the admin console report only through an OpenTelemetry Collector', async () => {
    const { code, output } = await demoOnce(await freePort(), ['--with-collector']);
    expect(code, whyItFailed(output)).toBe(0);
    expect(output).toMatch(/backup-job.* \(a span through the Collector, copy otel-/);
    expect(output).toMatch(/admin-console.* \(a database span through the Collector, access otel-/);
    const opened = (node: string) => output.split('\n').some((l) => l.includes('ALERT open') && l.includes(node));
    expect(opened('s3://tt-backup-sg nightly/profiles.parquet in aws ap-southeast-1')).toBe(true);
    expect(opened('admin-console (actor) in aws eu-west-2')).toBe(true);
    expect(output).toContain('the story ended as expected');

    // The console's read reached the graph as a database span: its alert's path starts at the table as database clients name it.
    const rows = await query<{ payload: string }>(
      `MATCH (al:Alert) WHERE al.payload CONTAINS '"service":"admin-console"' AND al.policyId = 'us-user-data-residency' RETURN al.payload AS payload`,
    );
    const alert = JSON.parse(rows?.[0]?.payload ?? '{}') as Alert;
    expect(alert.path[0]).toMatchObject({ kind: 'dataset', namespace: 'postgres://users-db:5432', name: 'users.public.profiles' });
    expect(alert.eventIds[0]).toMatch(/^otel-[0-9a-f]{32}-[0-9a-f]{16}$/);
  }, 300_000);
});
