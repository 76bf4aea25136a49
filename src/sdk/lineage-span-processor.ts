import { ROOT_CONTEXT, diag, trace, type Attributes, type Context } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BorderlineError } from '../errors/borderline-error.js';
import type { DatasetRef } from '../events/dataset-ref.js';
import type { EventDraft } from './event-draft.js';
import type { LineageEmitter } from './lineage-emitter.js';

/** The span attributes that make a span report a data movement (see docs/events.md). */
export const LINEAGE_ATTRIBUTES = {
  operation: 'borderline.lineage.operation',
  inputs: 'borderline.lineage.inputs',
  outputs: 'borderline.lineage.outputs',
  removesClassifications: 'borderline.lineage.removes_classifications',
  actorRegion: 'borderline.lineage.actor.region',
  actorProvider: 'borderline.lineage.actor.provider',
  eventId: 'borderline.lineage.event_id',
} as const;

function text(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function datasets(attributes: Attributes, key: string): DatasetRef[] | undefined {
  const raw = text(attributes, key);
  if (raw === undefined) return undefined;
  let parsed: DatasetRef | DatasetRef[];
  try {
    parsed = JSON.parse(raw) as DatasetRef | DatasetRef[];
  } catch (error) {
    throw new BorderlineError(`${key}: not JSON (${(error as Error).message})`, { cause: error });
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** A finished span as lineage reads it, wherever it comes from (the SDK, or OTLP through the Collector). */
export interface SpanData {
  attributes: Attributes;
  resource: Attributes;
  traceId: string;
  spanId: string;
  endTimeMs: number;
}

/**
 * Builds the event a finished span describes, or undefined for a span without lineage attributes
 * (the convention of docs/events.md). Throws on attributes that cannot be read (e.g. inputs that are
 * not JSON), naming the attribute.
 */
export function draftFromSpanData(span: SpanData): EventDraft | undefined {
  const a = span.attributes;
  const operation = text(a, LINEAGE_ATTRIBUTES.operation);
  if (operation === undefined) return undefined;
  const { traceId, spanId, resource } = span;
  const removes = a[LINEAGE_ATTRIBUTES.removesClassifications];
  return {
    operation: operation as EventDraft['operation'],
    // One span is one movement: a re-exported span must not count twice.
    eventId: text(a, LINEAGE_ATTRIBUTES.eventId) ?? `otel-${traceId}-${spanId}`,
    eventTime: new Date(span.endTimeMs),
    inputs: datasets(a, LINEAGE_ATTRIBUTES.inputs) ?? [],
    ...(text(a, LINEAGE_ATTRIBUTES.outputs) !== undefined ? { outputs: datasets(a, LINEAGE_ATTRIBUTES.outputs) } : {}),
    ...(Array.isArray(removes) ? { removesClassifications: removes.filter((r): r is string => typeof r === 'string') } : {}),
    actor: {
      service: text(resource, 'service.name'),
      region: text(a, LINEAGE_ATTRIBUTES.actorRegion) ?? text(resource, 'cloud.region'),
      provider: text(a, LINEAGE_ATTRIBUTES.actorProvider) ?? text(resource, 'cloud.provider'),
    },
    trace: { traceId, spanId },
  };
}

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
