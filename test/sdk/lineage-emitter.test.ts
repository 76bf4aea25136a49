import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import { parseDataMovementEvent } from '../../src/events/parse-data-movement-event.js';
import { LineageEmitter } from '../../src/sdk/lineage-emitter.js';
import { LineageEventError } from '../../src/sdk/lineage-event-error.js';
import { installInMemoryTracing } from '../support/in-memory-tracing.js';

const profiles = {
  namespace: 'postgres://users-db',
  name: 'public.profiles',
  region: 'us-ashburn-1',
  provider: 'oci',
  classifications: ['us-user-data'],
};
const backup = { namespace: 's3://tt-backup-sg', name: 'profiles' };
const resource = { attributes: { 'service.name': 'backup-job', 'cloud.region': 'ap-southeast-1', 'cloud.provider': 'aws' } };

function newEmitter(
  publisher = new InMemoryMessagePublisher(),
  batching = { lingerMs: 1, maxBatchMessages: 100, maxBatchBytes: 1 << 20, maxBufferedMessages: 1000 },
) {
  return { publisher, emitter: new LineageEmitter(publisher, { topic: 'lineage.events', resource, batching }) };
}

function sentEvent(publisher: InMemoryMessagePublisher, index = 0): unknown {
  const message = publisher.sent[index];
  if (!message) throw new Error(`no message ${index} was sent`);
  return JSON.parse(String(message.value));
}

describe('LineageEmitter helpers', () => {
  it('fills eventId (UUIDv7), eventTime, producer and actor from the resource on a copy', async () => {
    const { publisher, emitter } = newEmitter();
    const before = Date.now();
    const event = await emitter.copy({ inputs: profiles, outputs: backup });
    expect(event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(event.eventTime)).toBeGreaterThanOrEqual(before);
    expect(event).toMatchObject({
      specVersion: '1.0',
      operation: 'copy',
      inputs: [profiles],
      outputs: [backup],
      producer: 'backup-job',
      actor: { service: 'backup-job', region: 'ap-southeast-1', provider: 'aws' },
    });
    expect(sentEvent(publisher)).toEqual(event);
    expect(parseDataMovementEvent(sentEvent(publisher)).ok).toBe(true);
  });

  it('keys the message by the first output, else the first input', async () => {
    const { publisher, emitter } = newEmitter();
    await emitter.move({ inputs: profiles, outputs: [backup, profiles] });
    await emitter.remove({ inputs: [backup, profiles] });
    expect(publisher.sent.map((m) => m.key)).toEqual(['s3://tt-backup-sg/profiles', 's3://tt-backup-sg/profiles']);
    await emitter.access({ inputs: profiles });
    expect(publisher.sent[2]?.key).toBe('postgres://users-db/public.profiles');
  });

  it('sends a derive with the labels it strips', async () => {
    const { emitter } = newEmitter();
    const event = await emitter.derive({ inputs: profiles, outputs: backup, removesClassifications: ['us-user-data'] });
    expect(event).toMatchObject({ operation: 'derive', removesClassifications: ['us-user-data'] });
  });

  it('sends an access whose actor region comes from cloud.region, and lets the caller override it', async () => {
    const { emitter } = newEmitter();
    expect((await emitter.access({ inputs: profiles })).actor).toEqual({
      service: 'backup-job',
      region: 'ap-southeast-1',
      provider: 'aws',
    });
    expect((await emitter.access({ inputs: profiles, actor: { region: 'cn-north-1' } })).actor?.region).toBe('cn-north-1');
  });

  it('sends a delete as operation "delete"', async () => {
    const { emitter } = newEmitter();
    expect((await emitter.remove({ inputs: backup })).operation).toBe('delete');
  });

  it('keeps an eventTime and eventId the caller gives', async () => {
    const { emitter } = newEmitter();
    const event = await emitter.copy({ inputs: profiles, outputs: backup, eventId: 'job-42', eventTime: new Date('2026-01-02T03:04:05Z') });
    expect(event).toMatchObject({ eventId: 'job-42', eventTime: '2026-01-02T03:04:05.000Z' });
  });
});

describe('LineageEmitter validation', () => {
  it('throws a LineageEventError naming the problem, and sends nothing', async () => {
    const { publisher, emitter } = newEmitter();
    expect(() => emitter.copy({ inputs: profiles, outputs: [] })).toThrow(LineageEventError);
    expect(() => emitter.copy({ inputs: profiles, outputs: [] })).toThrow(
      'invalid copy event: outputs: copy, move and derive need at least one output',
    );
    await emitter.flush();
    expect(publisher.sent).toEqual([]);
  });

  it('refuses an access when neither the caller nor the resource knows the region', () => {
    const publisher = new InMemoryMessagePublisher();
    const emitter = new LineageEmitter(publisher, {
      topic: 't',
      resource: { attributes: {} },
      batching: { lingerMs: 1, maxBatchMessages: 10, maxBatchBytes: 1 << 20, maxBufferedMessages: 10 },
    });
    expect(() => emitter.access({ inputs: profiles })).toThrow(/actor: access events need an actor with a region/);
  });
});

