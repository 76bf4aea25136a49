import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { decodeHeaders, producerLinks } from './message-headers.js';
import { measureConsumerLag, type PartitionPosition } from './measure-consumer-lag.js';
import { UndecodableBatchError } from './register-compression-codecs.js';
import type { IngestPipeline } from '../../ingest/ingest-pipeline.js';
import { IngestAbortedError } from '../../ingest/retry-while-running.js';
import { PartitionLanes, type CommitOffset } from '../../ingest/partition-lanes.js';
import type { IncomingMessage } from '../../ports/incoming-message.js';
import type { Logger } from '../../observability/create-logger.js';
import type { IngestObserver } from '../../ports/ingest-observer.js';

export interface KafkaEventConsumerOptions {
  /** The input topics (native events, and OpenLineage or OTLP when configured), consumed by one group. */
  topics: string[];
  groupId: string;
  /** Most events per graph transaction; a partition's queue is written in writes of up to this many, each committed. */
  maxEventsPerWrite: number;
  /** Graph writes in flight at once, over all of this process's partitions. */
  concurrentWrites: number;
  /** How long the group waits for a silent member (a crashed process) before giving its partitions away. */
  sessionTimeoutMs: number;
  /** How often the per-partition lag is read from the broker (committed offsets against the log ends). */
  lagIntervalMs?: number;
}

/** The UndecodableBatchError somewhere in an error's cause chain (kafkajs may wrap it). */
function undecodableCause(error: unknown): UndecodableBatchError | undefined {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof UndecodableBatchError) return e;
  return undefined;
}

const tracer = trace.getTracer('borderline.ingest');

/**
 * Consumes the events topic in a consumer group and hands the messages to the ingest pipeline through
 * per-partition write queues (`PartitionLanes`): a fetched batch is queued and the next fetch starts at
 * once, so a fresh event waits for its own partition's write in flight, never for the slowest partition
 * of the last fetch. Offsets are committed by hand, only after the pipeline returned (graph written,
 * dead letters acknowledged); what is queued or being written when the process stops or the group
 * rebalances is not committed and simply delivered again, and the writes are idempotent. A group with
 * no committed offsets starts from the earliest offset.
 */
