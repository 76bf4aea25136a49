/**
 * borderline — the wire formats, the policy file and the span convention, for code that builds on
 * Borderline. It loads no Kafka, Neo4j or OpenTelemetry SDK client: `createLineageEmitter` and
 * `LineageSpanProcessor` are in `borderline/sdk`, which does (lint checks this with dependency-cruiser).
 */
export { DataMovementEvent, Operation, TraceRef } from './events/data-movement-event.js';
export { DatasetRef, Actor, Classification } from './events/dataset-ref.js';
export { parseDataMovementEvent, parseDataMovementEventBytes, type ParsedEvent } from './events/parse-data-movement-event.js';
export { Alert, NodeRef } from './policy/alert.js';
export { PolicyFile, Policy, AllowedLocation, StoreLocation, Severity } from './policy/policy-file.js';
export { parsePolicyFile, loadPolicyFile, PolicyFileError } from './policy/load-policy-file.js';
export { countryOfRegion } from './policy/region-catalog.js';
export { BorderlineError, ConfigurationError } from './errors/borderline-error.js';
export { LINEAGE_ATTRIBUTES, draftFromSpanData, type SpanData } from './events/draft-from-span.js';
export type { EventDraft, CopyDraft, DeriveDraft, AccessDraft, RemoveDraft, EventOptions } from './events/event-draft.js';
