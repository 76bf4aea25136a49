import { buildPipeline } from '../support/build-pipeline.js';
import { describe, expect, it } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import { WAIVER_RECHECK_MS } from '../../src/ingest/hold-waived-alerts.js';
import { coveringWaiver, waiverEndFor } from '../../src/alerts/waivers.js';
import { waiverExpiresAt } from '../../src/policy/waiver-dates.js';
import type { Alert } from '../../src/policy/alert.js';
import { copyFromUs, NOW, usPolicyWithWaivers } from '../support/waiver-estate.js';

// US data may stay in OCI's US regions. The Singapore backups are waived until 12:00 (the migration);
// Frankfurt is not.
const policies = usPolicyWithWaivers(`  - policyId: us
    namespace: "s3://bk-sg*"
    name: "nightly/*"
    justification: Backups kept during the migration (SEC-142)
    approvedBy: security@example.com
    until: "2026-12-01T12:00:00Z"`);

function setup() {
  let now = NOW;
  const clock = () => now;
  const graph = new InMemoryLineageGraph(policies, { clock: () => new Date(clock()) });
  const alerts = new InMemoryMessagePublisher();
  const { pipeline, outbox } = buildPipeline({
    graph,
    alerts,
    pipeline: {
      maxEventBytes: 100_000,
    },
    outbox: { now: clock, waivedUntil: waiverEndFor(policies.waivers) },
  });
  let offset = 0;
  const play = (...events: object[]) =>
    pipeline.process(
      events.map((e) => ({
        topic: 'events',
        partition: 0,
        offset: String((offset += 1)),
        key: null,
        value: Buffer.from(JSON.stringify(e)),
        headers: {},
      })),
      { isRunning: () => true },
    );
  const published = () => alerts.sent.map((m) => JSON.parse(String(m.value)) as Alert).map((a) => `${nodeOf(a)} ${a.status}`);
  return { graph, pipeline, outbox, play, published, advance: (ms: number) => (now += ms) };
}

const nodeOf = (a: Alert) => (a.node.kind === 'dataset' ? a.node.name : a.node.service);
const copy = copyFromUs;
const SG = { namespace: 's3://bk-sg', provider: 'aws', region: 'ap-southeast-1' };
const FRA = { namespace: 's3://analytics-fra', name: 'features', provider: 'aws', region: 'eu-central-1' };

describe('waivers (docs/contract.md §12)', () => {
  it('records a waived violation without publishing it, and publishes it once when the waiver expires', async () => {
    const { graph, outbox, play, published, advance } = setup();
    await play(copy('e1', { ...SG, name: 'nightly/a' }), copy('e2', FRA));
    // The unwaived alert from the same batch is the positive signal that the batch was evaluated and published.
    expect(published()).toEqual(['features open']);
    const { alerts } = await graph.queries.alerts({ offset: 0, limit: 10 });
    expect(alerts.map(nodeOf).sort()).toEqual(['features', 'nightly/a']); // recorded, and the API shows it
    // The sweep, while the waiver holds: nothing.
    advance(30 * 60_000);
    expect(await outbox.publishPending()).toBe(0);
    expect(published()).toEqual(['features open']);
    // After 12:00 the violation still stands: published then, once.
    advance(2 * 60 * 60_000);
    expect(await outbox.publishPending()).toBe(1);
    expect(await outbox.publishPending()).toBe(0);
    expect(published()).toEqual(['features open', 'nightly/a open']);
  });

  it('publishes nothing for a waived violation that is remediated before the waiver expires', async () => {
    const { play, outbox, published, advance } = setup();
    await play(copy('e1', { ...SG, name: 'nightly/b' }));
    await play({
      specVersion: '1.0',
      eventId: 'e2',
      eventTime: '2026-12-01T09:30:00Z',
      operation: 'delete',
      inputs: [{ ...SG, name: 'nightly/b' }],
    });
    await play(copy('e3', FRA)); // the marker: published, so both earlier batches were processed
    expect(published()).toEqual(['features open']);
    advance(3 * 60 * 60_000);
    expect(await outbox.publishPending()).toBe(0);
    expect(published()).toEqual(['features open']);
  });

  it('holds a waived alert at most WAIVER_RECHECK_MS before judging the waiver again', async () => {
    const { graph, play, outbox, advance } = setup();
    await play(copy('e1', { ...SG, name: 'nightly/c' }));
    const [held] = [...(graph as unknown as { book: { records: Map<string, { claimUntil: number | null }> } }).book.records.values()];
    expect(held?.claimUntil).toBe(NOW + WAIVER_RECHECK_MS);
    advance(WAIVER_RECHECK_MS + 1);
    expect(await outbox.publishPending()).toBe(0); // judged again: still waived, held again
    expect(held?.claimUntil).toBe(NOW + 2 * WAIVER_RECHECK_MS + 1);
  });

  it('does not cover other policies, namespaces, names, or an expired waiver', () => {
    const node = { kind: 'dataset' as const, namespace: 's3://bk-sg-2', name: 'nightly/x' };
    expect(coveringWaiver(policies.waivers, 'us', node, NOW)).toBeDefined();
    expect(coveringWaiver(policies.waivers, 'eu', node, NOW)).toBeUndefined();
    expect(coveringWaiver(policies.waivers, 'us', { ...node, name: 'weekly/x' }, NOW)).toBeUndefined();
    expect(coveringWaiver(policies.waivers, 'us', { ...node, namespace: 's3://other' }, NOW)).toBeUndefined();
    expect(coveringWaiver(policies.waivers, 'us', node, Date.parse('2026-12-01T12:00:00Z'))).toBeUndefined();
    expect(coveringWaiver(policies.waivers, 'us', { kind: 'actor', service: 'bk-sg', region: 'eu-west-2' }, NOW)).toBeUndefined();
    expect(waiverExpiresAt({ until: '2027-01-31' })).toBe(Date.parse('2027-02-01T00:00:00Z')); // a date holds through its day
  });
});
