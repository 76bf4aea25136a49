import { describe, expect, it } from 'vitest';
import { decodeOpenLineageValue } from '../../../src/adapters/openlineage/openlineage-decoder.js';
import { locateNamespace } from '../../../src/adapters/openlineage/locate-namespace.js';
import { DataMovementEvent } from '../../../src/events/data-movement-event.js';
import {
  airflowStart,
  dbtComplete,
  fileFail,
  hiveComplete,
  realWorldEvents,
  RUN_ID,
  sparkComplete,
  sparkRunLifecycle,
  trinoReadOnly,
} from './openlineage-fixtures.js';

const options = { maskableLabels: ['eu-personal-data', 'us-user-data'] };
const facet = { _producer: 'https://example.com/producer', _schemaURL: 'https://example.com/schema.json' };

function decode(value: unknown): { events: DataMovementEvent[]; warnings: readonly string[] } {
  const decoded = decodeOpenLineageValue(value, options);
  if (!decoded.ok) throw new Error(`expected valid, got: ${decoded.problems.join('; ')}`);
  return { events: decoded.events, warnings: decoded.warnings ?? [] };
}

function problems(value: unknown): string[] {
  const decoded = decodeOpenLineageValue(value, options);
  if (decoded.ok) throw new Error('expected invalid');
  return decoded.problems;
}

const run = (overrides: Record<string, unknown> = {}) => ({
  eventType: 'COMPLETE',
  eventTime: '2026-11-22T10:00:00.000Z',
  producer: 'https://example.com/producer',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: RUN_ID },
  job: { namespace: 'airflow', name: 'dag.task' },
  inputs: [{ namespace: 'postgres://users-db:5432', name: 'public.profiles' }],
  outputs: [{ namespace: 'bigquery', name: 'proj.ds.profiles' }],
  ...overrides,
});

