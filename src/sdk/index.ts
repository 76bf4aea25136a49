/** borderline/sdk — what an instrumented service imports to report data movements. */
export { createLineageEmitter, type LineageEmitterOptions } from './create-lineage-emitter.js';
export { LineageEmitter, type ResourceLike } from './lineage-emitter.js';
export { LineageEventError } from './lineage-event-error.js';
export { LineageSpanProcessor, draftFromSpan } from './lineage-span-processor.js';
export { LINEAGE_ATTRIBUTES } from '../events/draft-from-span.js';
export type { EventDraft, CopyDraft, DeriveDraft, AccessDraft, RemoveDraft, EventOptions } from '../events/event-draft.js';
export type { DataMovementEvent, Operation, TraceRef } from '../events/data-movement-event.js';
export type { DatasetRef, Actor } from '../events/dataset-ref.js';
