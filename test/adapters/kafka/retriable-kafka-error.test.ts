import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isRetriableKafkaError } from '../../../src/adapters/kafka/create-kafka-client.js';

describe('isRetriableKafkaError (a kafkajs error left unhandled during a rejoin is not fatal)', () => {
  const { KafkaJSProtocolError } = kafkajs as unknown as Record<string, new (e: unknown) => Error>;
  it('is true for a retriable kafkajs error such as GROUP_LOAD_IN_PROGRESS, false for anything else', () => {
    const loading = new KafkaJSProtocolError!({
      type: 'GROUP_LOAD_IN_PROGRESS',
      code: 14,
      retriable: true,
      message: "The coordinator is loading and hence can't process requests for this group",
    });
    expect(isRetriableKafkaError(loading)).toBe(true);
    const denied = new KafkaJSProtocolError!({ type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false, message: 'Not authorized' });
    expect(isRetriableKafkaError(denied)).toBe(false);
    expect(isRetriableKafkaError(Object.assign(new Error('x'), { retriable: true }))).toBe(false); // not kafkajs's
    expect(isRetriableKafkaError(undefined)).toBe(false);
  });
});
