import { buildPipeline } from '../support/build-pipeline.js';
import { describe, expect, it } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import type { Alert } from '../../src/policy/alert.js';
import { summarizePlaces } from '../../src/lineage/residency-inventory.js';
import { checkEvents } from '../../src/check/check-events.js';
import { parseDataMovementEvent } from '../../src/events/parse-data-movement-event.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import {
  caseEventIds,
  caseName,
  casePrefix,
  expectApprovedPages,
  expectCaseAlerts,
  expectedLineageAsOf,
  lineageAsOfOf,
  RULES_POLICY,
  ruleCases,
  T,
} from './rule-cases.js';

const policies = new PolicyIndex(parsePolicyFile(RULES_POLICY));

/** The case's batches through the ingest pipeline into the in-memory graph, as the tracker consumes them. */
async function play(batches: object[][]) {
  const graph = new InMemoryLineageGraph(policies);
  const alerts = new InMemoryMessagePublisher();
  const { pipeline } = buildPipeline({
    graph,
    alerts,
    pipeline: {
      maxEventBytes: 1_048_576,
      enrich: (event) => policies.catalog.classify(event),
    },
  });
  let offset = 0;
  for (const batch of batches) {
    const messages = batch.map((event) => ({
      topic: 'events',
      partition: 0,
      offset: String((offset += 1)),
      key: null,
      value: Buffer.from(JSON.stringify(event)),
      headers: {},
    }));
    await pipeline.process(messages, { isRunning: () => true });
  }
  return { graph, published: alerts.sent.map((m) => JSON.parse(String(m.value)) as Alert) };
}

describe('the lineage rules on the in-memory graph (the case table)', () => {
  let run = 0;
  it.each(ruleCases((name) => `${name}-${(run += 1)}`).map((rule) => [rule.name, rule] as const))('%s', async (_name, rule) => {
    const p = casePrefix(rule);
    const { graph, published } = await play(rule.batches);
    expectCaseAlerts(rule, p, published, caseEventIds(rule));
    const states = new Map<string, number>();
    for (const a of published) states.set(`${a.alertId}/${a.status}`, (states.get(`${a.alertId}/${a.status}`) ?? 0) + 1);
    expect(
      [...states.values()].every((n) => n === 1),
      'each (alertId, status) published once',
    ).toBe(true);
    for (const [label, holders] of Object.entries(rule.residency ?? {})) {
      const { holdings } = await graph.queries.residency(label, 1_000);
      expect(holdings.map((h) => caseName(h.node, p)).sort()).toEqual([...holders].sort());
      for (const h of holdings) expect(h.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    for (const label of Object.keys(rule.residency ?? {})) {
      const [all, places] = await Promise.all([graph.queries.residency(label, 1_000), graph.queries.residencyPlaces(label)]);
      expect(places.places, 'the places summary counts the holdings').toEqual(summarizePlaces(all.holdings));
      expect(places.total).toBe(all.total);
      await expectApprovedPages(all.holdings, (approved) => graph.queries.residency(label, 1, { approved }));
    }
    for (const { at, label, holders } of rule.residencyAsOf ?? []) {
      const answer = await graph.queries.residency(label, 1_000, undefined, Date.parse(T(at)));
      expect(answer.holdings.map((h) => caseName(h.node, p)).sort(), `${label} as of T(${at})`).toEqual([...holders].sort());
      expect(answer.asOf).toBe(T(at));
    }
    for (const expected of rule.lineageAsOf ?? []) {
      const answer = await graph.queries.lineage(
        { namespace: `pg://${p}`, name: expected.from, direction: 'both', depth: 5, asOf: Date.parse(T(expected.at)) },
        { maxNodes: 1_000, maxEdges: 1_000 },
      );
      expect(answer && lineageAsOfOf(answer, p), `lineage as of T(${expected.at})`).toEqual(expectedLineageAsOf(expected));
    }
  });
});

describe('the lineage rules in `borderline check` (the case table, offline)', () => {
  let run = 0;
  it.each(ruleCases((name) => `${name}-check-${(run += 1)}`).map((rule) => [rule.name, rule] as const))('%s', async (_name, rule) => {
    const p = casePrefix(rule);
    const events = rule.batches.flat().map((e) => {
      const parsed = parseDataMovementEvent(e);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return parsed.event;
    });
    const { published } = await checkEvents(events, [], policies);
    expectCaseAlerts(rule, p, published, caseEventIds(rule));
  });
});

describe('`borderline check` applies events in eventTime order, ties in the order given', () => {
  const copy = (iso: string, id: string, from: string, to = 'c') => ({
    specVersion: '1.0' as const,
    eventId: id,
    eventTime: iso,
    operation: 'copy' as const,
    inputs: [{ namespace: 'pg://us', name: from, provider: 'oci', region: 'us-ashburn-1', classifications: ['us-user-data'] }],
    outputs: [{ namespace: 's3://sg', name: to, provider: 'aws', region: 'ap-southeast-1' }],
  });
  const first = copy('2026-11-22T10:00:00.000Z', 'from-a', 'a');
  const tie = copy('2026-11-22T10:00:00.000Z', 'from-b', 'b');
  const earlier = copy('2026-11-22T09:59:59.000Z', 'from-d', 'd');
  const check = (events: Parameters<typeof checkEvents>[0]) => checkEvents(events, [], policies, { chunk: 1 });
  const witness = async (events: Parameters<typeof checkEvents>[0]) =>
    (await check(events)).alerts.find((a) => a.node.kind === 'dataset' && a.node.name === 'c')?.eventIds;

  it('publishes the alerts of earlier events first, wherever the files put them (one per policy violated)', async () => {
    const { published } = await check([
      copy('2026-11-22T10:05:00.000Z', 'late', 'a', 'x'),
      copy('2026-11-22T10:00:00.000Z', 'early', 'a', 'y'),
    ]);
    expect(published.filter((a) => a.node.kind === 'dataset' && a.node.namespace === 's3://sg').map((a) => a.eventIds.at(-1))).toEqual([
      'early',
      'early',
      'late',
      'late',
    ]);
  });

  it('gives the witness of the earliest arrival, and of two at the same time the one listed first', async () => {
    expect(await witness([first, tie])).toEqual(['from-a']);
    expect(await witness([tie, first])).toEqual(['from-b']);
    expect(await witness([first, tie, earlier])).toEqual(['from-d']);
  });
});
