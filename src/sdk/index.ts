/** borderline/sdk — what an instrumented service imports to report data movements. */
export { createLineageEmitter, type LineageEmitterOptions } from '../adapters/kafka/create-lineage-emitter.js';
export { LineageEmitter, type ResourceLike } from './lineage-emitter.js';
export { LineageEventError } from './lineage-event-error.js';
export { LineageSpanProcessor, LINEAGE_ATTRIBUTES, draftFromSpan } from './lineage-span-processor.js';
export type { EventDraft, CopyDraft, DeriveDraft, AccessDraft, RemoveDraft, EventOptions } from './event-draft.js';
export type { DataMovementEvent, Operation, TraceRef } from '../events/data-movement-event.js';
export type { DatasetRef, Actor } from '../events/dataset-ref.js';
