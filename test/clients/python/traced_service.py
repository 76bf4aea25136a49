"""A Python service traced with the OpenTelemetry SDK, exporting OTLP/HTTP (protobuf) to a Collector.

It reports lineage the way docs/opentelemetry.md proposes, with span attributes and no Borderline code.
Usage: traced_service.py OTLP_TRACES_URL SERVICE REGION PROVIDER OUTPUT_NAMESPACE OUTPUT_NAME
       (a copy of US profiles to the output), or with --db-read HOST DATABASE TABLE instead of the
       last two, a SELECT span as database instrumentation records it.
Prints {"traceId": ..., "spanId": ...} of the span it ended.
"""
import json
import sys

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind

PROFILES = {"namespace": "postgres://users-db", "name": "public.profiles", "region": "us-ashburn-1", "provider": "oci", "classifications": ["us-user-data"]}


def main() -> int:
    url, service, region, provider = sys.argv[1:5]
    provider_ = TracerProvider(resource=Resource.create({"service.name": service, "cloud.region": region, "cloud.provider": provider}))
    provider_.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=url)))
    tracer = provider_.get_tracer("borderline-example")
    if sys.argv[5] == "--db-read":
        host, database, table = sys.argv[6:9]
        attributes = {"db.system.name": "postgresql", "db.operation.name": "SELECT", "db.namespace": f"{database}.public", "db.collection.name": table, "server.address": host, "server.port": 5432, "db.query.text": f"SELECT * FROM {table}"}
        with tracer.start_as_current_span(f"SELECT {table}", kind=SpanKind.CLIENT, attributes=attributes) as span:
            context = span.get_span_context()
    else:
        output = {"namespace": sys.argv[5], "name": sys.argv[6]}
        attributes = {"borderline.lineage.operation": "copy", "borderline.lineage.inputs": json.dumps(PROFILES), "borderline.lineage.outputs": json.dumps(output)}
        with tracer.start_as_current_span("nightly backup", attributes=attributes) as span:
            context = span.get_span_context()
    provider_.shutdown()  # flushes the exporter
    print(json.dumps({"traceId": format(context.trace_id, "032x"), "spanId": format(context.span_id, "016x")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
