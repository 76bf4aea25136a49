import type { Producer } from 'kafkajs';
import { testKafka } from './kafka-test-topics.js';

let producer: Producer | undefined;

/** Produces raw messages (valid or not) exactly as given, bypassing the SDK's validation. */
export async function produceRaw(
  topic: string,
  messages: Array<{ key: string; value: Buffer | string; partition?: number }>,
): Promise<void> {
  if (!producer) {
    producer = testKafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }
  for (let i = 0; i < messages.length; i += 1000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1000) });
}

/** A valid copy event between two datasets of a test's namespace. */
export function copyEvent(prefix: string, id: string | number, from: string, to: string, timeMs = Date.parse('2026-11-22T10:00:00Z')) {
  return {
    specVersion: '1.0',
    eventId: `${prefix}-${id}`,
    eventTime: new Date(timeMs).toISOString(),
    operation: 'copy',
    inputs: [{ namespace: `pg://${prefix}`, name: from, region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] }],
    outputs: [{ namespace: `s3://${prefix}`, name: to, region: 'ap-southeast-1', provider: 'aws' }],
  };
}
