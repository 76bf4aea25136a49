import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace, type Link } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { IngestAbortedError, type IngestPipeline } from '../../ingest/ingest-pipeline.js';
import { PartitionLanes, type CommitOffset } from '../../ingest/partition-lanes.js';
import type { IncomingMessage } from '../../ingest/incoming-message.js';
import type { Logger } from '../../observability/create-logger.js';
import type { IngestObserver } from '../../ports/ingest-observer.js';

export interface KafkaEventConsumerOptions {
  topic: string;
  groupId: string;
  /** Most events per graph transaction; a partition's queue is written in writes of up to this many, each committed. */
  maxEventsPerWrite: number;
  /** Graph writes in flight at once, over all of this process's partitions. */
  concurrentWrites: number;
  /** How long the group waits for a silent member (a crashed process) before giving its partitions away. */
  sessionTimeoutMs: number;
}

const tracer = trace.getTracer('borderline.ingest');

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value[value.length - 1] : value)?.toString() ?? '';
  }
  return out;
}

/** The producers' trace contexts (from `traceparent`), as links of the batch span. */
function producerLinks(messages: readonly IncomingMessage[]): Link[] {
  const links: Link[] = [];
  for (const message of messages) {
    if (!message.headers.traceparent) continue;
    const context = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, message.headers));
    if (context) links.push({ context });
    if (links.length === 128) break; // spans keep a bounded number of links
  }
  return links;
}

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

  constructor(
    kafka: Kafka,
    private readonly pipeline: IngestPipeline,
    private readonly observer: IngestObserver,
    private readonly logger: Logger,
    private readonly options: KafkaEventConsumerOptions,
    private readonly onFatal: (error: Error) => void,
  ) {
    this.consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 1_000, sessionTimeout: options.sessionTimeoutMs, heartbeatInterval: Math.floor(options.sessionTimeoutMs / 10), maxBytesPerPartition: 1024 * 1024, maxBytes: 8 * 1024 * 1024 });
    this.lanes = new PartitionLanes(
      { maxEventsPerWrite: options.maxEventsPerWrite, maxQueuedPerPartition: 2 * options.maxEventsPerWrite, concurrentWrites: options.concurrentWrites },
      {
        write: (messages, isRunning) => this.write(messages, isRunning),
        commit: (offsets) => this.commit(offsets),
        pause: (topic, partition) => this.consumer.pause([{ topic, partitions: [partition] }]),
        resume: (topic, partition) => this.consumer.resume([{ topic, partitions: [partition] }]),
        lag: (topic, partition, lag) => this.observer.consumerLag(topic, partition, lag),
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
      this.logger.error({ err: payload.error.message, restart: payload.restart }, 'consumer crashed');
      if (!payload.restart && !this.stopping) this.onFatal(payload.error);
    });
    this.consumer.on(this.consumer.events.STOP, () => {
      this.joined = false;
    });
  }

  /** True once the consumer has joined its group and until it stops or crashes. */
  isJoined(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrentWrites, // eachBatch only queues; PartitionLanes writes
      eachBatch: (payload) => this.queueBatch(payload),
    });
  }

  /** Stops fetching and queueing, lets the writes in flight finish (committed) or abandon (not), and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.lanes.stop();
    await this.consumer.disconnect();
  }

  /** Queues the batch and marks it consumed, so that the next fetch starts after it; it is committed once written. */
  private async queueBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (this.stopping || payload.isStale() || batch.messages.length === 0) return;
    this.lanes.enqueue(batch.topic, batch.partition, batch.messages.map((m) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
      headers: decodeHeaders(m.headers),
    })), batch.highWatermark);
    payload.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    await payload.heartbeat();
  }

  private async write(messages: readonly IncomingMessage[], isRunning: () => boolean): Promise<boolean> {
    const { topic, partition } = messages[0]!;
    return tracer.startActiveSpan(
      'borderline.ingest.batch',
      { kind: SpanKind.CONSUMER, links: producerLinks(messages), attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.destination.partition.id': String(partition), 'messaging.batch.message_count': messages.length } },
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

  /** A failed commit loses nothing: the next write's commit covers it, or the messages are delivered again. */
  private async commit(offsets: readonly CommitOffset[]): Promise<void> {
    try {
      await this.consumer.commitOffsets([...offsets]);
    } catch (error) {
      this.logger.warn({ offsets, err: (error as Error).message }, 'offset commit failed; the next commit covers it, or the messages are delivered again');
    }
  }
}
