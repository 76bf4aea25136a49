import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../src/adapters/kafka/kafka-message-publisher.js';

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
    expect(chunks.map((c) => c.map((m) => m.value.length))).toEqual([[10], [5_000], [10]]);
  });

  it('counts header bytes', () => {
    const withHeaders = { key: null, value: Buffer.alloc(400), headers: { 'x-dlq-reason': 'r'.repeat(300) } };
    expect(chunksOf([withHeaders, withHeaders], 1_000)).toHaveLength(2);
  });
});
