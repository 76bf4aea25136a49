import { z } from 'zod';
import { eventInstant } from '../../events/event-instant.js';

/**
 * What Borderline reads of an OpenLineage event (spec 2-0-x, https://openlineage.io/spec/2-0-2/OpenLineage.json):
 * the spec's required fields, checked; everything else, and every facet, passed through untouched
 * (facets are read one by one in `read-facets.ts`, each tolerated when malformed).
 */
const Facets = z.record(z.string(), z.unknown());

const uri = (field: string) => z.string({ error: `${field} is required (a URI)` }).min(1, `${field} must not be empty`);

const BaseEvent = {
  eventTime: eventInstant('eventTime', 'an ISO 8601 date-time with a zone, as the spec requires'),
  producer: uri('producer'),
  schemaURL: uri('schemaURL'),
};

/** A dataset as an event names it: OpenLineage's identity `(namespace, name)` and its facets. */
export const OpenLineageDataset = z.looseObject({
  namespace: z.string({ error: 'namespace is required' }).min(1, 'namespace must not be empty').max(1000),
  name: z.string({ error: 'name is required' }).min(1, 'name must not be empty').max(1000),
  facets: Facets.optional(),
  inputFacets: Facets.optional(),
  outputFacets: Facets.optional(),
});
export type OpenLineageDataset = z.infer<typeof OpenLineageDataset>;

export const OpenLineageJob = z.looseObject({
  namespace: z.string({ error: 'job.namespace is required' }).min(1, 'job.namespace must not be empty'),
  name: z.string({ error: 'job.name is required' }).min(1, 'job.name must not be empty'),
  facets: Facets.optional(),
});

export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;

/** A RunEvent: a run of a job at `eventTime`, reading `inputs` and writing `outputs`. */
export const OpenLineageRunEvent = z.looseObject({
  ...BaseEvent,
  eventType: z.enum(RUN_EVENT_TYPES, { error: `eventType must be one of ${RUN_EVENT_TYPES.join(', ')}` }).optional(),
  run: z.looseObject({
    runId: z.uuid({ error: 'run.runId must be a UUID, as the spec requires' }),
    facets: Facets.optional(),
  }),
  job: OpenLineageJob,
  inputs: z.array(OpenLineageDataset).max(10_000).optional(),
  outputs: z.array(OpenLineageDataset).max(10_000).optional(),
});
export type OpenLineageRunEvent = z.infer<typeof OpenLineageRunEvent>;

/** A DatasetEvent (metadata about one dataset): accepted, carries no movement. */
export const OpenLineageDatasetEvent = z.looseObject({ ...BaseEvent, dataset: OpenLineageDataset });

/** A JobEvent (metadata about a job): accepted, carries no movement. */
export const OpenLineageJobEvent = z.looseObject({
  ...BaseEvent,
  job: OpenLineageJob,
  inputs: z.array(OpenLineageDataset).optional(),
  outputs: z.array(OpenLineageDataset).optional(),
});

/** Which of the three the spec's events a value is: a RunEvent has `run`, a DatasetEvent `dataset`, a JobEvent only `job`. */
export function openLineageKind(value: unknown): 'run' | 'dataset' | 'job' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('run' in value || 'eventType' in value) return 'run';
  if ('dataset' in value) return 'dataset';
  if ('job' in value) return 'job';
  return undefined;
}

/** True when a decoded JSON value looks like an OpenLineage event rather than a native one (it names the OpenLineage spec). */
export function isOpenLineageEvent(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'schemaURL' in value && openLineageKind(value) !== undefined;
}
