import { isSpanContextValid } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import type { DataMovementEvent } from '../events/data-movement-event.js';

/**
 * The event with its `trace` taken from the message's W3C `traceparent` header when the body has
 * none (docs/contract.md §1: producers propagate trace context in the headers, as
 * `@opentelemetry/instrumentation-kafkajs` and the Java and librdkafka instrumentations do). A body's
 * own `trace` wins; an invalid header is ignored.
 */
export function withTraceFromHeaders(event: DataMovementEvent, headers: Readonly<Record<string, string>>): DataMovementEvent {
  if (event.trace || !headers.traceparent) return event;
  const context = parseTraceParent(headers.traceparent);
  if (!context || !isSpanContextValid(context)) return event;
  return { ...event, trace: { traceId: context.traceId, spanId: context.spanId } };
}
