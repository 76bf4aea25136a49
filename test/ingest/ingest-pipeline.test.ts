import { InstrumentedGraphStore } from '../support/instrumented-graph-store.js';
import { buildPipeline } from '../support/build-pipeline.js';
import { describe, expect, it, vi } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import { BorderlineError } from '../../src/errors/borderline-error.js';
import type { IncomingMessage } from '../../src/ports/incoming-message.js';
import { IngestAbortedError } from '../../src/ingest/retry-while-running.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { Alert } from '../../src/policy/alert.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import { CountingIngestObserver } from '../../src/adapters/memory/counting-ingest-observer.js';
import { FAN_OUT_POLICY, fanOutEvents } from '../support/fan-out.js';

const observer = new CountingIngestObserver();

function setup() {
  const graph = new InstrumentedGraphStore(new InMemoryLineageGraph());
  const dlq = new InMemoryMessagePublisher();
  const alerts = new InMemoryMessagePublisher();
  const { pipeline } = buildPipeline({
    graph,
    deadLetters: dlq,
    alerts,
    pipeline: { observer: observer, logger: createLogger('silent'), retry: { initialMs: 1, maxMs: 5 }, maxEventBytes: 2000 },
  });
  return { graph, dlq, alerts, pipeline };
}

let offset = 0;
function message(value: unknown): IncomingMessage {
  offset += 1;
  return {
    topic: 'events',
    partition: 2,
    offset: String(offset),
    key: Buffer.from('k'),
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers: { traceparent: 'tp' },
  };
}
const event = (id: string) => ({
  specVersion: '1.0',
  eventId: id,
  eventTime: '2026-11-22T10:00:00Z',
  operation: 'copy',
  inputs: [{ namespace: 'pg://a', name: 'x' }],
  outputs: [{ namespace: 's3://b', name: id }],
});
const alwaysRunning = { isRunning: () => true };

