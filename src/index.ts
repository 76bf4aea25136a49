/** borderline — the wire formats and the SDK, for code that builds on Borderline. */
export { DataMovementEvent, Operation, TraceRef } from './events/data-movement-event.js';
export { DatasetRef, Actor, Classification } from './events/dataset-ref.js';
export { parseDataMovementEvent, parseDataMovementEventBytes, type ParsedEvent } from './events/parse-data-movement-event.js';
export { Alert, NodeRef } from './policy/alert.js';
export { PolicyFile, Policy, AllowedLocation, StoreLocation, Severity } from './policy/policy-file.js';
export { parsePolicyFile, loadPolicyFile, PolicyFileError } from './policy/load-policy-file.js';
export { countryOfRegion } from './policy/region-catalog.js';
export { BorderlineError, ConfigurationError } from './errors/borderline-error.js';
export * from './sdk/index.js';
