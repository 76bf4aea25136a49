import type { Kafka, Producer } from 'kafkajs';
import { JavaCompatiblePartitioner } from './java-compatible-partitioner.js';
import type { CompressionName } from '../../config/compression.js';
import { compressionType } from './register-compression-codecs.js';
import { BorderlineError, MessageTooLargeError } from '../../errors/borderline-error.js';
import type { MessagePublisher, OutgoingMessage } from '../../ports/message-publisher.js';
import { identityOf, kafkaReadBack, type PartitionOffsets, type ReadBack } from './read-back.js';

/** Bytes of keys, values and headers per produce request: well under the broker's default 1 MiB per batch. */
const MAX_REQUEST_BYTES = 512 * 1024;

const sizeOf = (m: OutgoingMessage) =>
  (m.key?.length ?? 0) + (m.value?.length ?? 0) + Object.entries(m.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);

/** Consecutive runs of messages whose sizes add up to at most `limit` (a larger message goes alone). */
export function chunksOf(messages: OutgoingMessage[], limit: number): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message);
    if (current.length > 0 && bytes + size > limit) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Kafka's error types for a producer whose idempotence state the broker no longer shares (seen after
 * a broker restart: kafkajs keeps its sequence numbers, the broker restored others). The producer
 * must start over with a new producer id; the send is then worth retrying.
 */
const PRODUCER_STATE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** True when kafkajs says the producer's idempotence state is lost (the error or any cause it wraps). */
export function producerStateLost(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    if (PRODUCER_STATE_LOST.has((e as { type?: string }).type ?? '')) return true;
  return false;
}

/** Kafka's error types for a message or request over a size limit. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

/**
 * kafkajs's own verdict on an error: its `retriable` flag, found on the error or the cause it wraps
 * (the retrier wraps what it gave up on); retries that ran out on a transient error stay retriable.
 */
export function classifySendError(error: unknown, what: string): BorderlineError {
  const message = `could not publish ${what}: ${(error as Error)?.message ?? String(error)}`;
  let retriable = false;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { type, name } = e as Error & { type?: string };
    if (type && TOO_LARGE.has(type)) return new MessageTooLargeError(message, error);
    if (name === 'KafkaJSNumberOfRetriesExceeded' || (e as { retriable?: boolean }).retriable === true) retriable = true;
  }
  return new BorderlineError(message, { cause: error, retriable });
}

export interface KafkaMessagePublisherOptions {
  /** How the producer compresses its batches (default none). */
  compression?: CompressionName;
  /**
   * Sends each message at most once even when an acknowledgement is lost (a broker outage, a new
   * producer): before sending again what a failed send held, reads back what landed since and
   * leaves that out. The tracker's alerts and dead letters use it; the SDK does not need it (the
   * tracker takes a redelivered event as a no-op). `fromKafka` takes `true` for the client's own.
   */
  readBack?: ReadBack;
}

/**
 * Publishes through one idempotent kafkajs producer (acks from all in-sync replicas, broker-side
 * de-duplication of retries). Connects on first use, and again after a failed connect.
 */
export class KafkaMessagePublisher implements MessagePublisher {
  private connecting: Promise<void> | undefined;

  private producer: Producer;

  constructor(
    private readonly createProducer: () => Producer,
    private readonly options: KafkaMessagePublisherOptions = {},
  ) {
    this.producer = createProducer();
  }

  /** Per topic and partition, where a read-back starts: at or before this producer's first unacknowledged message. */
  private readonly safeOffsets = new Map<string, Map<number, string>>();

  /** Messages of failed sends, by identity, with the offsets a read-back for them starts from. */
  private readonly uncertain = new Map<string, PartitionOffsets>();

