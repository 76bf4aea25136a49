import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace, type Link } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { IngestAbortedError, type IngestPipeline } from '../../ingest/ingest-pipeline.js';
import type { IncomingMessage } from '../../ingest/incoming-message.js';
import type { Logger } from '../../observability/create-logger.js';
import type { IngestObserver } from '../../ports/ingest-observer.js';

export interface KafkaEventConsumerOptions {
  topic: string;
  groupId: string;
  /** Events per graph transaction; a fetched batch larger than this is written in slices, each committed. */
  maxEventsPerWrite: number;
  partitionsConsumedConcurrently: number;
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
 * Consumes the events topic in a consumer group and hands batches to the ingest pipeline. Offsets
 * are committed by hand, only after the pipeline returned (graph written, dead letters acknowledged);
 * a batch abandoned at shutdown or lost to a rebalance is simply delivered again, and the writes are
 * idempotent. A group with no committed offsets starts from the earliest offset.
 */
export class KafkaEventConsumer {
  private readonly consumer: Consumer;
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
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.logger.info({ groupId: payload.groupId, assignment: payload.memberAssignment }, 'joined consumer group');
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
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
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Stops fetching, lets the batch in hand finish or abandon (uncommitted), and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    const control = { heartbeat, isRunning: () => !this.stopping && payload.isRunning() && !payload.isStale() };
    for (let start = 0; start < batch.messages.length; start += this.options.maxEventsPerWrite) {
      if (!control.isRunning()) return;
      const slice: IncomingMessage[] = batch.messages.slice(start, start + this.options.maxEventsPerWrite).map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: decodeHeaders(m.headers),
      }));
      await tracer.startActiveSpan(
        'borderline.ingest.batch',
        { kind: SpanKind.CONSUMER, links: producerLinks(slice), attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': batch.topic, 'messaging.destination.partition.id': String(batch.partition), 'messaging.batch.message_count': slice.length } },
        async (span) => {
          try {
            await this.pipeline.process(slice, control);
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      ).catch((error: unknown) => {
        if (error instanceof IngestAbortedError) return; // not committed: delivered again after restart or rebalance
        throw error;
      });
      if (!control.isRunning()) return;
      const last = slice[slice.length - 1]!.offset;
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      payload.resolveOffset(last);
      await heartbeat();
    }
    this.observer.consumerLag(batch.topic, batch.partition, Number(batch.offsetLag()));
  }
}
