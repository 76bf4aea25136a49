import { fromBinary, fromJson, type JsonValue } from '@bufbuild/protobuf';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { SpanData } from '../../events/draft-from-span.js';
import {
  ExportTraceServiceRequestSchema,
  type ExportTraceServiceRequest,
} from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { AnyValue, KeyValue } from './gen/opentelemetry/proto/common/v1/common_pb.js';
import { Span_SpanKind } from './gen/opentelemetry/proto/trace/v1/trace_pb.js';

/** One span of an OTLP export, as Borderline reads it. */
export interface OtlpSpan extends SpanData {
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';
}

export type ReadSpans = { ok: true; encoding: 'otlp_proto' | 'otlp_json'; spans: OtlpSpan[] } | { ok: false; problem: string };

const KINDS: Record<number, OtlpSpan['kind']> = {
  [Span_SpanKind.INTERNAL]: 'internal',
  [Span_SpanKind.SERVER]: 'server',
  [Span_SpanKind.CLIENT]: 'client',
  [Span_SpanKind.PRODUCER]: 'producer',
  [Span_SpanKind.CONSUMER]: 'consumer',
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function scalar(value: AnyValue | undefined): string | number | boolean | undefined {
  switch (value?.value.case) {
    case 'stringValue':
    case 'boolValue':
    case 'doubleValue':
      return value.value.value;
    case 'intValue':
      return Number(value.value.value);
    default:
      return undefined;
  }
}

/** OTLP key-values as OpenTelemetry attributes (scalars and homogeneous arrays; maps and bytes are not attributes). */
function attributesOf(keyValues: readonly KeyValue[]): Attributes {
  const out: Attributes = {};
  for (const { key, value } of keyValues) {
    if (value?.value.case === 'arrayValue') {
      out[key] = value.value.value.values.map(scalar).filter((v) => v !== undefined) as AttributeValue;
    } else {
      const v = scalar(value);
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}

function spansOf(request: ExportTraceServiceRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((rs) => {
    const resource = attributesOf(rs.resource?.attributes ?? []);
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((span) => ({
        name: span.name,
        kind: KINDS[span.kind] ?? 'unspecified',
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        endTimeMs: Number(span.endTimeUnixNano / 1_000_000n),
        attributes: attributesOf(span.attributes),
        resource,
      })),
    );
  });
}

/**
 * OTLP/JSON writes trace and span ids as hex (the OTLP spec), where the protobuf JSON mapping expects
 * base64: turned into base64 so that the protobuf library reads the rest as the spec defines it.
 */
function idsToBase64(value: JsonValue): JsonValue {
  const toBase64 = (id: JsonValue) =>
    typeof id === 'string' && /^[0-9a-fA-F]*$/.test(id) ? Buffer.from(id, 'hex').toString('base64') : id;
  const request = value as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<Record<string, JsonValue>> }> }> };
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const field of ['traceId', 'spanId', 'parentSpanId']) if (span[field] !== undefined) span[field] = toBase64(span[field]);
        for (const link of (span.links as Array<Record<string, JsonValue>> | undefined) ?? []) {
          for (const field of ['traceId', 'spanId']) if (link[field] !== undefined) link[field] = toBase64(link[field]);
        }
      }
    }
  }
  return value;
}

/**
 * Reads one Kafka message of the Collector's Kafka exporter: an `ExportTraceServiceRequest` in
 * `otlp_json` (it starts with `{`) or `otlp_proto` (anything else), decoded with @bufbuild/protobuf
 * and code generated from the official OTLP definitions (scripts/generate-otlp.sh). Never throws.
 */
export function readOtlpSpans(bytes: Uint8Array | null): ReadSpans {
  if (bytes === null || bytes.length === 0)
    return { ok: false, problem: '(message): empty value, expected an OTLP ExportTraceServiceRequest (otlp_proto or otlp_json)' };
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b) {
    try {
      const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as JsonValue;
      return {
        ok: true,
        encoding: 'otlp_json',
        spans: spansOf(fromJson(ExportTraceServiceRequestSchema, idsToBase64(json), { ignoreUnknownFields: true })),
      };
    } catch (error) {
      return {
        ok: false,
        problem: `(message): read as otlp_json (it starts with "{"), not an ExportTraceServiceRequest: ${(error as Error).message}`,
      };
    }
  }
  try {
    return { ok: true, encoding: 'otlp_proto', spans: spansOf(fromBinary(ExportTraceServiceRequestSchema, bytes)) };
  } catch (error) {
    return {
      ok: false,
      problem: `(message): neither otlp_json nor otlp_proto: not a protobuf ExportTraceServiceRequest (${(error as Error).message})`,
    };
  }
}
