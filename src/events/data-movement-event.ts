import { z } from 'zod';
import { Actor, Classification, DatasetRef } from './dataset-ref.js';
import { eventInstant } from './event-instant.js';
import { describeLimitBreaches, EVENT_LIMITS } from './event-limits.js';

export const OPERATIONS = ['copy', 'move', 'derive', 'access', 'delete'] as const;
export const Operation = z.enum(OPERATIONS);
export type Operation = z.infer<typeof Operation>;

/** W3C trace context ids of the span that moved the data (all-zero ids are invalid in W3C). */
export const TraceRef = z.strictObject({
  traceId: z.string().regex(/^(?!0{32}$)[0-9a-f]{32}$/, 'traceId must be 32 lowercase hex digits, not all zero'),
  spanId: z.string().regex(/^(?!0{16}$)[0-9a-f]{16}$/, 'spanId must be 16 lowercase hex digits, not all zero'),
});
export type TraceRef = z.infer<typeof TraceRef>;

const commonFields = {
  specVersion: z.literal('1.0', { error: 'specVersion must be exactly "1.0"' }),
  eventId: z.string().min(1, 'eventId must not be empty').max(200, 'eventId is at most 200 characters'),
  eventTime: eventInstant('eventTime', 'an RFC 3339 date-time with a zone, e.g. 2026-11-22T10:00:00.000Z'),
  inputs: z
    .array(DatasetRef)
    .min(1, 'at least one input is required')
    .max(EVENT_LIMITS.inputs, `an event names at most ${EVENT_LIMITS.inputs} inputs`),
  actor: Actor.optional(),
  trace: TraceRef.optional(),
  producer: z.string().min(1).max(200).optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
};

const requiredOutputs = z
  .array(DatasetRef, { error: (issue) => (issue.input === undefined ? 'copy, move and derive need at least one output' : undefined) })
  .min(1, 'copy, move and derive need at least one output')
  .max(EVENT_LIMITS.outputs, `an event names at most ${EVENT_LIMITS.outputs} outputs`);
const noOutputs = z.array(DatasetRef).max(0, 'access and delete events have no outputs').optional();

export const CopyEvent = z.strictObject({ ...commonFields, operation: z.literal('copy'), outputs: requiredOutputs });
export const MoveEvent = z.strictObject({ ...commonFields, operation: z.literal('move'), outputs: requiredOutputs });
export const DeriveEvent = z.strictObject({
  ...commonFields,
  operation: z.literal('derive'),
  outputs: requiredOutputs,
  removesClassifications: z
    .array(Classification)
    .max(EVENT_LIMITS.classifications, `a derive removes at most ${EVENT_LIMITS.classifications} classifications`)
    .optional(),
});
export const AccessEvent = z.strictObject({
  ...commonFields,
  operation: z.literal('access'),
  outputs: noOutputs,
  actor: z.strictObject(
    { ...Actor.shape, region: z.string({ error: 'required on access events: where the data was read from' }).min(1).max(100) },
    {
      error: (issue) => (issue.input === undefined ? 'access events need an actor with a region: who read the data, and where' : undefined),
    },
  ),
});
export const DeleteEvent = z.strictObject({ ...commonFields, operation: z.literal('delete'), outputs: noOutputs });

/**
 * One data movement, as services put it on the events topic (docs/contract.md §2). The rules that depend
 * on the operation are part of the shape (a union on `operation`), so the generated JSON Schema
 * enforces exactly what this schema does. Unknown fields are rejected: free-form data goes in
 * `attributes`, and a misspelt `removesClassifications` must not silently change lineage.
 */
export const DataMovementEvent = z
  .discriminatedUnion('operation', [CopyEvent, MoveEvent, DeriveEvent, AccessEvent, DeleteEvent], {
    error: (issue) => (issue.code === 'invalid_union' ? `operation must be one of ${OPERATIONS.join(', ')}` : undefined),
  })
  .superRefine((event, ctx) => {
    for (const message of describeLimitBreaches(event))
      ctx.addIssue({ code: 'custom', path: ['outputs'], message: message.replace(/^outputs: /, '') });
  })
  .meta({
    title: 'DataMovementEvent',
    description: `One data movement: a copy, move, derive, access or delete of datasets (Borderline contract v1). Also checked by the tracker, beyond this schema: at most ${EVENT_LIMITS.movements} (input, output) pairs per event.`,
  });
export type DataMovementEvent = z.infer<typeof DataMovementEvent>;
