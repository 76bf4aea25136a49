import { context as otelContext, isSpanContextValid, propagation, trace, type Attributes, type Context } from '@opentelemetry/api';
import { completeEvent } from '../events/complete-event.js';
import { BorderlineError } from '../errors/borderline-error.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { MessagePublisher } from '../ports/message-publisher.js';
import type { AccessDraft, CopyDraft, DeriveDraft, EventDraft, RemoveDraft } from '../events/event-draft.js';
import { LineageEventError } from './lineage-event-error.js';
import { MessageBatcher, type BatchingOptions } from './message-batcher.js';

/** The part of an OpenTelemetry `Resource` the emitter reads (service.name, cloud.region, cloud.provider). */
export interface ResourceLike {
  readonly attributes: Attributes;
}

export interface LineageEmitterSettings {
  topic: string;
  resource: ResourceLike;
  batching: BatchingOptions;
}

const SPAN_EVENT_NAME = 'borderline.lineage.emit';

/**
 * Emits data-movement events: fills what a service should not have to (id, time, producer, actor
 * location, trace), validates against the contract before anything is queued, and sends in batches.
 * `emit()` throws a `LineageEventError` at once for an invalid event; its promise resolves with the
 * event once the broker has acknowledged it. `flush()` and `close()` lose nothing that was accepted.
 */
export class LineageEmitter {
  private readonly batcher: MessageBatcher<DataMovementEvent>;
  private closed = false;

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly settings: LineageEmitterSettings,
  ) {
    this.batcher = new MessageBatcher(publisher, settings.topic, settings.batching);
  }

  /**
   * Validates and queues one event. `ctx` (default: the active context) supplies the trace ids and
   * the `traceparent`/`tracestate` headers.
   */
  emit(draft: EventDraft, ctx: Context = otelContext.active()): Promise<DataMovementEvent> {
    if (this.closed) throw new BorderlineError('the lineage emitter is closed');
    const event = this.complete(draft, ctx);
    const headers: Record<string, string> = {};
    propagation.inject(ctx, headers);
    const span = trace.getSpan(ctx);
    if (span?.isRecording()) {
      span.addEvent(SPAN_EVENT_NAME, {
        'borderline.event_id': event.eventId,
        'borderline.operation': event.operation,
        'messaging.destination.name': this.settings.topic,
      });
    }
    const keyRef = event.outputs?.[0] ?? event.inputs[0];
    const key = keyRef ? `${keyRef.namespace}/${keyRef.name}` : event.eventId;
    const acknowledged = this.batcher.add({ key, value: Buffer.from(JSON.stringify(event)), headers }, event);
    // A caller that does not await still learns of a failure from flush() or close().
    acknowledged.catch(() => undefined);
    return acknowledged;
  }

  copy(draft: CopyDraft): Promise<DataMovementEvent> {
    return this.emit({ ...draft, operation: 'copy' });
  }

  move(draft: CopyDraft): Promise<DataMovementEvent> {
    return this.emit({ ...draft, operation: 'move' });
  }

  derive(draft: DeriveDraft): Promise<DataMovementEvent> {
    return this.emit({ ...draft, operation: 'derive' });
  }

  /** A read by this service (the actor); reading from another region counts as data leaving. */
  access(draft: AccessDraft): Promise<DataMovementEvent> {
    return this.emit({ ...draft, operation: 'access' });
  }

  /** A `delete` event: the datasets no longer hold the data from `eventTime` on. */
  remove(draft: RemoveDraft): Promise<DataMovementEvent> {
    return this.emit({ ...draft, operation: 'delete' });
  }

  /** Waits until every accepted event is acknowledged; rejects if any failed since the last flush. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Flushes, then releases the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.batcher.flush();
    } finally {
      await this.publisher.close();
    }
  }

  private complete(draft: EventDraft, ctx: Context): DataMovementEvent {
    const spanContext = trace.getSpan(ctx)?.spanContext();
    const activeTrace =
      spanContext && isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : undefined;
    const parsed = completeEvent(draft, this.settings.resource.attributes, activeTrace);
    if (!parsed.ok) throw new LineageEventError(draft.operation, parsed.problems);
    return parsed.event;
  }
}
