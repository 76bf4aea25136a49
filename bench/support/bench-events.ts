import { create, toBinary } from '@bufbuild/protobuf';
import { ExportTraceServiceRequestSchema } from '../../src/adapters/otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';

/** A deterministic pseudo-random copy between two of the datasets; one source in ten asserts US data. */
export function benchEvent(run: string, i: number, datasets: number, label = 'us-user-data'): DataMovementEvent {
  const from = (i * 7919) % datasets;
  const to = (i * 104_729 + 13) % datasets;
  return {
    specVersion: '1.0',
    eventId: `${run}-${i}`,
    eventTime: new Date(Date.parse('2026-11-22T00:00:00Z') + i).toISOString(),
    operation: 'copy',
    inputs: [
      {
        namespace: `pg://${run}`,
        name: `table-${from}`,
        region: regionOf(from),
        provider: 'oci',
        ...(from % 10 === 0 ? { classifications: [label] } : {}),
      },
    ],
    outputs: [{ namespace: `pg://${run}`, name: `table-${to}`, region: regionOf(to), provider: 'oci' }],
    producer: 'bench',
  };
}

/** Each dataset lives in one region (a dataset's region changes only when it moves). */
const regionOf = (dataset: number): string => (dataset % 2 === 0 ? 'us-ashburn-1' : 'us-phoenix-1');

const facet = {
  _producer: 'https://borderline.dev/bench',
  _schemaURL: 'https://borderline.dev/schemas/openlineage-borderline-location-facet.v1.json',
};

/**
 * The same movement as `benchEvent`, as an OpenLineage RunEvent reports it: a COMPLETE run from the
 * input to the output, locations in `borderline_location` facets, the label in a `tags` facet.
 */
export function benchRunEvent(run: string, i: number, datasets: number, label = 'us-user-data'): object {
  const event = benchEvent(run, i, datasets, label);
  const dataset = (ref: (typeof event.inputs)[number]) => ({
    namespace: ref.namespace,
    name: ref.name,
    facets: {
      borderline_location: { ...facet, provider: ref.provider, region: ref.region },
      ...(ref.classifications
        ? { tags: { ...facet, tags: ref.classifications.map((value) => ({ key: 'classification', value, source: 'MANUAL' })) } }
        : {}),
    },
  });
  return {
    eventType: 'COMPLETE',
    eventTime: event.eventTime,
    producer: 'https://borderline.dev/bench',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}` },
    job: { namespace: `bench-${run}`, name: 'copy' },
    inputs: event.inputs.map(dataset),
    outputs: (event.outputs ?? []).map(dataset),
  };
}

/**
 * `count` movements of the same workload as `benchEvent`, from `first` on, as the Collector's Kafka
 * exporter writes them: one ExportTraceServiceRequest (otlp_proto) whose spans carry the lineage
 * attributes (docs/opentelemetry.md), each with the bench event's id.
 */
export function benchSpanBatch(run: string, first: number, count: number, datasets: number): Uint8Array {
  const str = (key: string, value: string) => ({ key, value: { value: { case: 'stringValue' as const, value } } });
  const spans = Array.from({ length: count }, (_, k) => {
    const event = benchEvent(run, first + k, datasets);
    const id = Buffer.alloc(8);
    id.writeUInt32BE(first + k + 1, 4);
    return {
      name: 'bench copy',
      traceId: Buffer.from(`${id.toString('hex')}${id.toString('hex')}`, 'hex'),
      spanId: id,
      startTimeUnixNano: BigInt(Date.parse(event.eventTime)) * 1_000_000n,
      endTimeUnixNano: BigInt(Date.parse(event.eventTime)) * 1_000_000n,
      attributes: [
        str('borderline.lineage.operation', 'copy'),
        str('borderline.lineage.event_id', event.eventId),
        str('borderline.lineage.inputs', JSON.stringify(event.inputs)),
        str('borderline.lineage.outputs', JSON.stringify(event.outputs)),
      ],
    };
  });
  return toBinary(
    ExportTraceServiceRequestSchema,
    create(ExportTraceServiceRequestSchema, {
      resourceSpans: [{ resource: { attributes: [str('service.name', 'bench')] }, scopeSpans: [{ spans }] }],
    }),
  );
}
