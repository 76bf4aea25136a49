import type { ICustomPartitioner } from 'kafkajs';

const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (the Java client's `Utils.murmur2`) in 32-bit integer arithmetic. kafkajs's own
 * copy emulates 64-bit longs and was a tenth of the emitter's CPU time; the result is the same
 * (test/adapters/kafka/java-compatible-partitioner.test.ts compares the two).
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[whole + 2]! << 16;
  if (tail >= 2) h ^= data[whole + 1]! << 8;
  if (tail >= 1) h = Math.imul(h ^ data[whole]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The Java client's default partitioning for keyed messages (`toPositive(murmur2(key)) % partitions`),
 * so events keyed by dataset land on the same partition whichever client produced them; unkeyed
 * messages go round-robin over partitions that have a leader.
 */
export const JavaCompatiblePartitioner: ICustomPartitioner = () => {
  let counter = Math.floor(Math.random() * 0x7fffffff);
  return ({ partitionMetadata, message }) => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) {
      const key = typeof message.key === 'string' ? Buffer.from(message.key) : message.key;
      return (murmur2(key) & 0x7fffffff) % partitionMetadata.length;
    }
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    counter = (counter + 1) & 0x7fffffff;
    return available.length > 0 ? available[counter % available.length]!.partitionId : counter % partitionMetadata.length;
  };
};