  static fromKafka(
    kafka: Kafka,
    options: Omit<KafkaMessagePublisherOptions, 'readBack'> & { readBack?: boolean | ReadBack } = {},
  ): KafkaMessagePublisher {
    const producer = () =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: JavaCompatiblePartitioner,
        // Idempotence needs unbounded retries; while the broker is away, sends wait (see docs/events.md).
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 30_000 },
      });
    const { readBack, ...rest } = options;
    const check = readBack === true ? kafkaReadBack(kafka) : readBack || undefined;
    return new KafkaMessagePublisher(producer, { ...rest, ...(check ? { readBack: check } : {}) });
  }

  /** A new producer (a new producer id) in place of one whose idempotence state the broker lost. */
  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.createProducer();
    this.connecting = undefined;
    await old.disconnect().catch(() => undefined);
  }

  /** Sends in order, in requests of at most MAX_REQUEST_BYTES, so that a large backlog never exceeds the broker's limit. */
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const compression = compressionType(this.options.compression ?? 'none');
    const producer = this.producer;
    const readBack = this.options.readBack;
    // Identities are hashed once per send, and only where a read-back is wanted.
    const identities = readBack ? new Map(messages.map((m) => [m, identityOf(m)])) : undefined;
    let from: PartitionOffsets | undefined;
    let unsent = messages;
    try {
      await this.connect();
      if (readBack && identities) {
        from = await this.startOffsets(topic, readBack);
        unsent = await this.leaveOutLanded(topic, messages, identities, readBack);
      }
      for (const chunk of chunksOf(unsent, MAX_REQUEST_BYTES)) {
        const acknowledged = await this.producer.send({ topic, acks: -1, compression, messages: chunk });
        if (readBack) this.advance(topic, acknowledged);
      }
      if (identities && this.uncertain.size > 0) for (const m of unsent) this.uncertain.delete(identities.get(m)!);
    } catch (error) {
      // Some of these may have landed (an acknowledgement lost): the next send of them reads back first.
      if (from && identities)
        for (const m of unsent) {
          const id = identities.get(m)!;
          if (!this.uncertain.has(id)) this.uncertain.set(id, from);
        }
      if (producerStateLost(error)) {
        if (this.producer === producer) await this.replaceProducer(); // once, however many sends saw it
        throw new BorderlineError(
          `could not publish ${messages.length} message(s) to ${topic}: the broker lost the producer's state; retrying with a new producer`,
          {
            cause: error,
            retriable: true,
          },
        );
      }
      if (error instanceof BorderlineError) throw error;
      throw classifySendError(error, `${messages.length} message(s) to ${topic}`);
    }
  }

  /** Where a read-back for `topic` starts if this send fails: the partitions' ends before its first send. */
  private async startOffsets(topic: string, readBack: ReadBack): Promise<PartitionOffsets> {
    let safe = this.safeOffsets.get(topic);
    if (!safe) {
      safe = new Map(await readBack.ends(topic));
      this.safeOffsets.set(topic, safe);
    }
    return new Map(safe);
  }

  /** After an acknowledged request: nothing of this producer is unacknowledged before these offsets. */
  private advance(topic: string, acknowledged: ReadonlyArray<{ partition: number; baseOffset?: string }>): void {
    if (this.uncertain.size > 0) return; // a failed send's messages may still sit before them
    const safe = this.safeOffsets.get(topic);
    for (const r of acknowledged) if (safe && r.baseOffset !== undefined) safe.set(r.partition, r.baseOffset);
  }

  /** `messages` without those a failed send wrote after all (read back from where that send started). */
  private async leaveOutLanded(
    topic: string,
    messages: OutgoingMessage[],
    identities: ReadonlyMap<OutgoingMessage, string>,
    readBack: ReadBack,
  ): Promise<OutgoingMessage[]> {
    if (this.uncertain.size === 0) return messages;
    const starts = messages.map((m) => this.uncertain.get(identities.get(m)!)).filter((f): f is PartitionOffsets => f !== undefined);
    if (starts.length === 0) return messages;
    const from = new Map<number, string>();
    for (const start of starts)
      for (const [partition, offset] of start)
        if (!from.has(partition) || BigInt(offset) < BigInt(from.get(partition)!)) from.set(partition, offset);
    const landed = await readBack.identitiesSince(topic, from);
    const kept = messages.filter((m) => !landed.has(identities.get(m)!));
    for (const m of messages) if (landed.has(identities.get(m)!)) this.uncertain.delete(identities.get(m)!);
    return kept;
  }

  async close(): Promise<void> {
    if (this.connecting) await this.producer.disconnect();
  }

  /** One connect at a time; a rejected one is forgotten, so that the next send tries again. */
  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }
}
