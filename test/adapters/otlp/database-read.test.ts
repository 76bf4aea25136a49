import { describe, expect, it } from 'vitest';
import { datasetOfDatabaseRead } from '../../../src/adapters/otlp/database-read.js';
import { OtlpDecoder } from '../../../src/adapters/otlp/otlp-decoder.js';
import type { OtlpSpan } from '../../../src/adapters/otlp/read-otlp-spans.js';

const span = (attributes: OtlpSpan['attributes'], kind: OtlpSpan['kind'] = 'client'): OtlpSpan => ({
  name: 'SELECT users',
  kind,
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: '00f067aa0ba902b7',
  endTimeMs: Date.parse('2026-11-22T10:00:00Z'),
  attributes,
  resource: { 'service.name': 'admin-console', 'cloud.region': 'eu-west-2', 'cloud.provider': 'aws' },
});
const db = (system: string, extra: OtlpSpan['attributes'] = {}) => ({
  'db.system.name': system,
  'db.operation.name': 'SELECT',
  'server.address': 'users-db',
  'server.port': 5432,
  ...extra,
});

describe('database reads from standard instrumentation (docs/contract.md §9)', () => {
  it.each([
    [
      'postgresql',
      db('postgresql', { 'db.namespace': 'users.public', 'db.collection.name': 'profiles' }),
      { namespace: 'postgres://users-db:5432', name: 'users.public.profiles' },
    ],
    [
      'postgresql, schema in the collection',
      db('postgresql', { 'db.namespace': 'users', 'db.collection.name': 'billing.cards' }),
      { namespace: 'postgres://users-db:5432', name: 'users.billing.cards' },
    ],
    [
      'postgresql, no schema anywhere',
      db('postgresql', { 'db.namespace': 'users', 'db.collection.name': 'profiles', 'server.port': undefined }),
      { namespace: 'postgres://users-db:5432', name: 'users.public.profiles' },
    ],
    [
      'mysql',
      db('mysql', { 'db.namespace': 'crm', 'db.collection.name': 'contacts', 'server.port': 3306 }),
      { namespace: 'mysql://users-db:3306', name: 'crm.contacts' },
    ],
    [
      'mongodb, find',
      db('mongodb', { 'db.operation.name': 'find', 'db.namespace': 'app', 'db.collection.name': 'sessions', 'server.port': 27017 }),
      { namespace: 'mongodb://users-db:27017', name: 'app.sessions' },
    ],
    [
      'redis, GET',
      db('redis', { 'db.operation.name': 'GET', 'db.namespace': '2', 'server.port': 6379 }),
      { namespace: 'redis://users-db:6379', name: '2' },
    ],
    [
      'the conventions before 1.26 (db.system, db.operation, db.name, db.sql.table)',
      {
        'db.system': 'postgresql',
        'db.operation': 'select',
        'net.peer.name': 'users-db',
        'net.peer.port': 5432,
        'db.name': 'users',
        'db.sql.table': 'profiles',
      },
      { namespace: 'postgres://users-db:5432', name: 'users.public.profiles' },
    ],
  ])('%s', (_name, attributes, dataset) => {
    expect(datasetOfDatabaseRead(span(attributes as OtlpSpan['attributes']))).toEqual(dataset);
  });

  it('ignores writes, non-CLIENT spans, unknown systems and spans without a server address', () => {
    expect(
      datasetOfDatabaseRead(span(db('postgresql', { 'db.operation.name': 'INSERT', 'db.namespace': 'u', 'db.collection.name': 't' }))),
    ).toBeUndefined();
    expect(datasetOfDatabaseRead(span(db('postgresql', { 'db.namespace': 'u', 'db.collection.name': 't' }), 'server'))).toBeUndefined();
    expect(datasetOfDatabaseRead(span(db('cassandra', { 'db.namespace': 'u', 'db.collection.name': 't' })))).toBeUndefined();
    expect(
      datasetOfDatabaseRead(
        span({ 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.namespace': 'u', 'db.collection.name': 't' }),
      ),
    ).toBeUndefined();
  });

  it('makes a read an access by (service.name, cloud.region) only when enabled and the resource states the region', () => {
    const read = span(db('postgresql', { 'db.namespace': 'users.public', 'db.collection.name': 'profiles' }));
    const enabled = new OtlpDecoder({ databaseReads: true });
    expect(enabled.readSpans([read])).toEqual({
      events: [
        expect.objectContaining({
          eventId: 'otel-5b8efff798038103d269b633813fc60c-00f067aa0ba902b7',
          operation: 'access',
          inputs: [{ namespace: 'postgres://users-db:5432', name: 'users.public.profiles' }],
          actor: { service: 'admin-console', region: 'eu-west-2', provider: 'aws' },
          trace: { traceId: '5b8efff798038103d269b633813fc60c', spanId: '00f067aa0ba902b7' },
        }),
      ],
      rejected: [],
      ignored: 0,
    });
    expect(new OtlpDecoder({ databaseReads: false }).readSpans([read])).toMatchObject({ events: [], ignored: 1 });
    expect(enabled.readSpans([{ ...read, resource: { 'service.name': 'admin-console' } }])).toMatchObject({ events: [], ignored: 1 });
  });
});
