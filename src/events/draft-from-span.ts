import type { Attributes } from '@opentelemetry/api';
import { BorderlineError } from '../errors/borderline-error.js';
import type { DatasetRef } from './dataset-ref.js';
import type { EventDraft } from './event-draft.js';

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