describe('OpenLineage RunEvents as data-movement events (docs/contract.md §8)', () => {
  it.each(Object.entries({ ...realWorldEvents, trinoReadOnly }))(
    'accepts what real integrations send, and maps it to valid events: %s',
    (_name, event) => {
      const { events, warnings } = decode(event);
      expect(events.length).toBeGreaterThan(0);
      expect(warnings).toEqual([]);
      for (const mapped of events) expect(DataMovementEvent.safeParse(mapped).error?.issues).toBeUndefined();
    },
  );

  it('maps every shape of run to events the contract accepts (lifecycle, masking, removes, access, long names)', () => {
    const facetOf = (state: string) => ({
      lifecycleStateChange: { ...facet, lifecycleStateChange: state, previousIdentifier: { namespace: 's3://b', name: 'old' } },
    });
    const shapes = [
      run({
        outputs: ['DROP', 'TRUNCATE', 'RENAME', 'OVERWRITE'].map((state, i) => ({
          namespace: 's3://b',
          name: `o${i}`,
          facets: facetOf(state),
        })),
      }),
      run({ outputs: [{ namespace: 's3://b', name: 'x', outputFacets: { borderline_removes: { ...facet, classifications: ['a'] } } }] }),
      run({ outputs: [], run: { runId: RUN_ID, facets: { borderline_location: { ...facet, region: 'eu-west-2' } } } }),
      run({
        job: { namespace: 'n'.repeat(500), name: 'm'.repeat(500) },
        inputs: [
          {
            namespace: 'x'.repeat(1000),
            name: 'y'.repeat(1000),
            facets: { tags: { ...facet, tags: [{ key: 'classification', value: 'z'.repeat(300) }] } },
          },
        ],
      }),
    ];
    for (const shape of shapes)
      for (const mapped of decode(shape).events) expect(DataMovementEvent.safeParse(mapped).error?.issues).toBeUndefined();
  });

  it('maps a run to a derive from every input to every output, id from runId, eventType and eventTime, producer = the job', () => {
    const [event] = decode(
      run({
        inputs: [
          { namespace: 'pg://a', name: 'x' },
          { namespace: 'pg://a', name: 'y' },
        ],
        outputs: [
          { namespace: 's3://b', name: 'z' },
          { namespace: 's3://b', name: 'w' },
        ],
      }),
    ).events;
    expect(event).toEqual({
      specVersion: '1.0',
      eventId: `openlineage:${RUN_ID}:COMPLETE:2026-11-22T10:00:00.000Z`,
      eventTime: '2026-11-22T10:00:00.000Z',
      producer: 'airflow/dag.task',
      operation: 'derive',
      inputs: [
        { namespace: 'pg://a', name: 'x' },
        { namespace: 'pg://a', name: 'y' },
      ],
      outputs: [
        { namespace: 's3://b', name: 'z' },
        { namespace: 's3://b', name: 'w' },
      ],
    });
  });

  it('gives START, RUNNING, COMPLETE and FAIL of one run ids of their own, and the same id to a redelivery', () => {
    const ids = ['START', 'RUNNING', 'COMPLETE', 'FAIL'].map(
      (eventType, i) => decode(run({ eventType, eventTime: `2026-11-22T10:0${i}:00Z` })).events[0]?.eventId,
    );
    expect(new Set(ids).size).toBe(4);
    expect(decode(run()).events[0]?.eventId).toBe(decode(run()).events[0]?.eventId);
  });

  it('locates a dataset by its borderline_location facet first, then by a namespace that names a region, else not at all (store catalog, then unknown)', () => {
    const [event] = decode(
      run({
        inputs: [
          {
            namespace: 'awsathena://athena.eu-west-1.amazonaws.com',
            name: 'db.t',
            facets: { borderline_location: { ...facet, provider: 'oci', region: 'us-ashburn-1' } },
          },
          { namespace: 'awsathena://athena.eu-west-1.amazonaws.com', name: 'db.u' },
          { namespace: 'postgres://users-db:5432', name: 'public.profiles' },
        ],
      }),
    ).events;
    expect(event?.inputs.map((i) => [i.provider, i.region])).toEqual([
      ['oci', 'us-ashburn-1'],
      ['aws', 'eu-west-1'],
      [undefined, undefined],
    ]);
  });

  it.each([
    ['awsathena://athena.eu-west-1.amazonaws.com', { provider: 'aws', region: 'eu-west-1' }],
    ['redshift://analytics.ap-southeast-1.redshift.amazonaws.com:5439', { provider: 'aws', region: 'ap-southeast-1' }],
    ['arn:aws:glue:us-east-2:123456789012', { provider: 'aws', region: 'us-east-2' }],
    ['snowflake://xy12345.eu-central-1.aws', { provider: 'aws', region: 'eu-central-1' }],
    ['snowflake://xy12345.europe-west4.gcp', { provider: 'gcp', region: 'europe-west4' }],
    ['snowflake://org-account', undefined],
    ['bigquery', undefined],
    ['gs://bucket', undefined],
    ['s3://bucket', undefined],
    ['kafka://broker:9092', undefined],
    ['hive://host:9083', undefined],
    ['file', undefined],
  ])('the namespace %s names %j', (namespace, location) => {
    expect(locateNamespace(namespace)).toEqual(location);
  });

  it('asserts the label of a tags entry with key classification, and ignores other tags', () => {
    const tags = {
      ...facet,
      tags: [
        { key: 'classification', value: 'us-user-data', source: 'MANUAL' },
        { key: 'owner', value: 'growth' },
      ],
    };
    const [event] = decode(run({ inputs: [{ namespace: 'pg://a', name: 'x', facets: { tags } }] })).events;
    expect(event?.inputs[0]?.classifications).toEqual(['us-user-data']);
  });

  it('declassifies an output whose columnLineage masks every input field, and strips exactly what borderline_removes names', () => {
    const masked = {
      ...facet,
      fields: {
        email_hash: {
          inputFields: [
            {
              namespace: 'pg://a',
              name: 'x',
              field: 'email',
              transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }],
            },
          ],
        },
      },
    };
    const partly = {
      ...facet,
      fields: {
        ...masked.fields,
        email: {
          inputFields: [
            { namespace: 'pg://a', name: 'x', field: 'email', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY', masking: false }] },
          ],
        },
      },
    };
    const { events } = decode(
      run({
        inputs: [
          { namespace: 'pg://a', name: 'x', facets: { tags: { ...facet, tags: [{ key: 'classification', value: 'internal-only' }] } } },
        ],
        outputs: [
          { namespace: 's3://b', name: 'hashed', facets: { columnLineage: masked } },
          { namespace: 's3://b', name: 'partly', facets: { columnLineage: partly } },
          { namespace: 's3://b', name: 'aggregate', outputFacets: { borderline_removes: { ...facet, classifications: ['us-user-data'] } } },
        ],
      }),
    );
    const byOutput = Object.fromEntries(
      events.flatMap((e) => (e.outputs ?? []).map((o) => [o.name, e.operation === 'derive' ? (e.removesClassifications ?? []) : null])),
    );
    expect(byOutput).toEqual({ hashed: ['eu-personal-data', 'internal-only', 'us-user-data'], partly: [], aggregate: ['us-user-data'] });
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('makes DROP and TRUNCATE a delete, RENAME a move from the previous identity, and OVERWRITE a plain derive', () => {
    const lifecycle = (state: string, extra = {}) => ({ lifecycleStateChange: { ...facet, lifecycleStateChange: state, ...extra } });
    const { events } = decode(
      run({
        outputs: [
          { namespace: 's3://b', name: 'dropped', facets: lifecycle('DROP') },
          { namespace: 's3://b', name: 'truncated', facets: lifecycle('TRUNCATE') },
          {
            namespace: 's3://b',
            name: 'renamed',
            facets: lifecycle('RENAME', { previousIdentifier: { namespace: 's3://b', name: 'old' } }),
          },
          { namespace: 's3://b', name: 'overwritten', facets: lifecycle('OVERWRITE') },
        ],
      }),
    );
    expect(events.map((e) => [e.operation, e.inputs.map((i) => i.name), (e.outputs ?? []).map((o) => o.name)])).toEqual([
      ['derive', ['public.profiles'], ['overwritten']],
      ['move', ['old'], ['renamed']],
      ['delete', ['dropped'], []],
      ['delete', ['truncated'], []],
    ]);
  });

  it('makes a run with inputs only an access by the job where the run states its location, and records only its datasets otherwise', () => {
    const located = decode(
      run({ outputs: [], run: { runId: RUN_ID, facets: { borderline_location: { ...facet, provider: 'aws', region: 'eu-west-2' } } } }),
    ).events;
    expect(located).toEqual([
      expect.objectContaining({ operation: 'access', actor: { service: 'airflow/dag.task', region: 'eu-west-2', provider: 'aws' } }),
    ]);
    const unlocated = decodeOpenLineageValue(run({ outputs: [] }), options);
    expect(unlocated).toEqual({
      ok: true,
      events: [],
      warnings: [],
      datasets: [{ ref: { namespace: 'postgres://users-db:5432', name: 'public.profiles' }, eventTime: '2026-11-22T10:00:00.000Z' }],
    });
    expect(decodeOpenLineageValue(run({ inputs: [] }), options)).toMatchObject({
      ok: true,
      events: [],
      datasets: [{ ref: { namespace: 'bigquery', name: 'proj.ds.profiles' } }],
    });
  });

  it('ignores a malformed standard facet with a warning, never a rejection', () => {
    const { events, warnings } = decode(
      run({ inputs: [{ namespace: 'pg://a', name: 'x', facets: { tags: { ...facet, tags: 'us-user-data' }, dataSource: { uri: 42 } } }] }),
    );
    expect(events).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/^pg:\/\/a x: facet tags ignored \(tags: /)]);
  });

  it('keeps a job name longer than a producer may be (200 characters) to the limit, rather than rejecting the event', () => {
    const [event] = decode(run({ job: { namespace: 'spark-prod', name: 'x'.repeat(300) } })).events;
    expect(event?.producer).toBe(`spark-prod/${'x'.repeat(189)}`);
  });

  it('refuses a run over the limits of one event (EVENT_LIMITS), as a native event would be', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ namespace: 'bigquery', name: `t${i}` }));
    expect(problems(run({ outputs: many(600) }))).toEqual([
      'read as OpenLineage RunEvent: outputs: 600 outputs; an event names at most 500',
    ]);
    expect(problems(run({ inputs: many(200), outputs: many(60) }))).toEqual([
      'read as OpenLineage RunEvent: outputs: 200 inputs × 60 outputs make 12000 movements; an event makes at most 10000 (split the run into several events)',
    ]);
    const tags = {
      tags: { ...facet, tags: Array.from({ length: 150 }, (_, i) => ({ key: 'classification', value: `l${i}`, source: 'MANUAL' })) },
    };
    expect(problems(run({ inputs: [{ namespace: 'pg://x', name: 'y', facets: tags }] }))).toEqual([
      'read as OpenLineage RunEvent: classifications: a dataset asserts 150 labels; at most 100',
    ]);
  });

  it('accepts DatasetEvents and JobEvents, which carry no movement', () => {
    const base = {
      eventTime: '2026-11-22T10:00:00Z',
      producer: 'https://example.com',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
    };
    expect(decode({ ...base, dataset: { namespace: 'pg://a', name: 'x', facets: {} } }).events).toEqual([]);
    expect(decode({ ...base, job: { namespace: 'j', name: 'n' }, inputs: [], outputs: [] }).events).toEqual([]);
  });

  it('rejects what breaks the spec, naming the field and that it was read as OpenLineage', () => {
    expect(problems(run({ run: { runId: 'not-a-uuid' } }))).toEqual([
      'read as OpenLineage RunEvent: run.runId: run.runId must be a UUID, as the spec requires',
    ]);
    expect(problems(run({ eventTime: 'yesterday' }))[0]).toMatch(/^read as OpenLineage RunEvent: eventTime: /);
    expect(problems(run({ eventType: 'DONE' }))[0]).toMatch(
      /^read as OpenLineage RunEvent: eventType: eventType must be one of START, RUNNING/,
    );
    expect(problems(run({ job: { namespace: 'a' } }))[0]).toBe('read as OpenLineage RunEvent: job.name: job.name is required');
    expect(problems({ hello: 'world' })[0]).toMatch(/^read as OpenLineage: \(event\): not a RunEvent/);
  });

  it('reads the fixtures as the integrations mean them', () => {
    expect(decode(sparkComplete).events[0]).toMatchObject({
      operation: 'derive',
      producer: 'spark-prod/features.execute_insert_into_hadoop_fs_relation_command',
      inputs: [{ namespace: 's3://tt-lake-us', name: 'warehouse/profiles' }],
      outputs: [{ namespace: 'gs://tt-features-eu', name: 'features/users' }],
    });
    expect(decode(airflowStart).events[0]?.eventId).toBe(
      'openlineage:01932d1c-2b3a-7c4d-8e9f-0a1b2c3d4e5f:START:2026-11-22T09:00:00.000000+00:00',
    );
    expect(decode(dbtComplete).events[0]?.inputs[0]).toMatchObject({ provider: 'aws', region: 'eu-central-1' });
    expect(decode(hiveComplete).events[0]?.outputs?.[0]).toMatchObject({ provider: 'aws', region: 'ap-southeast-1' });
    expect(decode(fileFail).events[0]).toMatchObject({ operation: 'derive', inputs: [{ namespace: 'file', name: '/data/in.csv' }] });
    expect(decode(trinoReadOnly).events).toEqual([
      expect.objectContaining({
        operation: 'access',
        actor: { service: 'trino://trino.internal:8080/adhoc.query_1234', region: 'eu-west-2', provider: 'aws' },
      }),
    ]);
    expect(sparkRunLifecycle(RUN_ID).map((e) => decode(e).events[0]?.eventId.split(':')[2])).toEqual([
      'START',
      'RUNNING',
      'COMPLETE',
      'FAIL',
    ]);
  });
});
