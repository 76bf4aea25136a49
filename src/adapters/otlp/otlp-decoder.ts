import { appendAll } from '../../collections/append-all.js';
import type { DataMovementEvent } from '../../events/data-movement-event.js';
import type { IncomingMessage } from '../../ports/incoming-message.js';
import type { DecodedMessage, EventDecoder } from '../../ports/event-decoder.js';
import { completeEvent } from '../../events/complete-event.js';
import type { EventDraft } from '../../events/event-draft.js';
import { draftFromSpanData } from '../../events/draft-from-span.js';
import { datasetOfDatabaseRead } from './database-read.js';
import { readOtlpSpans, type OtlpSpan } from './read-otlp-spans.js';

export interface OtlpDecoderOptions {
  /** BORDERLINE_OTLP_DB_READS: CLIENT spans of standard database instrumentation that read become accesses. */
  databaseReads: boolean;
}

const where = (span: OtlpSpan) => `span "${span.name}" (trace ${span.traceId}, span ${span.spanId})`;

/**
 * The OTLP topic's decoder (docs/contract.md §9): each message one `ExportTraceServiceRequest` from the
 * Collector's Kafka exporter. A span with `borderline.lineage.operation` is one event, built exactly
 * as the SDK's span processor builds it (the same `draftFromSpanData` and `completeEvent`); its
 * default id `otel-<traceId>-<spanId>` makes a span that also came through the SDK count once. A
 * lineage span that makes an invalid event sends the message to the DLQ naming the span and the field,
 * while its other spans still count. With `databaseReads`, a database read (see `datasetOfDatabaseRead`)
 * by a service whose resource states `cloud.region` is an access by `(service.name, cloud.region)`.
 * Every other span is skipped and counted.
 */
export class OtlpDecoder implements EventDecoder {
  constructor(private readonly options: OtlpDecoderOptions = { databaseReads: false }) {}

  decode(message: IncomingMessage): DecodedMessage {
    const read = readOtlpSpans(message.value);
    if (!read.ok) return { ok: false, problems: [read.problem] };
    const { events, rejected, ignored } = this.readSpans(read.spans);
    return { ok: true, events, ignored, ...(rejected.length > 0 ? { rejected } : {}) };
  }

  /** The events a batch of spans carries, the reasons its bad lineage spans are rejected, and how many spans carry none. */
  readSpans(spans: readonly OtlpSpan[]): { events: DataMovementEvent[]; rejected: string[]; ignored: number } {
    const events: DataMovementEvent[] = [];
    const rejected: string[] = [];
    let ignored = 0;
    for (const span of spans) {
      let draft: EventDraft | undefined;
      try {
        draft = draftFromSpanData(span) ?? this.databaseRead(span);
      } catch (error) {
        rejected.push(`${where(span)}: ${(error as Error).message}`);
        continue;
      }
      if (!draft) {
        ignored += 1;
        continue;
      }
      const parsed = completeEvent(draft, span.resource);
      if (parsed.ok) events.push(parsed.event);
      else
        appendAll(
          rejected,
          parsed.problems.map((p) => `${where(span)}: ${p}`),
        );
    }
    return { events, rejected, ignored };
  }

  /** A database read as an access draft, when enabled and the service states where it runs. */
  private databaseRead(span: OtlpSpan): EventDraft | undefined {
    if (!this.options.databaseReads || typeof span.resource['cloud.region'] !== 'string') return undefined;
    const dataset = datasetOfDatabaseRead(span);
    if (!dataset) return undefined;
    return {
      operation: 'access',
      eventId: `otel-${span.traceId}-${span.spanId}`,
      eventTime: new Date(span.endTimeMs),
      inputs: [dataset],
      trace: { traceId: span.traceId, spanId: span.spanId },
    };
  }
}
