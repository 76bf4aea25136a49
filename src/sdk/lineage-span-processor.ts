import { ROOT_CONTEXT, diag, trace, type Context } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { EventDraft } from '../events/event-draft.js';
import { draftFromSpanData } from '../events/draft-from-span.js';
import type { LineageEmitter } from './lineage-emitter.js';

/** Builds the event a finished SDK span describes, or undefined for a span without lineage attributes. */
export function draftFromSpan(span: ReadableSpan): EventDraft | undefined {
  const { traceId, spanId } = span.spanContext();
  return draftFromSpanData({
    attributes: span.attributes,
    resource: span.resource.attributes,
    traceId,
    spanId,
    endTimeMs: hrTimeToMilliseconds(span.endTime),
  });
}

/**
 * Turns finished spans that carry `borderline.lineage.*` attributes into data-movement events, so a
 * service that already traces its jobs reports lineage by setting attributes. A span whose
 * attributes do not make a valid event is reported through the OpenTelemetry diag logger and
 * counted in `rejectedSpans`; it never breaks the tracing pipeline.
 */
export class LineageSpanProcessor implements SpanProcessor {
  rejectedSpans = 0;

  constructor(private readonly emitter: LineageEmitter) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    let draft: EventDraft | undefined;
    try {
      draft = draftFromSpan(span);
      if (!draft) return;
      this.emitter.emit(draft, trace.setSpanContext(ROOT_CONTEXT, span.spanContext())).catch((error: unknown) => {
        diag.error(`borderline: lineage event of span "${span.name}" was not delivered`, error);
      });
    } catch (error) {
      this.rejectedSpans += 1;
      diag.error(`borderline: span "${span.name}" has invalid lineage attributes: ${(error as Error).message}`);
    }
  }

  forceFlush(): Promise<void> {
    return this.emitter.flush();
  }

  /** Flushes; the emitter stays open, since the service may share it. Close it yourself. */
  shutdown(): Promise<void> {
    return this.emitter.flush();
  }
}
