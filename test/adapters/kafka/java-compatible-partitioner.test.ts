import { randomBytes } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { JavaCompatiblePartitioner, murmur2 } from '../../../src/adapters/kafka/java-compatible-partitioner.js';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));

describe('JavaCompatiblePartitioner', () => {
  it('matches the Java client murmur2 on known vectors', () => {
    // Values from Kafka's own UtilsTest.testMurmur2.
    const cases: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ];
    for (const [key, expected] of cases) expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  it('picks the same partition as kafkajs DefaultPartitioner for random keys and partition counts', () => {
    const ours = JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 5_000; i += 1) {
      const key = i % 2 === 0 ? randomBytes(i % 67).toString('base64') : `s3://bucket/table-${i}`;
      const partitionMetadata = metadata(1 + (i % 24));
      const message = { key, value: 'v' };
      expect(ours({ topic: 't', partitionMetadata, message })).toBe(theirs({ topic: 't', partitionMetadata, message }));
    }
  });

  it('spreads unkeyed messages round-robin over partitions that have a leader', () => {
    const partitioner = JavaCompatiblePartitioner();
    const partitionMetadata = metadata(4).map((p) => (p.partitionId === 2 ? { ...p, leader: -1 } : p));
    const chosen = new Set(Array.from({ length: 30 }, () => partitioner({ topic: 't', partitionMetadata, message: { value: 'v' } })));
    expect([...chosen].sort()).toEqual([0, 1, 3]);
  });
});
