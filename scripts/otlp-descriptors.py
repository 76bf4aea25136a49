"""Writes the FileDescriptorSet of OTLP's trace service (the official opentelemetry-proto definitions,
as the opentelemetry-proto package compiles them) to the path given, for `buf generate`."""
import sys

from google.protobuf import descriptor_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2


def collect(file_descriptor, seen, out):
    for dependency in file_descriptor.dependencies:
        collect(dependency, seen, out)
    if file_descriptor.name in seen:
        return
    seen.add(file_descriptor.name)
    proto = descriptor_pb2.FileDescriptorProto()
    file_descriptor.CopyToProto(proto)
    out.file.append(proto)


descriptor_set = descriptor_pb2.FileDescriptorSet()
collect(trace_service_pb2.DESCRIPTOR, set(), descriptor_set)
with open(sys.argv[1], "wb") as target:
    target.write(descriptor_set.SerializeToString())
print(", ".join(f.name for f in descriptor_set.file))
