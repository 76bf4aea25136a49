import { createHash, randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { BorderlineError } from '../../errors/borderline-error.js';
import type { OutgoingMessage } from '../../ports/message-publisher.js';

/** A message's identity on a topic: its key and value (headers, like a trace context, may differ between sends). */
export function messageIdentity(key: Buffer | string | null, value: Buffer | null): string {
  const hash = createHash('sha256');
  hash.update(key === null ? '\u0000' : `k${Buffer.from(key).toString('base64')}`);
  hash.update('|');
  hash.update(value ?? Buffer.from('\u0000'));
  return hash.digest('base64url');
}

export const identityOf = (m: OutgoingMessage): string => messageIdentity(m.key, m.value);

/** Per partition of a topic, the offset to read from. */
export type PartitionOffsets = ReadonlyMap<number, string>;

/** What a publisher needs to check which messages of a failed send landed after all. */
export interface ReadBack {
  /** Every partition's end (high watermark) now. */
  ends(topic: string): Promise<PartitionOffsets>;
  /** The identities of the messages from `from` to the end. */
  identitiesSince(topic: string, from: PartitionOffsets): Promise<Set<string>>;
}

/** A ReadBack over a kafkajs client. */
export function kafkaReadBack(kafka: Kafka): ReadBack {
  return {
    async ends(topic) {
      const admin = kafka.admin();
      try {
        await admin.connect();
        return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
      } catch (error) {
        throw new BorderlineError(`could not read the ends of ${topic}: ${(error as Error).message}`, { cause: error, retriable: true });
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    identitiesSince: (topic, from) => readIdentitiesSince(kafka, topic, from),
  };
}

/**
 * The identities of the messages on `topic` from `from` (per partition) to the end, read with a
 * throwaway consumer group that commits nothing: what a send whose acknowledgement was lost may
 * have written after all. Partitions not named are not read. Rejects (retriable) when the brokers
 * do not answer, or when the end is not reached within `timeoutMs`.
 */
export async function readIdentitiesSince(kafka: Kafka, topic: string, from: PartitionOffsets, timeoutMs = 30_000): Promise<Set<string>> {
  const found = new Set<string>();
  const admin = kafka.admin();
  const groupId = `borderline-read-back-${randomUUID()}`;
  // Never restarted by kafkajs after a crash (its restart runs in a timer whose failure nobody
  // awaits); a crash fails this read-back instead, and the caller retries it.
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    retry: { retries: 3, restartOnFailure: () => Promise.resolve(false) },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await admin.connect();
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
    const wanted = new Map<number, { from: bigint; end: bigint }>();
    for (const [partition, offset] of from) {
      const end = ends.get(partition) ?? 0n;
      if (BigInt(offset) < end) wanted.set(partition, { from: BigInt(offset), end });
    }
    if (wanted.size === 0) return found;
    const remaining = new Set(wanted.keys());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    let reachedEnd!: () => void;
    let failed!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      reachedEnd = resolve;
      failed = reject;
    });
    // A crash while the consumer joins (a broker restarting: "the coordinator is loading") rejects
    // `done` before it is awaited below; without a handler now, that is an unhandled rejection, which
    // ends a Node process. The rejection is still seen: `await done` rethrows it.
    done.catch(() => undefined);
    timer = setTimeout(
      () => failed(new BorderlineError(`reading back ${topic} did not reach its end in ${timeoutMs} ms`, { retriable: true })),
      timeoutMs,
    );
    consumer.on(consumer.events.CRASH, ({ payload }) => failed(payload.error));
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        const range = wanted.get(batch.partition);
        if (!range) return Promise.resolve();
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (offset >= range.from && offset < range.end) found.add(messageIdentity(m.key, m.value));
          if (offset >= range.end - 1n) remaining.delete(batch.partition);
        }
        if (remaining.size === 0) reachedEnd();
        return Promise.resolve();
      },
    });
    for (const [partition, range] of wanted) consumer.seek({ topic, partition, offset: range.from.toString() });
    await done;
    return found;
  } catch (error) {
    if (error instanceof BorderlineError) throw error;
    throw new BorderlineError(`could not read back ${topic}: ${(error as Error).message}`, { cause: error, retriable: true });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
