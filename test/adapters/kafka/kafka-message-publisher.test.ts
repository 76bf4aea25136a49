import { describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { chunksOf, classifySendError, KafkaMessagePublisher } from '../../../src/adapters/kafka/kafka-message-publisher.js';
import { messageIdentity } from '../../../src/adapters/kafka/read-back.js';
import { MessageTooLargeError } from '../../../src/errors/borderline-error.js';

const message = (bytes: number, key = 'k') => ({ key, value: Buffer.alloc(bytes), headers: {} });

describe('chunksOf', () => {
  it('keeps order and keeps every request under the byte limit', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(299, `k${i}`)); // 301 bytes each with the key
    const chunks = chunksOf(messages, 1_000);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('sends a message larger than the limit alone rather than dropping it', () => {
    const chunks = chunksOf([message(10), message(5_000), message(10)], 1_000);
    expect(chunks.map((c) => c.map((m) => m.value?.length))).toEqual([[10], [5_000], [10]]);
  });

  it('counts header bytes', () => {
    const withHeaders = { key: null, value: Buffer.alloc(400), headers: { 'x-dlq-reason': 'r'.repeat(300) } };
    expect(chunksOf([withHeaders, withHeaders], 1_000)).toHaveLength(2);
  });
});

describe('classifySendError', () => {
  const { KafkaJSProtocolError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSConnectionError } =
    kafkajs as unknown as Record<string, new (e: unknown, o?: unknown) => Error>;

  it("keeps kafkajs's own verdict: a connection error is retriable, retries that ran out too", () => {
    expect(classifySendError(new KafkaJSConnectionError!('Connection error: ECONNREFUSED'), 'm').retriable).toBe(true);
    expect(
      classifySendError(new KafkaJSNumberOfRetriesExceeded!(new Error('timeout'), { retryCount: 5, retryTime: 1 }), 'm').retriable,
    ).toBe(true);
  });

  it('is not retriable when the broker refused for good, and names a size refusal as MessageTooLargeError', () => {
    const tooLarge = new KafkaJSProtocolError!({
      type: 'MESSAGE_TOO_LARGE',
      code: 10,
      retriable: false,
      message: 'The request included a message larger than the max message size the server will accept',
    });
    // as kafkajs's retrier gives up on it: wrapped, the original as the cause
    const refused = classifySendError(new KafkaJSNonRetriableError!(tooLarge, { cause: tooLarge }), '1 message(s) to dlq');
    expect(refused).toBeInstanceOf(MessageTooLargeError);
    expect(refused.retriable).toBe(false);
    expect(refused.message).toMatch(/^could not publish 1 message\(s\) to dlq: /);
    const denied = new KafkaJSProtocolError!({
      type: 'TOPIC_AUTHORIZATION_FAILED',
      code: 29,
      retriable: false,
      message: 'Not authorized to access topics',
    });
    expect(classifySendError(denied, 'm').retriable).toBe(false);
  });
});

describe('KafkaMessagePublisher read-back (issue 16, finding 4: at most once across a lost acknowledgement)', () => {
  /** A topic of one partition, and a producer that can write a request and then lose its acknowledgement. */
  function setup() {
    const log: Array<{ key: string; value: string }> = [];
    let loseNextAck = false;
    const producer = {
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      send: ({ messages }: { messages: Array<{ key: string; value: Buffer }> }) => {
        const baseOffset = String(log.length);
        log.push(...messages.map((m) => ({ key: m.key, value: m.value.toString() })));
        if (loseNextAck) {
          loseNextAck = false;
          return Promise.reject(
            new (kafkajs as unknown as Record<string, new (m: string) => Error>).KafkaJSConnectionError!('Connection error'),
          );
        }
        return Promise.resolve([{ topicName: 't', partition: 0, errorCode: 0, baseOffset }]);
      },
    };
    const readBacks: Array<Map<number, string>> = [];
    const readBack = {
      ends: () => Promise.resolve(new Map([[0, String(log.length)]])),
      identitiesSince: (_topic: string, from: ReadonlyMap<number, string>) => {
        readBacks.push(new Map(from));
        return Promise.resolve(new Set(log.slice(Number(from.get(0))).map((m) => messageIdentity(m.key, Buffer.from(m.value)))));
      },
    };
    const publisher = new KafkaMessagePublisher(() => producer as unknown as kafkajs.Producer, { readBack });
    const m = (key: string, value: string) => ({ key, value: Buffer.from(value), headers: {} });
    return { log, publisher, readBacks, m, loseAck: () => (loseNextAck = true) };
  }

  it('does not send again what a send whose acknowledgement was lost wrote, and sends the rest', async () => {
    const { log, publisher, readBacks, m, loseAck } = setup();
    await publisher.send('t', [m('a', 'open')]);
    loseAck();
    const lost = publisher.send('t', [m('b', 'open'), m('c', 'open')]);
    await expect(lost).rejects.toMatchObject({ retriable: true });
    // The pipeline retries the same states, plus one recorded meanwhile.
    await publisher.send('t', [m('b', 'open'), m('c', 'open'), m('b', 'remediated')]);
    expect(log.map((x) => `${x.key}/${x.value}`)).toEqual(['a/open', 'b/open', 'c/open', 'b/remediated']);
    expect(readBacks).toEqual([new Map([[0, '0']])]); // from the last acknowledged request on, once
    await publisher.send('t', [m('d', 'open')]); // nothing uncertain: no read-back
    expect(readBacks).toHaveLength(1);
  });

  it('reads back nothing when no send failed', async () => {
    const { log, publisher, readBacks, m } = setup();
    await publisher.send('t', [m('a', 'open')]);
    await publisher.send('t', [m('a', 'remediated')]);
    expect(log).toHaveLength(2);
    expect(readBacks).toEqual([]);
  });
});
