import type { Admin } from 'kafkajs';

/** One partition's position: the group's committed offset against the end of the log. */
export interface PartitionPosition {
  partition: number;
  /** The next offset the group will read (the log's start when it has committed nothing). */
  committed: string;
  /** The offset the partition's next message will get. */
  end: string;
  lag: number;
}

/**
 * Where the group stands on each partition of `topic`, as the broker sees it: committed offsets
 * against the log's ends. Truthful whatever the consumer is doing (writing, retrying, paused, stopped),
 * since offsets are committed only after the graph write.
 */
export async function measureConsumerLag(admin: Admin, groupId: string, topic: string): Promise<PartitionPosition[]> {
  const [groupOffsets, topicOffsets] = await Promise.all([
    admin.fetchOffsets({ groupId, topics: [topic] }),
    admin.fetchTopicOffsets(topic),
  ]);
  const committed = new Map((groupOffsets[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
  return topicOffsets
    .map(({ partition, high, low }) => {
      const own = committed.get(partition);
      const next = own === undefined || own === '-1' ? low : own;
      return { partition, committed: next, end: high, lag: Math.max(0, Number(BigInt(high) - BigInt(next))) };
    })
    .sort((a, b) => a.partition - b.partition);
}