describe('IngestPipeline', () => {
  it('writes valid events in one plan and dead-letters invalid ones with reason, source and original bytes', async () => {
    const { graph, dlq, pipeline } = setup();
    const bad = message('not json');
    await pipeline.process([message(event('a')), bad, message(event('b'))], alwaysRunning);
    expect(graph.writtenEventIds).toEqual(['a', 'b']);
    expect(dlq.sent).toHaveLength(1);
    expect(dlq.sent[0]).toMatchObject({ topic: 'dlq', key: Buffer.from('k'), value: bad.value });
    expect(dlq.sent[0]?.headers).toMatchObject({
      traceparent: 'tp',
      'x-dlq-source-topic': 'events',
      'x-dlq-source-partition': '2',
      'x-dlq-source-offset': bad.offset,
    });
    expect(dlq.sent[0]?.headers['x-dlq-reason']).toMatch(/^\(message\): not JSON/);
  });

  it('retries a retriable graph failure until it succeeds, and loses nothing', async () => {
    const { graph, pipeline } = setup();
    let failures = 3;
    graph.failWith = () => (failures-- > 0 ? new BorderlineError('database unavailable', { retriable: true }) : undefined);
    await pipeline.process([message(event('r1')), message(event('r2'))], alwaysRunning);
    expect(graph.writeAttempts).toBe(4);
    expect(graph.writtenEventIds).toEqual(['r1', 'r2']);
  });

  it('isolates an event the database refuses and dead-letters it alone, writing the rest', async () => {
    const { graph, dlq, pipeline } = setup();
    graph.failWith = (plan) =>
      plan.events.some((e) => e.eventId === 'poison') ? new BorderlineError('Property value is too large to index') : undefined;
    await pipeline.process(
      ['p1', 'p2', 'poison', 'p3', 'p4'].map((id) => message(event(id))),
      alwaysRunning,
    );
    expect(graph.writtenEventIds.sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(dlq.sent.map((m) => (JSON.parse(String(m.value)) as { eventId: string }).eventId)).toEqual(['poison']);
    expect(dlq.sent[0]?.headers['x-dlq-reason']).toBe('graph write refused: Property value is too large to index');
  });

  it('abandons the batch without dead-lettering anything when the consumer stops during an outage', async () => {
    const { graph, dlq, pipeline } = setup();
    graph.failWith = () => new BorderlineError('database unavailable', { retriable: true });
    let running = true;
    setTimeout(() => (running = false), 30);
    await expect(pipeline.process([message(event('s1')), message('bad')], { isRunning: () => running })).rejects.toThrow(
      IngestAbortedError,
    );
    expect(graph.writtenEventIds).toEqual([]);
    expect(dlq.sent).toEqual([]);
  });

  it('retries the dead-letter publish when the broker fails, before returning', async () => {
    const { graph, dlq, pipeline } = setup();
    let failures = 2;
    const send = dlq.send.bind(dlq);
    dlq.send = (topic, messages) =>
      failures-- > 0 ? Promise.reject(new BorderlineError('broker away', { retriable: true })) : send(topic, messages);
    await pipeline.process([message('{"x":')], alwaysRunning);
    expect(dlq.sent).toHaveLength(1);
    expect(graph.writtenEventIds).toEqual([]);
  });
});

describe('IngestPipeline dead letters', () => {
  it('keeps a tombstone (null value) null in the dead letter', async () => {
    const { dlq, pipeline } = setup();
    await pipeline.process([{ ...message('x'), value: null }], alwaysRunning);
    expect(dlq.sent).toHaveLength(1);
    expect(dlq.sent[0]?.value).toBeNull();
    expect(dlq.sent[0]?.headers['x-dlq-reason']).toBe('(message): empty value, expected a JSON event');
  });

  it('sends a dead letter the DLQ refuses for its size shortened, with headers saying so, and its neighbours whole', async () => {
    const { dlq, pipeline } = setup();
    dlq.maxMessageBytes = 100_000;
    const huge = message('x'.repeat(300_000));
    const small = message('not json either');
    await pipeline.process([huge, small], alwaysRunning);
    expect(dlq.sent.map((m) => m.headers['x-dlq-source-offset'])).toEqual([huge.offset, small.offset]);
    const [shortened, whole] = dlq.sent;
    expect(shortened?.value).toEqual(huge.value?.subarray(0, 64 * 1024));
    expect(shortened?.headers).toMatchObject({
      'x-dlq-truncated': 'true',
      'x-dlq-original-size': '300000',
      'x-dlq-source-topic': 'events',
      'x-dlq-source-partition': '2',
    });
    expect(shortened?.headers['x-dlq-reason']).toMatch(/over the 2000-byte limit/);
    expect(whole?.value).toEqual(small.value);
    expect(whole?.headers['x-dlq-truncated']).toBeUndefined();
    expect(observer.counts.deadLetterFailures).toBeGreaterThanOrEqual(2); // the batch, then the whole letter
  });

  it('never retries a refused dead letter forever: with no room even for 64 KiB it sends the headers alone', async () => {
    const { dlq, pipeline } = setup();
    dlq.maxMessageBytes = 1_000;
    const huge = message('y'.repeat(200_000));
    await pipeline.process([huge], alwaysRunning);
    expect(dlq.sent).toHaveLength(1);
    expect(dlq.sent[0]?.value?.length).toBe(0);
    expect(dlq.sent[0]?.headers).toMatchObject({
      'x-dlq-truncated': 'true',
      'x-dlq-original-size': '200000',
      'x-dlq-source-offset': huge.offset,
    });
  });
});

describe('IngestPipeline transaction size', () => {
  it('writes a message that carries many events (an OTLP batch) in transactions of at most maxEventsPerWrite events', async () => {
    const graph = new InstrumentedGraphStore(new InMemoryLineageGraph());
    const publisher = new InMemoryMessagePublisher();
    const many = {
      decode: () => ({
        ok: true as const,
        events: Array.from({ length: 7 }, (_, i) => JSON.parse(JSON.stringify(event(`many-${i}`))) as never),
      }),
    };
    const { pipeline } = buildPipeline({
      graph,
      deadLetters: publisher,
      alerts: publisher,
      pipeline: {
        observer: observer,
        maxEventBytes: 2000,
        maxEventsPerWrite: 3,
        decoders: new Map([['spans', many]]),
      },
    });
    await pipeline.process([{ ...message('x'), topic: 'spans' }], alwaysRunning);
    expect(graph.plans.map((p) => p.events.length)).toEqual([3, 3, 1]);
  });
});

describe('IngestPipeline trace context', () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('takes the trace from the traceparent header when the body has none', async () => {
    const { graph, pipeline } = setup();
    await pipeline.process([{ ...message(event('tp-header')), headers: { traceparent } }], alwaysRunning);
    expect(graph.plans[0]?.events[0]?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it("keeps the body's own trace, and ignores an invalid header", async () => {
    const { graph, pipeline } = setup();
    const own = { traceId: '11111111111111111111111111111111', spanId: '2222222222222222' };
    await pipeline.process(
      [
        { ...message({ ...event('tp-body'), trace: own }), headers: { traceparent } },
        { ...message(event('tp-bad')), headers: { traceparent: '00-zz-yy-01' } },
      ],
      alwaysRunning,
    );
    expect(Object.fromEntries(graph.plans[0]?.events.map((e) => [e.eventId, e.traceId]) ?? [])).toEqual({
      'tp-body': own.traceId,
      'tp-bad': null,
    });
  });
});

describe('IngestPipeline alert outbox', () => {
  const policies = new PolicyIndex(
    parsePolicyFile(`
policies:
  - { id: us-only, classifications: [us-user-data], severity: critical, allowed: [{ countries: [US] }] }
`),
  );
  const leak = (id: string) => ({
    specVersion: '1.0',
    eventId: id,
    eventTime: '2026-11-22T10:00:00Z',
    operation: 'copy',
    inputs: [{ namespace: 'pg://us', name: 'profiles', region: 'us-east-1', provider: 'aws', classifications: ['us-user-data'] }],
    outputs: [{ namespace: 's3://sg', name: id, region: 'ap-southeast-1', provider: 'aws' }],
  });
  /** The delete that remediates the leak to `name`. */
  const cleanup = (id: string, name: string) => ({
    specVersion: '1.0',
    eventId: id,
    eventTime: '2026-11-22T11:00:00Z',
    operation: 'delete',
    inputs: [{ namespace: 's3://sg', name }],
  });
  const withPolicy = () => {
    const graph = new InstrumentedGraphStore(new InMemoryLineageGraph(policies));
    const alerts = new InMemoryMessagePublisher();
    const { pipeline } = buildPipeline({
      graph,
      alerts,
      pipeline: { observer: observer, logger: createLogger('silent'), retry: { initialMs: 1, maxMs: 5 }, maxEventBytes: 2000 },
    });
    return { graph, alerts, pipeline };
  };
  const statuses = (alerts: InMemoryMessagePublisher) =>
    alerts.sent.map((m) => [m.topic, m.key, (JSON.parse(String(m.value)) as Alert).status]);

  it('publishes the alerts a write raises, keyed by alertId and in order (open, then remediated), then marks them published', async () => {
    const { graph, alerts, pipeline } = withPolicy();
    const del = cleanup('gone', 'with-alert');
    await pipeline.process([message(leak('with-alert')), message(del)], alwaysRunning);
    const alertId = alerts.sent[0]?.key;
    expect(alertId).toMatch(/^[0-9a-f]{32}$/);
    expect(statuses(alerts)).toEqual([
      ['alerts', alertId, 'open'],
      ['alerts', alertId, 'remediated'],
    ]);
    expect(graph.published).toEqual([{ alertId, statuses: ['open', 'remediated'] }]);
    expect(await graph.claimPendingAlerts({ id: 'sweep', outbox: 'alerts' })).toEqual([]);
  });

  it('retries the alert publish when the broker fails, and marks nothing published until it succeeds', async () => {
    const { graph, alerts, pipeline } = withPolicy();
    let failures = 2;
    const send = alerts.send.bind(alerts);
    alerts.send = (topic, messages) =>
      failures-- > 0 ? Promise.reject(new BorderlineError('broker away', { retriable: true })) : send(topic, messages);
    await pipeline.process([message(leak('retry-alert'))], alwaysRunning);
    expect(alerts.sent).toHaveLength(1);
    expect(failures).toBe(-1);
    expect(graph.published).toEqual([{ alertId: alerts.sent[0]?.key, statuses: ['open'] }]);
  });
  it('publishes, before its batch ends, a state another batch recorded while this one held the claim', async () => {
    const { graph, alerts, pipeline } = withPolicy();
    const send = alerts.send.bind(alerts);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    alerts.send = async (topic, messages) => {
      if (first) {
        first = false;
        await held; // the open state's publish is in flight: its claim is held
      }
      return send(topic, messages);
    };
    const opening = pipeline.process([message(leak('raced'))], alwaysRunning);
    await vi.waitFor(() => expect(first).toBe(false));
    const del = cleanup('raced-gone', 'raced');
    await pipeline.process([message(del)], alwaysRunning); // another partition's batch: records the remediation, cannot claim it
    expect(statuses(alerts)).toEqual([]);
    release();
    await opening;
    const alertId = alerts.sent[0]?.key;
    expect(statuses(alerts)).toEqual([
      ['alerts', alertId, 'open'],
      ['alerts', alertId, 'remediated'],
    ]);
    expect(await graph.claimPendingAlerts({ id: 'sweep', outbox: 'alerts' })).toEqual([]);
  });
});

describe('IngestPipeline event id conflicts (docs/contract.md §2: the first version stands)', () => {
  const policies = new PolicyIndex(
    parsePolicyFile(`
policies:
  - { id: us-only, classifications: [us-user-data], severity: critical, allowed: [{ countries: [US] }] }
`),
  );
  const copyTo = (id: string, to: string) => ({
    specVersion: '1.0',
    eventId: id,
    eventTime: '2026-11-22T10:00:00Z',
    operation: 'copy',
    inputs: [{ namespace: 'pg://us', name: 'profiles', region: 'us-east-1', provider: 'aws', classifications: ['us-user-data'] }],
    outputs: [{ namespace: 's3://x', name: to, region: to === 'sg' ? 'ap-southeast-1' : 'us-west-2', provider: 'aws' }],
  });
  const withGraph = () => {
    const graph = new InstrumentedGraphStore(new InMemoryLineageGraph(policies));
    const dlq = new InMemoryMessagePublisher();
    const alerts = new InMemoryMessagePublisher();
    const counting = new CountingIngestObserver();
    const { pipeline } = buildPipeline({
      graph,
      deadLetters: dlq,
      alerts,
      pipeline: { observer: counting, logger: createLogger('silent'), retry: { initialMs: 1, maxMs: 5 }, maxEventBytes: 2000 },
    });
    return { graph, dlq, alerts, counting, pipeline };
  };
  const reason = (m: { headers: Record<string, string> }) => m.headers['x-dlq-reason'];

  it('dead-letters a second, different event under a used id in the same batch, and writes the first', async () => {
    const { dlq, alerts, counting, pipeline } = withGraph();
    const second = message(copyTo('same-id', 'sg'));
    await pipeline.process([message(copyTo('same-id', 'oregon')), second, message(copyTo('same-id', 'oregon'))], alwaysRunning);
    expect(dlq.sent.map((m) => [m.headers['x-dlq-source-offset'], reason(m)])).toEqual([
      [
        second.offset,
        'eventId same-id was already used for a different event: a redelivery must be identical (docs/contract.md §2); the first version stands',
      ],
    ]);
    expect(counting.counts.eventIdConflicts).toBe(1);
    expect(alerts.sent).toEqual([]); // the first version copied within the US
  });

  it('dead-letters a different event under an id the graph already holds, and writes its neighbours', async () => {
    const { dlq, alerts, counting, pipeline } = withGraph();
    await pipeline.process([message(copyTo('used', 'oregon'))], alwaysRunning);
    const conflicting = message(copyTo('used', 'sg'));
    await pipeline.process([message(copyTo('neighbour', 'sg')), conflicting], alwaysRunning);
    expect(dlq.sent.map((m) => m.headers['x-dlq-source-offset'])).toEqual([conflicting.offset]);
    expect(reason(dlq.sent[0]!)).toContain('eventId used was already used for a different event');
    expect(counting.counts.eventIdConflicts).toBe(1);
    expect(alerts.sent.map((m) => (JSON.parse(String(m.value)) as Alert).eventIds)).toEqual([['neighbour']]);
  });

  it('takes an identical redelivery as a no-op, whatever the order of its keys', async () => {
    const { dlq, counting, pipeline } = withGraph();
    const event = copyTo('again', 'sg');
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    await pipeline.process([message(event)], alwaysRunning);
    await pipeline.process([message(reordered), message(event)], alwaysRunning);
    expect(dlq.sent).toEqual([]);
    expect(counting.counts.eventIdConflicts).toBe(0);
  });
});

describe('IngestPipeline alert outbox during a broker outage (issue 16, finding 4)', () => {
  it('renews its claim while a publish is retried, so a sweep meanwhile does not send the same states again', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const policies = new PolicyIndex(
      parsePolicyFile(`
policies:
  - { id: us-only, classifications: [us-user-data], severity: critical, allowed: [{ countries: [US] }] }
`),
    );
    const graph = new InstrumentedGraphStore(new InMemoryLineageGraph(policies, { clock: () => new Date(now) }));
    const alerts = new InMemoryMessagePublisher();
    const { pipeline, outbox } = buildPipeline({
      graph,
      alerts,
      pipeline: { observer: observer, logger: createLogger('silent'), retry: { initialMs: 5, maxMs: 5 }, maxEventBytes: 2000 },
      outbox: { claimRenewMs: 2 },
    });
    let brokerDown = true;
    let refused = 0;
    const send = alerts.send.bind(alerts);
    alerts.send = (topic, messages) => {
      if (!brokerDown) return send(topic, messages);
      refused += 1;
      return Promise.reject(new BorderlineError('broker away', { retriable: true }));
    };
    const leak = {
      specVersion: '1.0',
      eventId: 'outage',
      eventTime: '2026-11-22T10:00:00Z',
      operation: 'copy',
      inputs: [{ namespace: 'pg://us', name: 'profiles', region: 'us-east-1', provider: 'aws', classifications: ['us-user-data'] }],
      outputs: [{ namespace: 's3://sg', name: 'copy', region: 'ap-southeast-1', provider: 'aws' }],
    };
    const writing = pipeline.process([message(leak)], alwaysRunning);
    await vi.waitFor(() => expect(refused).toBeGreaterThan(0)); // written and claimed; the publish is being retried
    now += 31_000; // past the first lease: only a renewal keeps the claim
    const renewed = graph.renewals.length;
    await vi.waitFor(() => expect(graph.renewals.length).toBeGreaterThan(renewed));
    const sweep = outbox.publishPending();
    brokerDown = false;
    await writing;
    expect(await sweep).toBe(0);
    expect(alerts.sent.map((m) => (JSON.parse(String(m.value)) as Alert).status)).toEqual(['open']);
  });
});

describe('IngestPipeline alerts larger than the alerts topic takes (issue 16, finding 1)', () => {
  it('publishes a long-path alert with its witness path cut to fit, and keeps the whole path for the API', async () => {
    const policies = new PolicyIndex(
      parsePolicyFile(`
policies:
  - { id: us-only, classifications: [us-user-data], severity: critical, allowed: [{ countries: [US] }] }
`),
    );
    const graph = new InstrumentedGraphStore(new InMemoryLineageGraph(policies));
    const alerts = new InMemoryMessagePublisher();
    alerts.maxMessageBytes = 60_000; // as a topic's max.message.bytes would refuse it
    const { pipeline } = buildPipeline({
      graph,
      alerts,
      pipeline: { observer: observer, logger: createLogger('silent'), retry: { initialMs: 1, maxMs: 5 }, maxEventBytes: 10_000 },
      outbox: { maxAlertBytes: 50_000 },
    });
    const ds = (i: number, region: string) => ({ namespace: 'pg://chain', name: `${'t'.repeat(900)}-${i}`, region, provider: 'aws' });
    const hops = 120;
    const chain = Array.from({ length: hops }, (_, i) => ({
      specVersion: '1.0',
      eventId: `hop-${i}`,
      eventTime: new Date(Date.parse('2026-11-22T10:00:00Z') + i * 1000).toISOString(),
      operation: 'copy',
      inputs: [i === 0 ? { ...ds(0, 'us-east-1'), classifications: ['us-user-data'] } : ds(i, 'us-east-1')],
      outputs: [ds(i + 1, i === hops - 1 ? 'ap-southeast-1' : 'us-east-1')],
    }));
    await pipeline.process(
      chain.map((e) => message(e)),
      alwaysRunning,
    );
    expect(alerts.sent).toHaveLength(1);
    const published = JSON.parse(String(alerts.sent[0]!.value)) as Alert;
    expect(published.pathTruncated).toBe(true);
    expect(published.path[0]).toMatchObject({ name: `${'t'.repeat(900)}-0` });
    expect(published.eventIds.at(-1)).toBe(`hop-${hops - 1}`);
    const {
      alerts: [stored],
    } = await graph.inner.queries.alerts({ offset: 0, limit: 10 });
    expect(stored?.path).toHaveLength(hops + 1);
    expect(stored?.pathTruncated).toBeUndefined();
  });
});

describe('IngestPipeline at estate scale', () => {
  it('publishes every alert of a batch whose write raises more alerts than a call takes arguments (V8 stops near 125,000)', async () => {
    const graph = new InstrumentedGraphStore(new InMemoryLineageGraph(new PolicyIndex(parsePolicyFile(FAN_OUT_POLICY))));
    const alerts = new InMemoryMessagePublisher();
    const { pipeline, outbox } = buildPipeline({
      graph,
      alerts,
      pipeline: { observer: observer, logger: createLogger('silent'), retry: { initialMs: 1, maxMs: 5 }, maxEventBytes: 100_000 },
    });
    await pipeline.process(
      fanOutEvents(262).map((e) => message(e)),
      alwaysRunning,
    );
    expect(graph.writeAttempts).toBe(1);
    expect(alerts.sent).toHaveLength(131_000);
    expect(await outbox.publishPending()).toBe(0); // nothing left in the outbox
  }, 60_000);
});
