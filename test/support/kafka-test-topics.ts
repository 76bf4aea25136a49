import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { testKafkaBrokers, uniqueName } from './infra-endpoints.js';

export const testKafka = new Kafka({ clientId: 'borderline-test', brokers: testKafkaBrokers, logLevel: logLevel.NOTHING });

export interface ReadMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/** Creates a fresh topic that no other test uses. */
export async function createTestTopic(prefix: string, numPartitions = 3): Promise<string> {
  const topic = uniqueName(prefix);
  const admin = testKafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('utf8') : String(v)]));
}

/** A reading consumer that crashed (a broker restarted under it): the read is started again, in a new group. */
class ReaderCrashed extends Error {}

/**
 * Reads a topic from the beginning until `count` messages arrived, then on to the topic's end as it
 * stands then: a message that should not be there and is already on the topic is read too, with no
 * wait (a caller that must also see what a producer has yet to send waits for its positive signal
 * first, e.g. waitUntilConsumed). Fails after `timeoutMs`. A consumer that crashes
 * (kafkajs would restart it in a timer whose failure nobody awaits: an unhandled rejection) reads
 * again from the start, up to three times.
 */
export async function readTopic(topic: string, count: number, options: { timeoutMs?: number } = {}): Promise<ReadMessage[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await readTopicOnce(topic, count, options);
    } catch (error) {
      if (!(error instanceof ReaderCrashed) || attempt >= 3) throw error;
    }
  }
}

async function readTopicOnce(topic: string, count: number, { timeoutMs = 30_000 } = {}): Promise<ReadMessage[]> {
  const consumer = testKafka.consumer({
    groupId: uniqueName('reader'),
    maxWaitTimeInMs: 100,
    retry: { restartOnFailure: () => Promise.resolve(false) },
  });
  let crashed: Error | undefined;
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    crashed = payload.error;
  });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer
      .run({
        eachMessage: ({ message, partition }) => {
          messages.push({
            key: message.key?.toString('utf8') ?? null,
            value: message.value,
            headers: decodeHeaders(message.headers),
            partition,
            offset: message.offset,
          });
          return Promise.resolve();
        },
      })
      .catch((error: unknown) => {
        throw new ReaderCrashed(`reading ${topic}: the consumer did not start (${(error as Error).message})`);
      });
    const deadline = Date.now() + timeoutMs;
    while (messages.length < count && Date.now() < deadline && !crashed) await new Promise((r) => setTimeout(r, 50));
    if (crashed) throw new ReaderCrashed(`reading ${topic}: the consumer crashed (${crashed.message})`);
    if (messages.length < count) throw new Error(`read ${messages.length} of ${count} messages from ${topic} in ${timeoutMs} ms`);
    const held = await countMessages(topic);
    while (messages.length < held && Date.now() < deadline && !crashed) await new Promise((r) => setTimeout(r, 50));
    if (crashed) throw new ReaderCrashed(`reading ${topic}: the consumer crashed (${(crashed as Error).message})`);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Waits until consumer group `groupId` has committed every partition of `topic` up to its end: the
 * tracker commits a batch only after writing it and publishing the alerts the write claimed, so
 * this is the positive signal that everything sent before the call has been processed.
 */
export async function waitUntilConsumed(groupId: string, topic: string, timeoutMs = 180_000): Promise<void> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = (committed?.partitions ?? []).filter((p) => Number(p.offset) < (ends.get(p.partition) ?? 0));
      if (committed && committed.partitions.length === ends.size && behind.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`group ${groupId} did not consume ${topic} to its end in ${timeoutMs} ms (${behind.length} partitions behind)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/** How many messages a topic holds (0 when it does not exist yet). */
export async function countMessages(topic: string): Promise<number> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until consumer group `groupId` is Stable with `members` members: a rebalance has handed out the partitions. */
export async function waitForGroupMembers(groupId: string, members: number, timeoutMs = 60_000): Promise<void> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [group] = (await admin.describeGroups([groupId])).groups;
      if (group?.state === 'Stable' && group.members.length === members) return;
      if (Date.now() > deadline)
        throw new Error(
          `group ${groupId} is ${group?.state ?? 'unknown'} with ${group?.members.length ?? 0} members, not Stable with ${members}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
