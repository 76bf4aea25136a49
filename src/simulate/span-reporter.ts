import { SpanKind, type Attributes } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OtlpDecoder } from '../adapters/otlp/otlp-decoder.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { DatasetRef } from '../events/dataset-ref.js';
import { LINEAGE_ATTRIBUTES } from '../events/draft-from-span.js';
import { toArray, type AccessDraft, type CopyDraft, type DeriveDraft, type RemoveDraft } from '../events/event-draft.js';
import type { MovementReporter } from './estate-story.js';

/**
 * A service of the estate that reports through OpenTelemetry only, as a Python, Go or Java service
 * would: its movements are span attributes (docs/opentelemetry.md) and its database reads plain
 * CLIENT spans of the database conventions, exported over OTLP to a Collector. Each call returns the
 * event the tracker will build from the span (the tracker's own decoding, so the narration is true).
 */
export class SpanReporter implements MovementReporter {
  private readonly provider: BasicTracerProvider;
  private readonly decoder = new OtlpDecoder({ databaseReads: true });

  constructor(
    private readonly resource: Attributes,
    exporter: SpanExporter,
  ) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes(resource),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
  }

  copy(draft: CopyDraft): Promise<DataMovementEvent> {
    return this.lineageSpan('copy', draft.inputs, draft.outputs);
  }

  derive(draft: DeriveDraft): Promise<DataMovementEvent> {
    return this.lineageSpan('derive', draft.inputs, draft.outputs, draft.removesClassifications);
  }

  /**
   * A read of a PostgreSQL table, recorded as database instrumentation records it (no lineage
   * attributes): `postgres://users-db public.profiles` is table `profiles` of database `users` on host
   * `users-db`, which OpenLineage's naming calls `postgres://users-db:5432 users.public.profiles`.
   */
  access(draft: AccessDraft): Promise<DataMovementEvent> {
    const [input] = toArray<DatasetRef>(draft.inputs) ?? [];
    const host = input?.namespace.replace(/^postgres(ql)?:\/\//, '').replace(/:\d+$/, '') ?? 'localhost';
    const [schema, table] = (input?.name ?? 'public.unknown').split('.');
    const database = host.replace(/-db$/, '');
    return this.end(
      `SELECT ${table ?? schema}`,
      {
        'db.system.name': 'postgresql',
        'db.operation.name': 'SELECT',
        'db.namespace': `${database}.${table ? schema : 'public'}`,
        'db.collection.name': table ?? schema ?? 'unknown',
        'server.address': host,
        'server.port': 5432,
      },
      SpanKind.CLIENT,
    );
  }

  remove(draft: RemoveDraft): Promise<DataMovementEvent> {
    return this.lineageSpan('delete', draft.inputs);
  }

  async close(): Promise<void> {
    await this.provider.shutdown();
  }

  private lineageSpan(
    operation: string,
    inputs: CopyDraft['inputs'],
    outputs?: CopyDraft['outputs'],
    removes?: string[],
  ): Promise<DataMovementEvent> {
    return this.end(`lineage ${operation}`, {
      [LINEAGE_ATTRIBUTES.operation]: operation,
      [LINEAGE_ATTRIBUTES.inputs]: JSON.stringify(toArray(inputs)),
      ...(outputs ? { [LINEAGE_ATTRIBUTES.outputs]: JSON.stringify(toArray(outputs)) } : {}),
      ...(removes ? { [LINEAGE_ATTRIBUTES.removesClassifications]: removes } : {}),
    });
  }

  private async end(name: string, attributes: Attributes, kind = SpanKind.INTERNAL): Promise<DataMovementEvent> {
    const span = this.provider.getTracer('borderline-estate').startSpan(name, { attributes, kind });
    span.end();
    await this.provider.forceFlush();
    const { traceId, spanId } = span.spanContext();
    const endTimeMs = hrTimeToMilliseconds((span as unknown as ReadableSpan).endTime);
    const { events, rejected } = this.decoder.readSpans([
      { name, kind: kind === SpanKind.CLIENT ? 'client' : 'internal', traceId, spanId, endTimeMs, attributes, resource: this.resource },
    ]);
    if (!events[0]) throw new Error(`the span "${name}" makes no event: ${rejected.join('; ')}`);
    return events[0];
  }
}
