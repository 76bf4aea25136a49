import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/infra-endpoints.js';
import { countEvents, query, waitFor } from '../support/graph-queries.js';
import { createTestTopic, readTopic } from '../support/kafka-test-topics.js';
import { copyEvent, produceRaw } from '../support/produce-raw.js';
import { readAlerts, waitUntilAlertsRead } from '../support/alerts-reader.js';
import { TrackerProcess } from '../support/tracker-process.js';

const prefix = uniqueName('ingest');
const topics = { events: '', dlq: '', alerts: '' };
let tracker: TrackerProcess;

beforeAll(async () => {
  topics.events = await createTestTopic(`${prefix}-events`, 3);
  topics.dlq = `${prefix}-dlq`;
  topics.alerts = `${prefix}-alerts`;
  tracker = await TrackerProcess.create({
    BORDERLINE_EVENTS_TOPIC: topics.events,
    BORDERLINE_DLQ_TOPIC: topics.dlq,
    BORDERLINE_ALERTS_TOPIC: topics.alerts,
    BORDERLINE_GROUP_ID: `${prefix}-group`,
    BORDERLINE_MAX_EVENT_BYTES: '4000',
  });
  tracker.start();
  await tracker.waitUntilHealthy();
});

afterAll(async () => {
  await tracker.kill('SIGTERM');
});