export class KafkaEventConsumer {
  private readonly consumer: Consumer;
  private readonly lanes: PartitionLanes;
  private joined = false;
  private stopping = false;
  /** Why consumption stopped for good while the process stays up (a batch that cannot be decoded). */
  private haltedBecause: string | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private reachable = true;
  private readingLag = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly pipeline: IngestPipeline,
    private readonly observer: IngestObserver,
    private readonly logger: Logger,
    private readonly options: KafkaEventConsumerOptions,
    private readonly onFatal: (error: Error) => void,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: 1_000,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.floor(options.sessionTimeoutMs / 10),
      maxBytesPerPartition: 1024 * 1024,
      maxBytes: 8 * 1024 * 1024,
    });
    this.lanes = new PartitionLanes(
      {
        maxEventsPerWrite: options.maxEventsPerWrite,
        maxQueuedPerPartition: 2 * options.maxEventsPerWrite,
        concurrentWrites: options.concurrentWrites,
      },
      {
        write: (messages, isRunning) => this.write(messages, isRunning),
        commit: (offsets) => this.commit(offsets),
        pause: (topic, partition) => this.pauseOrResume('pause', topic, partition),
        resume: (topic, partition) => this.pauseOrResume('resume', topic, partition),
        fatal: (error) => {
          this.logger.error({ err: error.message }, 'write failed for good; stopping consumption');
          if (!this.stopping) this.onFatal(error);
        },
      },
    );
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.lanes.reassigned();
      this.joined = true;
      this.logger.info({ groupId: payload.groupId, assignment: payload.memberAssignment }, 'joined consumer group');
    });
    this.consumer.on(this.consumer.events.REBALANCING, () => this.lanes.reassigned());
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      this.lanes.reassigned();
      const undecodable = undecodableCause(payload.error);
      if (undecodable) return void this.halt(undecodable);
      this.logger.error({ err: payload.error.message, restart: payload.restart }, 'consumer crashed');
      if (payload.restart) this.observer.consumerRestarted();
      else if (!this.stopping) this.onFatal(payload.error);
    });
    this.consumer.on(this.consumer.events.STOP, () => {
      this.joined = false;
    });
  }

  /**
   * Pauses or resumes a partition. While the consumer crashed and restarts (the brokers away), kafkajs
   * has no group to pause in and throws; the restarted group fetches every partition unpaused, and
   * the lanes were reset with it, so there is nothing to do then. Thrown from an event handler, the
   * error would take the process down (it did, in the Kafka-outage test).
   */
  private pauseOrResume(action: 'pause' | 'resume', topic: string, partition: number): void {
    try {
      this.consumer[action]([{ topic, partitions: [partition] }]);
    } catch (error) {
      this.logger.debug({ err: (error as Error).message, topic, partition }, `${action} skipped: the consumer is restarting`);
    }
  }

  /** True once the consumer has joined its group and until it stops or crashes. */
  isJoined(): boolean {
    return this.joined;
  }

  /** Why consumption stopped for good while the process stays up, if it did. */
  haltReason(): string | undefined {
    return this.haltedBecause;
  }

  /** False once the brokers stopped answering (the last position read failed), until they answer again. */
  brokersReachable(): boolean {
    return this.reachable;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrentWrites, // eachBatch only queues; PartitionLanes writes
      eachBatch: (payload) => this.queueBatch(payload),
    });
    this.lagTimer = setInterval(() => void this.reportLag(), this.options.lagIntervalMs ?? 5_000);
    this.lagTimer.unref();
  }

  /** Stops fetching and queueing, lets the writes in flight finish (committed) or abandon (not), and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.lagTimer);
    this.pipeline.shutdown();
    await this.lanes.stop();
    await this.consumer.disconnect();
  }

  /** Queues the batch and marks it consumed, so that the next fetch starts after it; it is committed once written. */
  private async queueBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (this.stopping || payload.isStale() || batch.messages.length === 0) return;
    this.lanes.enqueue(
      batch.topic,
      batch.partition,
      batch.messages.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: decodeHeaders(m.headers),
      })),
    );
    payload.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    await payload.heartbeat();
  }

  private async write(messages: readonly IncomingMessage[], isRunning: () => boolean): Promise<boolean> {
    const { topic, partition } = messages[0]!;
    return tracer.startActiveSpan(
      'borderline.ingest.batch',
      {
        kind: SpanKind.CONSUMER,
        links: producerLinks(messages),
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.batch.message_count': messages.length,
        },
      },
      async (span) => {
        try {
          await this.pipeline.process(messages, { isRunning });
          return true;
        } catch (error) {
          if (error instanceof IngestAbortedError) return false; // stopping: not committed, delivered again after restart
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** The group's committed offsets against the log ends, per partition of each input topic (messages not yet written). */
  async positions(): Promise<Array<PartitionPosition & { topic: string }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const perTopic = await Promise.all(
        this.options.topics.map(async (topic) =>
          (await measureConsumerLag(admin, this.options.groupId, topic)).map((p) => ({ topic, ...p })),
        ),
      );
      return perTopic.flat();
    } finally {
      await admin.disconnect();
    }
  }

  private async reportLag(): Promise<void> {
    // A read the brokers do not answer within a few seconds says they are away (kafkajs itself keeps
    // reconnecting for minutes); the read goes on, and its success says they are back.
    const unanswered = setTimeout(() => this.markReachable(false, 'the brokers did not answer within 4 s'), 4_000).unref();
    if (this.readingLag) return clearTimeout(unanswered); // the previous read is still waiting on the brokers
    this.readingLag = true;
    try {
      for (const p of await this.positions()) this.observer.consumerLag(p.topic, p.partition, p.lag);
      this.markReachable(true);
    } catch (error) {
      this.markReachable(false, (error as Error).message);
    } finally {
      clearTimeout(unanswered);
      this.readingLag = false;
    }
  }

  private markReachable(reachable: boolean, why?: string): void {
    if (reachable && !this.reachable) this.logger.info('Kafka answers again');
    if (!reachable && this.reachable) this.logger.warn({ err: why }, 'Kafka does not answer: /healthz reports it until it does');
    this.reachable = reachable;
  }

  /**
   * A record batch that cannot be decoded (a codec this build lacks, or corrupt data): kafkajs fails
   * the whole fetch, so retrying, or restarting the process, would fail the same way forever. Stop
   * consuming, stay up (API and /healthz, which now says why), and log once where the batch is:
   * at or after the committed offset of a partition that has messages left.
   */
  private halt(error: UndecodableBatchError): void {
    if (this.haltedBecause !== undefined || this.stopping) return;
    this.haltedBecause = `consumption stopped: ${error.message}`;
    this.observer.consumerHalted();
    void (async () => {
      const stuck = await this.positions().then(
        (all) =>
          all
            .filter((p) => p.lag > 0)
            .map(({ topic, partition, committed, lag }) => ({ topic, partition, fromOffset: committed, messagesLeft: lag })),
        () => 'unknown (the broker did not answer)',
      );
      this.logger.fatal(
        {
          topics: this.options.topics,
          groupId: this.options.groupId,
          codec: error.codec,
          cause: error.codecError,
          partitionsWithMessagesLeft: stuck,
        },
        `cannot decode a record batch of ${this.options.topics.join(', ')}: consumption stopped, the API stays up. The batch is at or after fromOffset of one of the partitions listed; see docs/operations.md ("A batch that cannot be decoded")`,
      );
    })();
  }

  /** A failed commit loses nothing: the next write's commit covers it, or the messages are delivered again. */
  private async commit(offsets: readonly CommitOffset[]): Promise<void> {
    try {
      await this.consumer.commitOffsets([...offsets]);
    } catch (error) {
      this.logger.warn(
        { offsets, err: (error as Error).message },
        'offset commit failed; the next commit covers it, or the messages are delivered again',
      );
    }
  }
}
