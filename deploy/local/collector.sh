#!/usr/bin/env bash
# The OpenTelemetry Collector of deploy/local: receivers otlp, processors batch, exporters kafka
# (contrib) and debug, built once from the Go module proxy (deploy/local/otelcol) and cached under
# .infra/otelcol/, keyed by its sources. Usage:
#   collector.sh build             build if needed; prints the binary's path
#   collector.sh up [CONFIG]       build if needed and start it on loopback (default config:
#                                  deploy/local/otelcol/config.yaml; OTLP/HTTP on 4318, to Kafka's otlp_spans)
#   collector.sh down | status
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
INFRA_DIR="${BORDERLINE_INFRA_DIR:-$ROOT/.infra}"
SRC="$HERE/otelcol"
LOG_DIR="$INFRA_DIR/logs"

log() { printf '[collector] %s\n' "$*" >&2; }
die() { printf '[collector] error: %s\n' "$*" >&2; exit 1; }

binary() {
  local key; key="$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-16)"
  echo "$INFRA_DIR/otelcol/$key/borderline-otelcol"
}

build() {
  local bin; bin="$(binary)"
  if [ -x "$bin" ]; then echo "$bin"; return 0; fi
  command -v go >/dev/null 2>&1 || [ ! -x /usr/local/go/bin/go ] || PATH="$PATH:/usr/local/go/bin" # Go's own installer puts it there
  command -v go >/dev/null 2>&1 || die "Go 1.25 or newer is required to build the Collector (https://go.dev/dl; Debian: apt-get install golang-go)"
  log "building the OpenTelemetry Collector from the Go module proxy (first run only; a few minutes) ..."
  local started=$SECONDS
  mkdir -p "$(dirname "$bin")"
  (cd "$SRC" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin.partial" .) >&2 || die "go build failed (see above)"
  mv "$bin.partial" "$bin"
  log "built in $((SECONDS - started)) s: $bin"
  echo "$bin"
}

pid_of() { pgrep -f -- "-Dborderline.service=otelcol|borderline-otelcol --config" | head -n 1 || true; }

case "${1:-}" in
  build) build ;;
  up)
    bin="$(build)"
    if [ -n "$(pid_of)" ]; then log "already running (pid $(pid_of))"; exit 0; fi
    mkdir -p "$LOG_DIR"
    config="${2:-$SRC/config.yaml}"
    BORDERLINE_KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${BORDERLINE_KAFKA_PORT:-9092}}" \
      setsid nohup "$bin" --config "$config" >"$LOG_DIR/otelcol.out" 2>&1 </dev/null &
    log "starting (pid $!), log $LOG_DIR/otelcol.out"
    for _ in $(seq 1 120); do
      grep -q 'Everything is ready' "$LOG_DIR/otelcol.out" 2>/dev/null && { log "ready"; exit 0; }
      kill -0 $! 2>/dev/null || die "the Collector exited; see $LOG_DIR/otelcol.out"
      sleep 0.5
    done
    die "the Collector did not start in 60 s; see $LOG_DIR/otelcol.out" ;;
  down) pid="$(pid_of)"; if [ -n "$pid" ]; then kill "$pid"; log "stopped"; else log "not running"; fi ;;
  status) pid="$(pid_of)"; if [ -n "$pid" ]; then echo "otelcol: running (pid $pid)"; else echo "otelcol: stopped"; exit 1; fi ;;
  *) echo "usage: $0 build | up [CONFIG] | down | status" >&2; exit 2 ;;
esac
