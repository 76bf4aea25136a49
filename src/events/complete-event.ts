import type { Attributes } from '@opentelemetry/api';
import type { Actor, DatasetRef } from './dataset-ref.js';
import type { TraceRef } from './data-movement-event.js';
import { parseDataMovementEvent, type ParsedEvent } from './parse-data-movement-event.js';
import { createEventId } from './create-event-id.js';
import { toArray, type EventDraft } from './event-draft.js';

function stringAttribute(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Copies the defined properties only (the schema is strict, and JSON would drop them anyway). */
function definedOnly<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}

function completeActor(given: Partial<Actor> | undefined, resource: Attributes, service: string | undefined): Partial<Actor> | undefined {
  const actor = definedOnly({
    service: given?.service ?? service,
    region: given?.region ?? stringAttribute(resource, 'cloud.region'),
    provider: given?.provider ?? stringAttribute(resource, 'cloud.provider'),
  });
  return Object.keys(actor).length > 0 ? actor : undefined;
}

/**
 * Completes a draft the way the SDK does, wherever the draft came from (an `emit()` call, a span the
 * SDK's span processor saw, a span that arrived through the OpenTelemetry Collector): id, time,
 * producer and actor from the OpenTelemetry resource (`service.name`, `cloud.region`,
 * `cloud.provider`), trace from the draft or the active span; then validates against the contract.
 */
export function completeEvent(draft: EventDraft, resource: Attributes, activeTrace?: TraceRef): ParsedEvent {
  const service = stringAttribute(resource, 'service.name');
  const eventTime = draft.eventTime instanceof Date ? draft.eventTime.toISOString() : (draft.eventTime ?? new Date().toISOString());
  return parseDataMovementEvent(
    definedOnly({
      specVersion: '1.0',
      eventId: draft.eventId ?? createEventId(),
      eventTime,
      operation: draft.operation,
      inputs: toArray<DatasetRef>(draft.inputs),
      outputs: toArray<DatasetRef>(draft.outputs),
      actor: completeActor(draft.actor, resource, service),
      removesClassifications: draft.removesClassifications,
      trace: draft.trace ?? activeTrace,
      producer: draft.producer ?? service,
      attributes: draft.attributes,
    }),
  );
}
