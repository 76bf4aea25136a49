import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/policy/alert.js';
import type { LineageAnswer, ResidencyPlacesAnswer, ResidencyAnswer } from '../../src/api/api-schemas.js';
import { summarizePlaces } from '../../src/lineage/residency-inventory.js';
import { readAlerts } from '../support/alerts-reader.js';
import { countEvents, waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';
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
  type RuleCase,
} from './rule-cases.js';

// The case table of rule-cases.ts against Neo4j, through Kafka and a real tracker process. One
// partition for the events and one for the alerts: a marker event sent after a case is consumed after
// it, and its alert read after the case's — the positive signal that every alert the case would
// raise has been read, so "and no other alert" is asserted without waiting for a timeout.

const run = uniqueName('rules');
const topics = { events: '', alerts: '' };
let received: Alert[] = [];
let tracker: TrackerProcess;
let stopReader: (() => Promise<void>) | undefined;
let markers = 0;

beforeAll(async () => {
  topics.events = await createTestTopic(`${run}-events`, 1);
  topics.alerts = await createTestTopic(`${run}-alerts`, 1);
  const policyFile = join(tmpdir(), `${run}-policy.yaml`);
  writeFileSync(policyFile, RULES_POLICY);
  tracker = await TrackerProcess.create({
    BORDERLINE_POLICY: policyFile,
    BORDERLINE_EVENTS_TOPIC: topics.events,
    BORDERLINE_ALERTS_TOPIC: topics.alerts,
    BORDERLINE_DLQ_TOPIC: `${run}-dlq`,
    BORDERLINE_GROUP_ID: `${run}-group`,
  });
  tracker.start();
  await tracker.waitUntilHealthy();
  const reader = await readAlerts(topics.alerts);
  received = reader.alerts;
  stopReader = reader.stop;
}, 120_000);

afterAll(async () => {
  await stopReader?.();
  await tracker?.kill('SIGTERM');
});

/** Sends each batch and waits until the tracker has written its events (a batch's events land in one consumer batch or more). */
async function deliver(rule: RuleCase, p: string): Promise<void> {
  const written = new Set<string>();
  for (const batch of rule.batches) {
    await produceRaw(
      topics.events,
      batch.map((e) => ({ key: p, value: JSON.stringify(e) })),
    );
    for (const e of batch) written.add((e as { eventId: string }).eventId);
    await waitFor(
      `events of ${p} written`,
      () => countEvents(`${p}-`),
      (n) => (n ?? 0) >= written.size,
    );
  }
}

/** A violation sent after everything else; resolves when its two alerts have been read. */
async function marker(): Promise<void> {
  const id = `marker-${run}-${(markers += 1)}`;
  const event = {
    specVersion: '1.0',
    eventId: id,
    eventTime: T(0),
    operation: 'copy',
    inputs: [{ namespace: `pg://${id}`, name: 'profiles', region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] }],
    outputs: [{ namespace: `pg://${id}`, name: 'leak', region: 'ap-southeast-1', provider: 'aws' }],
  };
  await produceRaw(topics.events, [{ key: id, value: JSON.stringify(event) }]);
  await waitFor(
    `the marker ${id}'s alerts`,
    () => Promise.resolve(received.filter((a) => a.node.kind === 'dataset' && a.node.namespace === `pg://${id}`).length),
    (n) => n >= 2,
    60_000,
  );
}

async function residencyOf(label: string, p: string, asOf?: string): Promise<string[]> {
  const query = new URLSearchParams({
    classification: label,
    namespace: `pg://${p},s3://catalogued-sg-${p},mysql://classified-${p}`,
    service: `${p}-console`,
    ...(asOf ? { asOf } : {}),
  });
  const response = await fetch(`http://127.0.0.1:${tracker.port}/api/v1/residency?${query.toString()}`);
  expect(response.status).toBe(200);
  const { holdings } = (await response.json()) as ResidencyAnswer;
  // The places summary (counted by Neo4j, placed and judged by the tracker) counts the same holdings.
  const places = await fetch(`http://127.0.0.1:${tracker.port}/api/v1/residency/places?${query.toString()}`);
  expect(places.status).toBe(200);
  expect(((await places.json()) as ResidencyPlacesAnswer).places, 'the places summary counts the holdings').toEqual(
    summarizePlaces(holdings),
  );
  for (const h of holdings) expect(h.since, 'an RFC 3339 time').toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  // Narrowed to one verdict, one holding a page: Neo4j counts and lists the same holdings.
  await expectApprovedPages(holdings, async (approved) => {
    const page = await fetch(`http://127.0.0.1:${tracker.port}/api/v1/residency?${query.toString()}&approved=${String(approved)}&limit=1`);
    expect(page.status).toBe(200);
    return (await page.json()) as ResidencyAnswer;
  });
  return holdings.map((h) => caseName(h.node, p)).sort();
}

describe('the lineage rules on Neo4j, through Kafka (the case table)', () => {
  it.each(ruleCases(uniqueName).map((rule) => [rule.name, rule] as const))(
    '%s',
    async (_name, rule) => {
      const p = casePrefix(rule);
      await deliver(rule, p);
      await marker();
      expectCaseAlerts(rule, p, received, caseEventIds(rule));
      for (const [label, holders] of Object.entries(rule.residency ?? {})) expect(await residencyOf(label, p)).toEqual([...holders].sort());
      for (const { at, label, holders } of rule.residencyAsOf ?? [])
        expect(await residencyOf(label, p, T(at)), `${label} as of T(${at})`).toEqual([...holders].sort());
      for (const expected of rule.lineageAsOf ?? []) {
        const query = new URLSearchParams({ namespace: `pg://${p}`, name: expected.from, depth: '5', asOf: T(expected.at) });
        const response = await fetch(`http://127.0.0.1:${tracker.port}/api/v1/lineage?${query.toString()}`);
        expect(response.status).toBe(200);
        const answer = (await response.json()) as LineageAnswer;
        expect(answer.asOf).toBe(T(expected.at));
        expect(lineageAsOfOf(answer, p), `lineage as of T(${expected.at})`).toEqual(expectedLineageAsOf(expected));
      }
    },
    120_000,
  );

  it('does not publish any (alertId, status) again after a restart', async () => {
    const before = received.length;
    expect(before).toBeGreaterThan(0);
    expect((await tracker.kill('SIGTERM')).code).toBe(0);
    tracker.start();
    await tracker.waitUntilHealthy();
    await marker();
    const seen = new Map<string, number>();
    for (const a of received) seen.set(`${a.alertId}/${a.status}`, (seen.get(`${a.alertId}/${a.status}`) ?? 0) + 1);
    expect([...seen.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(received).toHaveLength(before + 2);
  }, 120_000);
});
