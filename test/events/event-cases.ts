/** Valid and invalid events shared by the zod tests and the JSON Schema equivalence test. */
const base = {
  specVersion: '1.0',
  eventId: '01JDR5W9Z3QF8YV2KJ6N4M7P0A',
  eventTime: '2026-11-22T10:00:00.000Z',
};
const users = {
  namespace: 'postgres://users-db',
  name: 'public.profiles',
  region: 'us-ashburn-1',
  provider: 'oci',
  classifications: ['us-user-data'],
};
const backup = { namespace: 's3://tt-backup-sg', name: 'profiles' };
const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

export const validEvents: Record<string, unknown> = {
  'a copy with location, labels, trace, producer and attributes': {
    ...base,
    operation: 'copy',
    inputs: [users],
    outputs: [backup],
    trace,
    producer: 'backup-job',
    attributes: { rows: 1200, full: true, job: 'nightly' },
  },
  'a move': { ...base, operation: 'move', inputs: [users], outputs: [backup] },
  'a derive that strips a label': {
    ...base,
    operation: 'derive',
    inputs: [users],
    outputs: [backup],
    removesClassifications: ['us-user-data'],
  },
  'an access from abroad with an actor region': {
    ...base,
    operation: 'access',
    inputs: [users],
    actor: { service: 'debug-console', region: 'cn-north-1', provider: 'aws' },
  },
  'an access with an empty outputs list': {
    ...base,
    operation: 'access',
    inputs: [users],
    outputs: [],
    actor: { service: 's', region: 'eu-west-1' },
  },
  'a delete': { ...base, operation: 'delete', inputs: [backup] },
  'an eventTime with an offset and no fraction': { ...base, eventTime: '2026-11-22T12:00:00+02:00', operation: 'delete', inputs: [backup] },
  'an eventTime in the first and last instants of RFC 3339 years': {
    ...base,
    eventTime: '0001-01-01T00:00:00Z',
    operation: 'delete',
    inputs: [backup],
  },
  'an eventTime at the end of year 9999 in UTC': { ...base, eventTime: '9999-12-31T23:59:59.999Z', operation: 'delete', inputs: [backup] },
  'a copy with an actor that has no region': { ...base, operation: 'copy', inputs: [users], outputs: [backup], actor: { service: 'etl' } },
  'an eventId of 200 characters': { ...base, eventId: 'x'.repeat(200), operation: 'delete', inputs: [backup] },
};

/** Each invalid event with the problem line the validator must report. */
export const invalidEvents: Record<string, { event: unknown; problem: string }> = {
  'not an object': { event: 'copy', problem: '(event): Invalid input: expected object, received string' },
  'a wrong specVersion': {
    event: { ...base, specVersion: '2.0', operation: 'delete', inputs: [backup] },
    problem: 'specVersion: specVersion must be exactly "1.0"',
  },
  'an empty eventId': {
    event: { ...base, eventId: '', operation: 'delete', inputs: [backup] },
    problem: 'eventId: eventId must not be empty',
  },
  'an eventId over 200 characters': {
    event: { ...base, eventId: 'x'.repeat(201), operation: 'delete', inputs: [backup] },
    problem: 'eventId: eventId is at most 200 characters',
  },
  'an eventTime without a zone': {
    event: { ...base, eventTime: '2026-11-22T10:00:00', operation: 'delete', inputs: [backup] },
    problem: 'eventTime: eventTime must be an RFC 3339 date-time with a zone, e.g. 2026-11-22T10:00:00.000Z',
  },
  'an eventTime that is a date only': {
    event: { ...base, eventTime: '2026-11-22', operation: 'delete', inputs: [backup] },
    problem: 'eventTime: eventTime must be an RFC 3339 date-time with a zone, e.g. 2026-11-22T10:00:00.000Z',
  },
  'an unknown operation': {
    event: { ...base, operation: 'teleport', inputs: [backup] },
    problem: 'operation: operation must be one of copy, move, derive, access, delete',
  },
  'a missing operation': {
    event: { ...base, inputs: [backup] },
    problem: 'operation: operation must be one of copy, move, derive, access, delete',
  },
  'no inputs': { event: { ...base, operation: 'delete', inputs: [] }, problem: 'inputs: at least one input is required' },
  'a copy without outputs': {
    event: { ...base, operation: 'copy', inputs: [users] },
    problem: 'outputs: copy, move and derive need at least one output',
  },
  'a derive with an empty outputs list': {
    event: { ...base, operation: 'derive', inputs: [users], outputs: [] },
    problem: 'outputs: copy, move and derive need at least one output',
  },
  'an access with outputs': {
    event: { ...base, operation: 'access', inputs: [users], outputs: [backup], actor: { service: 's', region: 'eu-west-1' } },
    problem: 'outputs: access and delete events have no outputs',
  },
  'a delete with outputs': {
    event: { ...base, operation: 'delete', inputs: [users], outputs: [backup] },
    problem: 'outputs: access and delete events have no outputs',
  },
  'an access without an actor': {
    event: { ...base, operation: 'access', inputs: [users] },
    problem: 'actor: access events need an actor with a region: who read the data, and where',
  },
  'an access whose actor has no region': {
    event: { ...base, operation: 'access', inputs: [users], actor: { service: 's' } },
    problem: 'actor.region: required on access events: where the data was read from',
  },
  'removesClassifications on a copy': {
    event: { ...base, operation: 'copy', inputs: [users], outputs: [backup], removesClassifications: ['us-user-data'] },
    problem: 'removesClassifications: allowed only on derive events',
  },
  'an unknown field on a dataset': {
    event: { ...base, operation: 'delete', inputs: [{ ...backup, colour: 'red' }] },
    problem: 'inputs[0].colour: unknown field',
  },
  'a dataset without a name': {
    event: { ...base, operation: 'delete', inputs: [{ namespace: 's3://x' }] },
    problem: 'inputs[0].name: required (string)',
  },
  'an uppercase traceId': {
    event: { ...base, operation: 'delete', inputs: [backup], trace: { ...trace, traceId: trace.traceId.toUpperCase() } },
    problem: 'trace.traceId: traceId must be 32 lowercase hex digits, not all zero',
  },
  'a spanId of the wrong length': {
    event: { ...base, operation: 'delete', inputs: [backup], trace: { ...trace, spanId: 'abc' } },
    problem: 'trace.spanId: spanId must be 16 lowercase hex digits, not all zero',
  },
  'an all-zero traceId': {
    event: { ...base, operation: 'delete', inputs: [backup], trace: { ...trace, traceId: '0'.repeat(32) } },
    problem: 'trace.traceId: traceId must be 32 lowercase hex digits, not all zero',
  },
  'an attribute that is an object': {
    event: { ...base, operation: 'delete', inputs: [backup], attributes: { nested: { a: 1 } } },
    problem: 'attributes.nested: Invalid input',
  },
  'an empty classification': {
    event: { ...base, operation: 'delete', inputs: [{ ...backup, classifications: [''] }] },
    problem: 'inputs[0].classifications[0]: a classification must not be empty',
  },
};