describe('ingest into the lineage graph', () => {
  it('writes a redelivered or duplicated event once: one Event node, one relationship', async () => {
    const event = copyEvent(prefix, 'dup', 'profiles', 'backup-dup');
    const marker = copyEvent(prefix, 'dup-marker', 'profiles', 'backup-dup');
    const key = `s3://${prefix}/backup-dup`; // one key: one partition, so the marker comes last
    await produceRaw(
      topics.events,
      [event, event, event, marker].map((e) => ({ key, value: JSON.stringify(e) })),
    );
    await waitFor(
      'the marker event',
      () => countEvents(`${prefix}-dup-marker`),
      (n) => n === 1,
    );
    const rows = await query<{ events: number; flows: number }>(
      `MATCH (e:Event {eventId: $id}) WITH count(e) AS events
       OPTIONAL MATCH (:Dataset)-[r:FLOWS_TO {eventId: $id}]->(:Dataset) RETURN events, count(r) AS flows`,
      { id: event.eventId },
    );
    expect(rows).toEqual([{ events: 1, flows: 1 }]);
  });

  it('records datasets with their location, the flow with its time, and the asserted label', async () => {
    const event = copyEvent(prefix, 'model', 'profiles-model', 'backup-model', Date.parse('2026-11-22T11:00:00Z'));
    await produceRaw(topics.events, [{ key: 'k', value: JSON.stringify(event) }]);
    await waitFor(
      'the event',
      () => countEvents(event.eventId),
      (n) => n === 1,
    );
    const rows = await query(
      `MATCH (a:Dataset {namespace: $fromNs, name: 'profiles-model'})-[r:FLOWS_TO {eventId: $id}]->(b:Dataset)
       MATCH (:Event {eventId: $id})-[s:ASSERTS]->(a)
       RETURN a.region AS fromRegion, b.provider AS toProvider, b.region AS toRegion, r.operation AS op, r.timeMs AS timeMs, s.classification AS label`,
      { id: event.eventId, fromNs: `pg://${prefix}` },
    );
    expect(rows).toEqual([
      {
        fromRegion: 'us-ashburn-1',
        toProvider: 'aws',
        toRegion: 'ap-southeast-1',
        op: 'copy',
        timeMs: Date.parse('2026-11-22T11:00:00Z'),
        label: 'us-user-data',
      },
    ]);
  });

  it('dead-letters each kind of invalid message with a reason, and writes its valid neighbours', async () => {
    const valid = (i: number) => ({ key: 'same-key', value: JSON.stringify(copyEvent(prefix, `nb-${i}`, 'profiles', `nb-${i}`)) });
    const invalid = [
      { key: 'same-key', value: '{"specVersion": "1.0", "eventId": ', reason: /^\(message\): not JSON: / },
      { key: 'same-key', value: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), reason: /^\(message\): not valid UTF-8$/ },
      {
        key: 'same-key',
        value: JSON.stringify({ ...copyEvent(prefix, 'bad-shape', 'a', 'b'), outputs: undefined }),
        reason: /^outputs: copy, move and derive need at least one output$/,
      },
      {
        key: 'same-key',
        value: JSON.stringify({ ...copyEvent(prefix, 'bad-op', 'a', 'b'), operation: 'teleport' }),
        reason: /^operation: operation must be one of/,
      },
      {
        key: 'same-key',
        value: JSON.stringify({ ...copyEvent(prefix, 'bad-access', 'a', 'b'), operation: 'access', outputs: [] }),
        reason: /^actor: access events need an actor/,
      },
      {
        key: 'same-key',
        value: JSON.stringify({ ...copyEvent(prefix, 'too-big', 'a', 'b'), attributes: { pad: 'x'.repeat(5000) } }),
        reason: /^\(message\): \d+ bytes is over the 4000-byte limit$/,
      },
    ];
    const messages = invalid.flatMap((bad, i) => [valid(i), { key: bad.key, value: bad.value }]);
    await produceRaw(topics.events, [...messages, valid(99)]);

    const letters = await readTopic(topics.dlq, invalid.length);
    expect(letters).toHaveLength(invalid.length);
    letters.sort((a, b) => Number(a.headers['x-dlq-source-offset']) - Number(b.headers['x-dlq-source-offset']));
    letters.forEach((letter, i) => {
      expect(letter.headers['x-dlq-reason']).toMatch(invalid[i]!.reason);
      expect(letter.value).toEqual(Buffer.isBuffer(invalid[i]!.value) ? invalid[i]!.value : Buffer.from(invalid[i]!.value));
      expect(letter.key).toBe('same-key');
      expect(letter.headers['x-dlq-source-topic']).toBe(topics.events);
      expect(letter.headers['x-dlq-source-partition']).toMatch(/^\d$/);
    });
    await waitFor(
      'the valid neighbours',
      () => countEvents(`${prefix}-nb-`),
      (n) => n === invalid.length + 1,
    );
  });

  it('places datasets of events before 1970: an approved copy in 1969 raises nothing, its unapproved neighbour does', async () => {
    const reader = await readAlerts(topics.alerts);
    try {
      const at = (ms: number) => new Date(Date.parse('1969-07-20T20:17:00Z') + ms).toISOString();
      const profiles = {
        namespace: `pg://${prefix}-1969`,
        name: 'profiles',
        region: 'us-ashburn-1',
        provider: 'oci',
        classifications: ['us-user-data'],
      };
      const approved = {
        specVersion: '1.0',
        eventId: `${prefix}-1969-ok`,
        eventTime: at(0),
        operation: 'copy',
        inputs: [profiles],
        outputs: [{ namespace: `pg://${prefix}-1969`, name: 'replica', region: 'us-phoenix-1', provider: 'oci' }],
      };
      const marker = {
        ...approved,
        eventId: `${prefix}-1969-marker`,
        eventTime: at(1_000),
        outputs: [{ namespace: `s3://${prefix}-1969`, name: 'backup', region: 'ap-southeast-1', provider: 'aws' }],
      };
      await produceRaw(
        topics.events,
        [approved, marker].map((e) => ({ key: '1969', value: JSON.stringify(e) })),
      );
      await waitFor(
        'the marker alert',
        () => Promise.resolve(reader.alerts.filter((a) => a.node.kind === 'dataset' && a.node.name === 'backup')),
        (l) => l.length > 0,
      );
      await waitUntilAlertsRead(reader, topics.alerts);
      expect(reader.alerts.filter((a) => a.node.kind === 'dataset' && a.node.name === 'replica')).toEqual([]);
      expect(reader.alerts.find((a) => a.node.kind === 'dataset' && a.node.name === 'backup')?.occurredAt).toBe(at(1_000));
    } finally {
      await reader.stop();
    }
  });

  it('listens on loopback only by default', () => {
    // /proc/net/tcp: local address 0100007F:<port hex> (127.0.0.1) in state 0A (LISTEN); no 00000000 (0.0.0.0) socket.
    const port = tracker.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${port}`) && f[3] === '0A')
      .map((f) => f[1]);
    expect(listening).toEqual([`0100007F:${port}`]);
  });

  it('reports health and ingest metrics', async () => {
    expect(await tracker.health()).toBe(200);
    const metrics = await tracker.metrics();
    expect(metrics).toMatch(/^borderline_events_written_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^borderline_events_dead_lettered_total 6$/m);
    expect(metrics).toMatch(/^borderline_graph_available 1$/m);
    expect(metrics).toMatch(/^borderline_ingest_batch_seconds_count [1-9]/m);
  });
});
