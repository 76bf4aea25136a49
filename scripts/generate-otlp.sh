#!/usr/bin/env bash
# npm run otlp:generate: src/adapters/otlp/gen/ from the official OTLP definitions (the
# opentelemetry-proto package of deploy/local's Python environment), with buf and protoc-gen-es.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(bash deploy/local/python-env.sh)"
image="$(mktemp --suffix=.binpb)"
trap 'rm -f "$image"' EXIT
"$python" scripts/otlp-descriptors.py "$image" >&2
rm -rf src/adapters/otlp/gen
(cd src/adapters/otlp && PATH="$PWD/../../../node_modules/.bin:$PATH" buf generate "$image" --template buf.gen.yaml)
find src/adapters/otlp/gen -name '*.ts' | sort
