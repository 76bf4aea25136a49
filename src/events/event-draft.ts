import type { Actor, DatasetRef } from './dataset-ref.js';
import type { Operation, TraceRef } from './data-movement-event.js';

type OneOrMany<T> = T | T[];

/** Fields every helper accepts besides its datasets; the SDK fills the rest. */
export interface EventOptions {
  /** Defaults to a new UUIDv7 (time-ordered). */
  eventId?: string;
  /** When the movement happened; defaults to now. */
  eventTime?: Date | string;
  /** Defaults to the OpenTelemetry resource's service.name, cloud.region and cloud.provider. */
  actor?: Partial<Actor>;
  /** Defaults to the active span. */
  trace?: TraceRef;
  /** Defaults to the OpenTelemetry resource's service.name. */
  producer?: string;
  attributes?: Record<string, string | number | boolean>;
}

/** A movement as a service describes it; `emit()` completes and validates it. */
export interface EventDraft extends EventOptions {
  operation: Operation;
  inputs: OneOrMany<DatasetRef>;
  outputs?: OneOrMany<DatasetRef>;
  removesClassifications?: string[];
}

export interface CopyDraft extends EventOptions {
  inputs: OneOrMany<DatasetRef>;
  outputs: OneOrMany<DatasetRef>;
}
export interface DeriveDraft extends CopyDraft {
  removesClassifications?: string[];
}
export interface AccessDraft extends EventOptions {
  inputs: OneOrMany<DatasetRef>;
}
export type RemoveDraft = AccessDraft;

export function toArray<T>(value: OneOrMany<T> | undefined): T[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}
