import type { Attributes } from '@opentelemetry/api';
import type { DatasetRef } from '../../events/dataset-ref.js';
import type { OtlpSpan } from './read-otlp-spans.js';

/** `db.operation.name` values that read (docs/contract.md §9), compared case-insensitively. */
const READS = new Set(['SELECT', 'FIND', 'GET', 'SCAN', 'QUERY']);

const text = (attributes: Attributes, key: string): string | undefined => {
  const value = attributes[key];
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
};

interface Where {
  host: string;
  port: string | undefined;
  namespace: string | undefined;
  collection: string | undefined;
}

const address = (scheme: string, { host, port }: Where) => `${scheme}://${host}${port ? `:${port}` : ''}`;

/**
 * How OpenLineage's naming spec (https://openlineage.io/docs/spec/naming/) names the dataset a read
 * of each database system touches, from the stable database semantic conventions. PostgreSQL's
 * `db.namespace` is `{database}.{schema}`, its collection `[schema.]table` (schema `public` when
 * neither says); MySQL's `{database}` and `{table}`; MongoDB's `{database}` and `{collection}`;
 * Redis (which OpenLineage does not name) the logical database index.
 */
const NAMING: Record<string, (w: Where) => DatasetRef | undefined> = {
  postgresql: (w) => {
    if (!w.namespace || !w.collection) return undefined;
    const [database, namespaceSchema] = w.namespace.split('.');
    const parts = w.collection.split('.');
    const table = parts.pop()!;
    const schema = parts.pop() ?? namespaceSchema ?? 'public';
    return { namespace: address('postgres', { ...w, port: w.port ?? '5432' }), name: `${database}.${schema}.${table}` };
  },
  mysql: (w) =>
    w.namespace && w.collection
      ? {
          namespace: address('mysql', { ...w, port: w.port ?? '3306' }),
          name: w.collection.includes('.') ? w.collection : `${w.namespace}.${w.collection}`,
        }
      : undefined,
  mariadb: (w) => NAMING.mysql!(w),
  mongodb: (w) =>
    w.namespace && w.collection
      ? { namespace: address('mongodb', { ...w, port: w.port ?? '27017' }), name: `${w.namespace}.${w.collection}` }
      : undefined,
  redis: (w) => ({ namespace: address('redis', { ...w, port: w.port ?? '6379' }), name: w.namespace ?? '0' }),
};

/** The systems whose reads become accesses (the keys of the naming table). */
export const DATABASE_SYSTEMS = Object.keys(NAMING);

/**
 * The dataset a CLIENT span of standard database instrumentation reads, or undefined when the span
 * is not such a read: not CLIENT, a system not in the table, an operation that does not read, or
 * without `server.address`. A heuristic by design: reads only, as named by the instrumentation.
 */
export function datasetOfDatabaseRead(span: OtlpSpan): DatasetRef | undefined {
  if (span.kind !== 'client') return undefined;
  const a = span.attributes;
  const system = text(a, 'db.system.name') ?? text(a, 'db.system'); // db.system: the conventions before 1.26
  const operation = (text(a, 'db.operation.name') ?? text(a, 'db.operation'))?.toUpperCase();
  const host = text(a, 'server.address') ?? text(a, 'net.peer.name');
  if (!system || !operation || !READS.has(operation) || !host) return undefined;
  return NAMING[system]?.({
    host,
    port: text(a, 'server.port') ?? text(a, 'net.peer.port'),
    namespace: text(a, 'db.namespace') ?? text(a, 'db.name'),
    collection: text(a, 'db.collection.name') ?? text(a, 'db.sql.table') ?? text(a, 'db.mongodb.collection'),
  });
}
