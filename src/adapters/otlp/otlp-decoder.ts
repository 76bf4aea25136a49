import type { DataMovementEvent } from '../../events/data-movement-event.js';
import type { IncomingMessage } from '../../ingest/incoming-message.js';
import type { DecodedMessage, EventDecoder } from '../../ports/event-decoder.js';
import { completeEvent } from '../../sdk/complete-event.js';
import { draftFromSpanData } from '../../sdk/lineage-span-processor.js';
import { readOtlpSpans, type OtlpSpan } from './read-otlp-spans.js';

const where = (span: OtlpSpan) => `span "${span.name}" (trace ${span.traceId}, span ${span.spanId})`;

/**
 * The OTLP topic's decoder (CONTRACT §9): each message one `ExportTraceServiceRequest` from the
 * Collector's Kafka exporter. A span with `borderline.lineage.operation` is one event, built exactly
 * as the SDK's span processor builds it (the same `draftFromSpanData` and `completeEvent`); its
 * default id `otel-<traceId>-<spanId>` makes a span that also came through the SDK count once. A
 * lineage span that makes an invalid event sends the message to the DLQ naming the span and the field,
 * while its other spans still count; every other span is skipped and counted.
 */
export class OtlpDecoder implements EventDecoder {
  decode(message: IncomingMessage): DecodedMessage {
    const read = readOtlpSpans(message.value);
    if (!read.ok) return { ok: false, problems: [read.problem] };
    const events: DataMovementEvent[] = [];
    const rejected: string[] = [];
    let ignored = 0;
    for (const span of read.spans) {
      let draft;
      try {
        draft = draftFromSpanData(span);
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
      else rejected.push(...parsed.problems.map((p) => `${where(span)}: ${p}`));
    }
    return { ok: true, events, ignored, ...(rejected.length > 0 ? { rejected } : {}) };
  }
}
