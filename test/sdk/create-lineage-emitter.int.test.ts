import { describe, expect, it } from 'vitest';
import { createLineageEmitter } from '../../src/sdk/create-lineage-emitter.js';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { parseDataMovementEvent } from '../../src/events/parse-data-movement-event.js';
import { LineageEventError } from '../../src/sdk/lineage-event-error.js';
import { testKafkaBrokers } from '../support/infra-endpoints.js';
import { installInMemoryTracing } from '../support/in-memory-tracing.js';
import { createTestTopic, readTopic } from '../support/kafka-test-topics.js';

const profiles = {
  namespace: 'postgres://users-db',
  name: 'public.profiles',
  region: 'us-ashburn-1',
  provider: 'oci',
  classifications: ['us-user-data'],
};
const backup = { namespace: 's3://tt-backup-sg', name: 'profiles', region: 'ap-southeast-1', provider: 'aws' };
const resource = { attributes: { 'service.name': 'backup-job', 'cloud.region': 'ap-southeast-1', 'cloud.provider': 'aws' } };

describe('createLineageEmitter against the real broker', () => {
  it('produces the event with the contract key, a JSON body and a traceparent matching the active span', async () => {
    const topic = await createTestTopic('emit');
    const emitter = createLineageEmitter({ brokers: testKafkaBrokers, topic, resource });
    const tracing = installInMemoryTracing();
    try {
      const { event, traceId, spanId } = await tracing.tracer.startActiveSpan('nightly-backup', async (span) => {
        const emitted = await emitter.copy({ inputs: profiles, outputs: backup });
        span.end();
        return { event: emitted, ...span.spanContext() };
      });
      await emitter.close();
      const [message] = await readTopic(topic, 1);
      expect(message?.key).toBe('s3://tt-backup-sg/profiles');
      expect(JSON.parse(message?.value?.toString('utf8') ?? 'null')).toEqual(event);
      expect(parseDataMovementEvent(JSON.parse(message?.value?.toString('utf8') ?? 'null')).ok).toBe(true);
      expect(message?.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
      expect(event.trace).toEqual({ traceId, spanId });
    } finally {
      await tracing.uninstall();
    }
  });

  it('throws on an invalid event and lets nothing of it reach the topic', async () => {
    const topic = await createTestTopic('emit-invalid');
    const emitter = createLineageEmitter({ brokers: testKafkaBrokers, topic, resource });
    expect(() => emitter.emit({ operation: 'copy', inputs: profiles })).toThrow(LineageEventError);
    expect(() => emitter.derive({ inputs: { namespace: '', name: 'x' }, outputs: backup })).toThrow(/inputs\[0\]\.namespace/);
    const marker = await emitter.remove({ inputs: backup });
    await emitter.close();
    const messages = await readTopic(topic, 1);
    expect(messages.map((m) => (JSON.parse(m.value?.toString('utf8') ?? '{}') as DataMovementEvent).eventId)).toEqual([marker.eventId]);
  });

  it('close() delivers every event that emit() accepted, even when nobody awaited them', async () => {
    const topic = await createTestTopic('emit-close');
    const emitter = createLineageEmitter({ brokers: testKafkaBrokers, topic, resource, lingerMs: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i += 1) {
      void emitter.copy({ inputs: profiles, outputs: { ...backup, name: `profiles-${i % 97}` }, eventId: `close-${i}` });
      ids.push(`close-${i}`);
    }
    await emitter.close();
    const messages = await readTopic(topic, ids.length);
    const received = messages.map((m) => (JSON.parse(m.value?.toString('utf8') ?? '{}') as DataMovementEvent).eventId);
    expect(received.sort()).toEqual(ids.sort());
  });
});
