import { create, toBinary, toJson } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../../../src/adapters/otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Span_SpanKind } from '../../../src/adapters/otlp/gen/opentelemetry/proto/trace/v1/trace_pb.js';
import { OtlpDecoder } from '../../../src/adapters/otlp/otlp-decoder.js';
import { readOtlpSpans } from '../../../src/adapters/otlp/read-otlp-spans.js';

const traceId = '5b8efff798038103d269b633813fc60c';
const str = (key: string, value: string) => ({ key, value: { value: { case: 'stringValue' as const, value } } });
const profiles = JSON.stringify({
  namespace: 'postgres://users-db',
  name: 'public.profiles',
  region: 'us-ashburn-1',
  provider: 'oci',
  classifications: ['us-user-data'],
});

function request(spans: Array<{ name: string; spanId: string; attributes: ReturnType<typeof str>[]; kind?: Span_SpanKind }>) {
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'backup-job'), str('cloud.region', 'ap-southeast-1'), str('cloud.provider', 'aws')] },
        scopeSpans: [
          {
            spans: spans.map((s) => ({
              name: s.name,
              kind: s.kind ?? Span_SpanKind.INTERNAL,
              traceId: Buffer.from(traceId, 'hex'),
              spanId: Buffer.from(s.spanId, 'hex'),
              startTimeUnixNano: 1_795_000_000_000_000_000n,
              endTimeUnixNano: 1_795_000_001_500_000_000n,
              attributes: s.attributes,
            })),
          },
        ],
      },
    ],
  });
}

const lineage = (name: string, spanId: string, inputs = profiles) => ({
  name,
  spanId,
  attributes: [
    str('borderline.lineage.operation', 'copy'),
    str('borderline.lineage.inputs', inputs),
    str('borderline.lineage.outputs', JSON.stringify({ namespace: 's3://tt-backup-sg', name })),
  ],
});
const message = (value: Uint8Array | string) => ({
  topic: 'otlp_spans',
  partition: 0,
  offset: '1',
  key: null,
  value: Buffer.from(value),
  headers: {},
});

describe('OTLP from the Collector’s Kafka exporter (docs/contract.md §9)', () => {
  it('reads otlp_proto and otlp_json alike, ids as hex and times in milliseconds', () => {
    const req = request([lineage('a', '00f067aa0ba902b7')]);
    const proto = readOtlpSpans(toBinary(ExportTraceServiceRequestSchema, req));
    // OTLP/JSON writes ids as hex, where the protobuf JSON mapping writes base64.
    const json = toJson(ExportTraceServiceRequestSchema, req) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
    };
    const span = json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    span.traceId = traceId;
    span.spanId = '00f067aa0ba902b7';
    const fromJson = readOtlpSpans(Buffer.from(JSON.stringify(json)));
    for (const read of [proto, fromJson]) {
      expect(read.ok && read.spans).toEqual([
        expect.objectContaining({
          name: 'a',
          traceId,
          spanId: '00f067aa0ba902b7',
          endTimeMs: 1_795_000_001_500,
          resource: { 'service.name': 'backup-job', 'cloud.region': 'ap-southeast-1', 'cloud.provider': 'aws' },
        }),
      ]);
    }
    expect([proto.ok && proto.encoding, fromJson.ok && fromJson.encoding]).toEqual(['otlp_proto', 'otlp_json']);
  });

  it('makes a lineage span the event the SDK would make: id otel-<trace>-<span>, time the span end, actor and producer from the resource', () => {
    const decoded = new OtlpDecoder().decode(
      message(
        toBinary(
          ExportTraceServiceRequestSchema,
          request([lineage('nightly', '00f067aa0ba902b7'), { name: 'GET /health', spanId: '1111111111111111', attributes: [] }]),
        ),
      ),
    );
    expect(decoded).toEqual({
      ok: true,
      ignored: 1,
      events: [
        {
          specVersion: '1.0',
          eventId: `otel-${traceId}-00f067aa0ba902b7`,
          eventTime: new Date(1_795_000_001_500).toISOString(),
          operation: 'copy',
          inputs: [JSON.parse(profiles) as object],
          outputs: [{ namespace: 's3://tt-backup-sg', name: 'nightly' }],
          actor: { service: 'backup-job', region: 'ap-southeast-1', provider: 'aws' },
          trace: { traceId, spanId: '00f067aa0ba902b7' },
          producer: 'backup-job',
        },
      ],
    });
  });

  it('rejects a bad lineage span naming the span and the field, and keeps the good ones of the batch', () => {
    const decoded = new OtlpDecoder().decode(
      message(
        toBinary(
          ExportTraceServiceRequestSchema,
          request([
            lineage('bad', '2222222222222222', '{oops'),
            lineage('wrong', '3333333333333333', JSON.stringify({ name: 'x' })),
            lineage('good', '4444444444444444'),
          ]),
        ),
      ),
    );
    expect(decoded.ok && decoded.events.map((e) => e.outputs?.[0]?.name)).toEqual(['good']);
    expect(decoded.ok && decoded.rejected).toEqual([
      expect.stringMatching(/^span "bad" \(trace 5b8e\w+, span 2222222222222222\): borderline\.lineage\.inputs: not JSON/),
      expect.stringMatching(/^span "wrong" \(trace 5b8e\w+, span 3333333333333333\): inputs\[0\]\.namespace: /),
    ]);
  });

  it('dead-letters what is neither encoding, saying which it was read as', () => {
    expect(new OtlpDecoder().decode(message(Buffer.from([0xff, 0xff, 0x01])))).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^\(message\): neither otlp_json nor otlp_proto: /)],
    });
    expect(new OtlpDecoder().decode(message('{"resourceSpans": 3}'))).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^\(message\): read as otlp_json \(it starts with "\{"\), not an ExportTraceServiceRequest: /)],
    });
  });
});