describe('LineageEmitter batching and delivery', () => {
  it('batches many events into few sends and resolves each once acknowledged', async () => {
    const { publisher, emitter } = newEmitter(undefined, {
      lingerMs: 5,
      maxBatchMessages: 50,
      maxBatchBytes: 1 << 20,
      maxBufferedMessages: 1000,
    });
    const sent = await Promise.all(Array.from({ length: 120 }, () => emitter.copy({ inputs: profiles, outputs: backup })));
    expect(publisher.sent).toHaveLength(120);
    expect(publisher.batches.length).toBeLessThanOrEqual(4);
    expect(publisher.sent.map((m) => (JSON.parse(String(m.value)) as { eventId: string }).eventId)).toEqual(sent.map((e) => e.eventId));
  });

  it('close() flushes everything accepted without awaiting, then closes the publisher', async () => {
    const { publisher, emitter } = newEmitter(undefined, {
      lingerMs: 10_000,
      maxBatchMessages: 1000,
      maxBatchBytes: 1 << 20,
      maxBufferedMessages: 10_000,
    });
    for (let i = 0; i < 250; i += 1) void emitter.copy({ inputs: profiles, outputs: backup });
    await emitter.close();
    expect(publisher.sent).toHaveLength(250);
    expect(publisher.closed).toBe(true);
    expect(() => emitter.copy({ inputs: profiles, outputs: backup })).toThrow('the lineage emitter is closed');
  });

  it('rejects the event and the next flush when the broker fails', async () => {
    const publisher = new InMemoryMessagePublisher();
    publisher.failWith = new Error('broker down');
    const { emitter } = newEmitter(publisher);
    await expect(emitter.copy({ inputs: profiles, outputs: backup })).rejects.toThrow('broker down');
    await expect(emitter.flush()).rejects.toThrow('broker down');
    publisher.failWith = undefined;
    await emitter.copy({ inputs: profiles, outputs: backup });
    await expect(emitter.flush()).resolves.toBeUndefined();
  });

  it('makes emit() wait for room past maxBufferedMessages, losing nothing', async () => {
    const { publisher, emitter } = newEmitter(undefined, {
      lingerMs: 1,
      maxBatchMessages: 3,
      maxBatchBytes: 1 << 20,
      maxBufferedMessages: 5,
    });
    await Promise.all(Array.from({ length: 40 }, () => emitter.copy({ inputs: profiles, outputs: backup })));
    expect(publisher.sent).toHaveLength(40);
    expect(Math.max(...publisher.batches)).toBeLessThanOrEqual(3);
  });
});

describe('LineageEmitter and OpenTelemetry', () => {
  const tracing = { current: undefined as ReturnType<typeof installInMemoryTracing> | undefined };
  beforeAll(() => {
    tracing.current = installInMemoryTracing();
  });
  afterAll(async () => {
    await tracing.current?.uninstall();
  });

  it('records the active span as the event trace, injects a matching traceparent, and adds a span event', async () => {
    const { publisher, emitter } = newEmitter();
    const { tracer, exporter } = tracing.current!;
    const { event, traceId, spanId } = await tracer.startActiveSpan('nightly-backup', async (span) => {
      const emitted = await emitter.copy({ inputs: profiles, outputs: backup });
      span.end();
      return { event: emitted, ...span.spanContext() };
    });
    expect(event.trace).toEqual({ traceId, spanId });
    expect(publisher.sent[0]?.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    const finished = exporter.getFinishedSpans().find((s) => s.name === 'nightly-backup');
    expect(finished?.events.map((e) => [e.name, e.attributes?.['borderline.event_id']])).toEqual([
      ['borderline.lineage.emit', event.eventId],
    ]);
  });

  it('sends no trace and no traceparent outside a span', async () => {
    const { publisher, emitter } = newEmitter();
    const event = await emitter.copy({ inputs: profiles, outputs: backup });
    expect(event.trace).toBeUndefined();
    expect(publisher.sent[0]?.headers).toEqual({});
  });
});

describe('LineageEmitter batch size', () => {
  it('closes a batch before it passes maxBatchBytes, so the broker never sees a too-large request', async () => {
    const { publisher, emitter } = newEmitter(undefined, {
      lingerMs: 20,
      maxBatchMessages: 1000,
      maxBatchBytes: 4096,
      maxBufferedMessages: 1000,
    });
    const big = { ...backup, name: 'p'.repeat(900) };
    await Promise.all(Array.from({ length: 30 }, () => emitter.copy({ inputs: profiles, outputs: big })));
    expect(publisher.sent).toHaveLength(30);
    const eventBytes = publisher.sent[0]!.value!.length;
    expect(eventBytes).toBeGreaterThan(1000);
    expect(Math.max(...publisher.batches) * eventBytes).toBeLessThanOrEqual(4096);
  });
});
