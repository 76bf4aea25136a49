import { appendAll } from '../collections/append-all.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { Logger } from '../observability/create-logger.js';
import { planGraphWrite, type DatasetObservation } from '../lineage/plan-graph-write.js';
import type { EventDecoder } from '../ports/event-decoder.js';
import type { GraphStore, PendingAlert } from '../ports/graph-store.js';
import type { BatchControl, IncomingMessage } from '../ports/incoming-message.js';
import type { IngestObserver } from '../ports/ingest-observer.js';
import type { MessagePublisher, OutgoingMessage } from '../ports/message-publisher.js';
import type { AlertOutbox } from './alert-outbox.js';
import { decodeBatch, type DecodedBatch } from './decode-batch.js';
import { NativeEventDecoder } from './native-event-decoder.js';
import { IngestAbortedError, retryWhileRunning, type RetryTiming } from './retry-while-running.js';
import { sendDeadLetters } from './send-dead-letters.js';
import { writeOrIsolate, type WriteOrIsolateContext, type WriteResults } from './write-or-isolate.js';

export interface IngestPipelineOptions {
  graph: Pick<GraphStore, 'write'>;
  /** Publishes the states the graph writes record (and claim for it). */
  outbox: AlertOutbox;
  deadLetters: MessagePublisher;
  deadLetterTopic: string;
  observer: IngestObserver;
  logger: Logger;
  maxEventBytes: number;
  retry: RetryTiming;
  /** How each input topic's messages are read; a topic not named here carries native events (docs/events.md). */
  decoders?: ReadonlyMap<string, EventDecoder>;
  /**
   * Most events per graph transaction (BORDERLINE_EVENTS_PER_WRITE). A message may carry many events
   * (an OTLP record is a whole exported batch of spans), so a batch's events are written in
   * transactions of at most this many, all before the batch counts as written.
   */
  maxEventsPerWrite?: number;
  /** Applied to every decoded event before it is written (the policy's classification catalog, docs/producers.md). */
  enrich?: (event: DataMovementEvent) => DataMovementEvent;
}

/**
 * Turns a batch of raw messages into graph writes: decodes them (decodeBatch), writes the valid
 * events isolating any the database refuses (writeOrIsolate), publishes the alert states the writes
 * claimed (AlertOutbox), and dead-letters the invalid messages. When the graph or the broker is away
 * it retries for as long as it takes (the partition's queue fills meanwhile and the consumer pauses
 * it), so that the caller commits offsets only after everything is durably somewhere.
 */
export class IngestPipeline {
  private readonly nativeDecoder: EventDecoder;

  constructor(private readonly options: IngestPipelineOptions) {
    this.nativeDecoder = new NativeEventDecoder(options.maxEventBytes);
  }

  /** The process is shutting down: retries of alert publishes still in flight give up (their states stay in the outbox). */
  shutdown(): void {
    this.options.outbox.shutdown();
  }

  async process(messages: readonly IncomingMessage[], control: BatchControl): Promise<void> {
    const { observer, outbox } = this.options;
    const started = performance.now();
    observer.consumed(messages.length);
    const batch = decodeBatch(messages, {
      decoderOf: (topic) => this.options.decoders?.get(topic) ?? this.nativeDecoder,
      enrich: this.options.enrich ?? ((event) => event),
    });
    this.report(batch);
    const results: WriteResults = { rejected: batch.rejected, claimed: [] };
    const context = this.writeContext(control);
    const perWrite = this.options.maxEventsPerWrite ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < batch.valid.length; i += perWrite) await writeOrIsolate(batch.valid.slice(i, i + perWrite), context, results);
    if (batch.observed.length > 0) await this.recordDatasets(batch.observed, results.claimed, context);
    // The states this write claimed are published even when the batch is abandoned meanwhile; only a shutdown stops it.
    if (results.claimed.length > 0) await outbox.publishWritten(results.claimed);
    if (results.rejected.length > 0) await this.deadLetter(results.rejected, control);
    observer.batchCompleted((performance.now() - started) / 1000);
  }

  private report(batch: DecodedBatch): void {
    const { observer, logger } = this.options;
    if (batch.ignored > 0) observer.inputIgnored(batch.ignored);
    if (batch.conflicts > 0) observer.eventIdConflicts(batch.conflicts);
    if (batch.warnings.length > 0) {
      observer.inputWarnings(batch.warnings.length);
      logger.warn({ count: batch.warnings.length, first: batch.warnings[0] }, 'ignored malformed parts of valid messages');
    }
  }

  private writeContext(control: BatchControl): WriteOrIsolateContext {
    const { graph, outbox, observer, logger, retry } = this.options;
    const reportAvailable = (up: boolean) => observer.graphAvailable(up);
    return {
      graph,
      claimant: outbox.claimant,
      observer,
      logger,
      retryWrite: (action) => retryWhileRunning('graph write', control, action, { timing: retry, logger, reportAvailable }),
    };
  }

  /** Records datasets seen without a movement; a refusal for good is logged, not dead-lettered: nothing moved. */
  private async recordDatasets(observed: DatasetObservation[], claimed: PendingAlert[], context: WriteOrIsolateContext): Promise<void> {
    try {
      await context.retryWrite(async () => {
        appendAll(claimed, (await context.graph.write(planGraphWrite([], observed), context.claimant)).claimed);
      });
    } catch (error) {
      if (error instanceof IngestAbortedError) throw error;
      this.options.logger.error(
        { count: observed.length, err: (error as Error).message },
        'the graph refused datasets seen without a movement; they are not recorded',
      );
    }
  }

  private async deadLetter(rejected: OutgoingMessage[], control: BatchControl): Promise<void> {
    const { deadLetters, deadLetterTopic, observer, logger, retry } = this.options;
    await sendDeadLetters(
      rejected,
      (batch) =>
        retryWhileRunning('dead-letter publish', control, () => deadLetters.send(deadLetterTopic, batch), { timing: retry, logger }),
      observer,
      logger,
    );
    observer.deadLettered(rejected.length);
    logger.warn({ count: rejected.length, firstReason: rejected[0]?.headers['x-dlq-reason'] }, 'dead-lettered invalid events');
  }
}
