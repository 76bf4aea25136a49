import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { LineageEmitter } from '../../src/sdk/lineage-emitter.js';
import { LINEAGE_ATTRIBUTES } from '../../src/events/draft-from-span.js';
import { LineageSpanProcessor } from '../../src/sdk/lineage-span-processor.js';
import { installInMemoryTracing } from '../support/in-memory-tracing.js';

const publisher = new InMemoryMessagePublisher();
const emitter = new LineageEmitter(publisher, {
  topic: 'lineage.events',
  resource: { attributes: {} },
  batching: { lingerMs: 1, maxBatchMessages: 100, maxBatchBytes: 1 << 20, maxBufferedMessages: 1000 },
});
const processor = new LineageSpanProcessor(emitter);
const tracing = { current: undefined as ReturnType<typeof installInMemoryTracing> | undefined };

beforeAll(() => {
  tracing.current = installInMemoryTracing([processor], 'analytics-job');
});
afterAll(async () => {
  await tracing.current?.uninstall();
});

const sentEvents = () => publisher.sent.map((m) => JSON.parse(String(m.value)) as DataMovementEvent);

describe('LineageSpanProcessor', () => {
  it('turns a span with lineage attributes into an event carrying its trace, end time and deterministic id', async () => {
    publisher.sent.length = 0;
    const span = tracing.current!.tracer.startSpan('derive-aggregate', {
      startTime: new Date('2026-11-22T09:59:00.000Z'),
      attributes: {
        [LINEAGE_ATTRIBUTES.operation]: 'derive',
        [LINEAGE_ATTRIBUTES.inputs]: JSON.stringify({ namespace: 'postgres://users-db', name: 'public.profiles' }),
        [LINEAGE_ATTRIBUTES.outputs]: JSON.stringify([{ namespace: 'bq://analytics', name: 'daily_counts', region: 'eu-frankfurt-1' }]),
        [LINEAGE_ATTRIBUTES.removesClassifications]: ['us-user-data'],
        [LINEAGE_ATTRIBUTES.actorRegion]: 'eu-frankfurt-1',
      },
    });
    span.end(new Date('2026-11-22T10:00:00.000Z'));
    await processor.forceFlush();
    const { traceId, spanId } = span.spanContext();
    expect(sentEvents()).toEqual([
      expect.objectContaining({
        eventId: `otel-${traceId}-${spanId}`,
        eventTime: '2026-11-22T10:00:00.000Z',
        operation: 'derive',
        inputs: [{ namespace: 'postgres://users-db', name: 'public.profiles' }],
        outputs: [{ namespace: 'bq://analytics', name: 'daily_counts', region: 'eu-frankfurt-1' }],
        removesClassifications: ['us-user-data'],
        actor: { service: 'analytics-job', region: 'eu-frankfurt-1' },
        trace: { traceId, spanId },
      }),
    ]);
    expect(publisher.sent[0]?.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('ignores spans without lineage attributes', async () => {
    publisher.sent.length = 0;
    tracing.current!.tracer.startSpan('plain-http-request').end();
    await processor.forceFlush();
    expect(publisher.sent).toEqual([]);
  });

  it('counts and skips a span whose lineage attributes are invalid, without throwing', async () => {
    publisher.sent.length = 0;
    const before = processor.rejectedSpans;
    const bad = tracing.current!.tracer.startSpan('bad', {
      attributes: { [LINEAGE_ATTRIBUTES.operation]: 'copy', [LINEAGE_ATTRIBUTES.inputs]: '{not json' },
    });
    expect(() => bad.end()).not.toThrow();
    const noOutputs = tracing.current!.tracer.startSpan('no-outputs', {
      attributes: { [LINEAGE_ATTRIBUTES.operation]: 'copy', [LINEAGE_ATTRIBUTES.inputs]: JSON.stringify({ namespace: 'a', name: 'b' }) },
    });
    noOutputs.end();
    await processor.forceFlush();
    expect(processor.rejectedSpans).toBe(before + 2);
    expect(publisher.sent).toEqual([]);
  });
});
