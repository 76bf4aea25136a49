import { appendAll } from '../../collections/append-all.js';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';

/** Room for the DLQ headers (reason, source) on top of the largest message the events topic takes. */
const DEAD_LETTER_HEADER_ROOM = 64 * 1024;

/** The broker's own default for `max.message.bytes` (Kafka's `message.max.bytes`). */
const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface TrackerTopics {
  /** The topics the tracker consumes: the events topic, and the OpenLineage and OTLP topics when configured. */
  inputs: string[];
  alerts: string;
  deadLetters: string;
}

async function createMissing(
  admin: Admin,
  topics: Array<{ topic: string; configEntries?: Array<{ name: string; value: string }> }>,
  numPartitions: number,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter(({ topic }) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((t) => ({ ...t, numPartitions })), waitForLeaders: true });
    await untilKnown(
      admin,
      missing.map(({ topic }) => topic),
    );
  }
  return missing.map(({ topic }) => topic);
}

/**
 * Waits until the broker's metadata lists the new topics: createTopics can return before every
 * broker answers for them, and a consumer that subscribes in that window fails with
 * UNKNOWN_TOPIC_OR_PARTITION (seen on a loaded machine).
 */
async function untilKnown(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: known } = await admin.fetchTopicMetadata({ topics });
      if (known.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the new topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions: number): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await createMissing(
      admin,
      topics.map((topic) => ({ topic })),
      numPartitions,
    );
  } finally {
    await admin.disconnect();
  }
}

/** A topic's `max.message.bytes` as the broker applies it (its own setting, else the broker's). */
export async function maxMessageBytes(admin: Admin, topic: string): Promise<number> {
  const described = await admin.describeConfigs({
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
    includeSynonyms: false,
  });
  const value = described.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue;
  return value ? Number(value) : KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
}

/**
 * Creates the tracker's topics that do not exist yet (docs/contract.md §1); existing ones are left as they
 * are. The dead-letter topic is created to take any message an input topic takes (the largest
 * `max.message.bytes` of them, plus room for the DLQ headers), so that a dead letter is
 * never refused for its size; `minDeadLetterBytes` is what it must take at least (the tracker's
 * event size limit). Returns the topics created and the DLQ's limit.
 */
export async function ensureTrackerTopics(
  kafka: Kafka,
  topics: TrackerTopics,
  numPartitions: number,
  minDeadLetterBytes: number,
): Promise<{ created: string[]; deadLetterMaxBytes: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await createMissing(
      admin,
      [...topics.inputs, topics.alerts].map((topic) => ({ topic })),
      numPartitions,
    );
    const inputLimits = await Promise.all(topics.inputs.map((topic) => maxMessageBytes(admin, topic)));
    const wanted = inputLimits.reduce((most, limit) => Math.max(most, limit), minDeadLetterBytes) + DEAD_LETTER_HEADER_ROOM;
    appendAll(
      created,
      await createMissing(
        admin,
        [{ topic: topics.deadLetters, configEntries: [{ name: 'max.message.bytes', value: String(wanted) }] }],
        numPartitions,
      ),
    );
    return { created, deadLetterMaxBytes: await maxMessageBytes(admin, topics.deadLetters) };
  } finally {
    await admin.disconnect();
  }
}
