#!/usr/bin/env bash
# Local Kafka (KRaft, single node) and Neo4j Community without Docker: jars from Maven Central,
# run with Java 17 on loopback. Usage: infra.sh up|down [kafka|neo4j] | status | reset
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

INFRA_DIR="${BORDERLINE_INFRA_DIR:-$ROOT/.infra}"
KAFKA_PORT="${BORDERLINE_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${BORDERLINE_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_SASL_PORT="${BORDERLINE_KAFKA_SASL_PORT:-9094}"
KAFKA_HEAP="${BORDERLINE_KAFKA_HEAP:-1g}"
NEO4J_BOLT_PORT="${BORDERLINE_NEO4J_BOLT_PORT:-7687}"
NEO4J_HTTP_PORT="${BORDERLINE_NEO4J_HTTP_PORT:-7474}"
NEO4J_HEAP="${BORDERLINE_NEO4J_HEAP:-2g}"
NEO4J_PAGECACHE="${BORDERLINE_NEO4J_PAGECACHE:-1g}"
NEO4J_SETTINGS="${BORDERLINE_NEO4J_SETTINGS:-}"
NEO4J_LOG_MARK=0
START_TIMEOUT_S="${BORDERLINE_INFRA_START_TIMEOUT:-180}"
MAVEN_REPO="${BORDERLINE_MAVEN_REPO:-}" # empty: Maven's own ~/.m2/repository

RUN_DIR="$INFRA_DIR/run"
TLS_DIR="$INFRA_DIR/tls"
SCRAM_USER=borderline
LOG_DIR="$INFRA_DIR/logs"
DATA_DIR="$INFRA_DIR/data"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

require_tools() {
  command -v java >/dev/null 2>&1 || die "Java 17 or newer is required: install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless) and put 'java' on PATH."
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  [ "${major:-0}" -ge 17 ] || die "Java 17 or newer is required, found Java ${major:-unknown}: install a JDK 17 and put it first on PATH."
  command -v mvn >/dev/null 2>&1 || die "Apache Maven is required to fetch the Kafka and Neo4j jars: install Maven 3.8+ (Debian: apt-get install maven)."
}

# fetch NAME: copies the jars named by deploy/local/NAME/pom.xml into $INFRA_DIR/NAME-lib, once per pom version.
fetch() {
  local name="$1" pom="$HERE/$1/pom.xml" lib="$INFRA_DIR/$1-lib"
  local want; want="$(sha256sum "$pom" | cut -c1-16)"
  if [ -f "$lib/.fetched" ] && [ "$(cat "$lib/.fetched")" = "$want" ]; then return 0; fi
  log "fetching $name jars from Maven Central (first run only) ..."
  local started=$SECONDS tmp="$lib.partial"
  rm -rf "$tmp"
  mvn -B -q -Dstyle.color=never ${MAVEN_REPO:+-Dmaven.repo.local="$MAVEN_REPO"} -f "$pom" \
    dependency:copy-dependencies -DoutputDirectory="$tmp" -DincludeScope=runtime 2>&1 \
    | sed -e 's/\x1b\[[0-9;]*m//g' >&2 \
    || die "Maven could not fetch the $name jars (see the output above)."
  rm -rf "$lib" && mv "$tmp" "$lib" && echo "$want" >"$lib/.fetched"
  log "fetched $name: $(find "$lib" -name '*.jar' | wc -l) jars in $((SECONDS - started)) s"
}

# pids_of NAME: every live process of service NAME started from this infra directory, found by its
# command line (-Dborderline.service=NAME and this directory), so that a lost or stale pid file
# never hides a running server and a reused pid is never mistaken for one. Zombies do not count.
pids_of() {
  local want="-Dborderline.service=$1" p cmd state
  for p in /proc/[0-9]*; do
    cmd="$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" || continue
    [[ "$cmd" == *"$want "* && "$cmd" == *"$INFRA_DIR/"* ]] || continue
    state="$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "$p/stat" 2>/dev/null)" || state=""
    [ "$state" = Z ] || [ -z "$state" ] || echo "${p#/proc/}"
  done
}

# pid_of NAME: the pid of NAME if it runs, else nothing.
pid_of() { pids_of "$1" | head -n 1; }

# lock_holders FILE: the processes that have FILE open (pid and command), for error messages.
lock_holders() {
  local fd
  for fd in /proc/[0-9]*/fd/*; do
    if [ "$(readlink "$fd" 2>/dev/null)" = "$1" ]; then
      local pid="${fd#/proc/}"; pid="${pid%%/*}"
      echo "pid $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-160)"
    fi
  done | sort -u
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until NAME CHECK...: polls CHECK until it succeeds (0), the process dies (1), or the timeout passes (dies).
wait_until() {
  local name="$1"; shift
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until "$@"; do
    [ -n "$(pid_of "$name")" ] || return 1
    [ $SECONDS -lt $deadline ] || die "$name did not answer within ${START_TIMEOUT_S}s; see $LOG_DIR/$name.out"
    sleep 0.5
  done
}

kafka_ready() { port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$LOG_DIR/kafka.out" 2>/dev/null; }
neo4j_ready() { port_open "$NEO4J_BOLT_PORT" && curl -fsS "http://127.0.0.1:$NEO4J_HTTP_PORT/" >/dev/null 2>&1; }

# make_tls: once, a local CA and a certificate for 127.0.0.1/localhost signed by it (Kafka's SASL_SSL
# listener, Neo4j's Bolt TLS), and the SCRAM password of the local Kafka user. Clients trust the CA
# with NODE_EXTRA_CA_CERTS=$TLS_DIR/ca.pem.
make_tls() {
  [ -f "$TLS_DIR/.made" ] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl is required to make the local TLS certificates (Debian: apt-get install openssl)."
  local tmp="$TLS_DIR.partial"
  rm -rf "$tmp" && mkdir -p "$tmp/neo4j-bolt/trusted" "$tmp/neo4j-bolt/revoked"
  (
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Borderline local CA" \
      -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.pem
    openssl pkcs8 -topk8 -nocrypt -in server.key -out server.pk8
    cat server.pem ca.pem server.pk8 >kafka-keystore.pem
    cp server.pk8 neo4j-bolt/private.key && cat server.pem ca.pem >neo4j-bolt/public.crt
    openssl rand -hex 16 >kafka-scram-password
  ) >"$LOG_DIR/tls.out" 2>&1 || die "making the local TLS certificates failed; see $LOG_DIR/tls.out"
  chmod 600 "$tmp"/*.key "$tmp"/*.pk8 "$tmp/kafka-scram-password"
  touch "$tmp/.made" && rm -rf "$TLS_DIR" && mv "$tmp" "$TLS_DIR"
  log "made a local CA and server certificate in $TLS_DIR"
}

# add_scram_user: the SCRAM-SHA-512 user of the SASL_SSL listener, once per Kafka data directory
# (through the PLAINTEXT listener, with Kafka's own ConfigCommand).
add_scram_user() {
  local marker="$DATA_DIR/kafka/.scram-user"
  [ -f "$marker" ] && return 0
  java -cp "$INFRA_DIR/kafka-lib/*" -Dlog4j2.configurationFile="$HERE/kafka/tools-log4j2.properties" kafka.admin.ConfigCommand \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" --alter --entity-type users --entity-name "$SCRAM_USER" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$(cat "$TLS_DIR/kafka-scram-password")]" >"$LOG_DIR/kafka-scram.out" 2>&1 \
    || die "adding the Kafka SCRAM user failed; see $LOG_DIR/kafka-scram.out"
  touch "$marker"
  log "kafka SASL_SSL on 127.0.0.1:$KAFKA_SASL_PORT: user $SCRAM_USER, password in $TLS_DIR/kafka-scram-password"
}

check_port_free() {
  if port_open "$1"; then die "port $1 is taken by another process; stop it or set $2"; fi
}

start_kafka() {
  if [ -n "$(pid_of kafka)" ]; then log "kafka already running (pid $(pid_of kafka))"; return 0; fi
  check_port_free "$KAFKA_PORT" BORDERLINE_KAFKA_PORT
  check_port_free "$KAFKA_CONTROLLER_PORT" BORDERLINE_KAFKA_CONTROLLER_PORT
  check_port_free "$KAFKA_SASL_PORT" BORDERLINE_KAFKA_SASL_PORT
  fetch kafka
  make_tls
  local conf="$INFRA_DIR/conf/kafka" data="$DATA_DIR/kafka" cp="$INFRA_DIR/kafka-lib/*"
  mkdir -p "$conf" "$data"
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" -e "s#@DATA@#$data#g" \
    -e "s#@SASL_PORT@#$KAFKA_SASL_PORT#g" -e "s#@TLS@#$TLS_DIR#g" \
    "$HERE/kafka/server.properties" >"$conf/server.properties"
  cp "$HERE/kafka/log4j2.properties" "$conf/log4j2.properties"
  if [ ! -f "$data/meta.properties" ]; then
    local cluster_id; cluster_id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid)"
    log "formatting Kafka storage (cluster id $cluster_id)"
    java -cp "$cp" -Dlog4j2.configurationFile="$conf/log4j2.properties" kafka.tools.StorageTool format \
      --standalone -t "$cluster_id" -c "$conf/server.properties" >"$LOG_DIR/kafka-format.out" 2>&1 \
      || die "formatting Kafka storage failed; see $LOG_DIR/kafka-format.out"
  fi
  : >"$LOG_DIR/kafka.out"
  setsid nohup java -Dborderline.service=kafka -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$conf/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$cp" kafka.Kafka "$conf/server.properties" >>"$LOG_DIR/kafka.out" 2>&1 </dev/null &
  log "kafka starting (pid $!)"
}

start_neo4j() {
  if [ -n "$(pid_of neo4j)" ]; then log "neo4j already running (pid $(pid_of neo4j))"; return 0; fi
  check_port_free "$NEO4J_BOLT_PORT" BORDERLINE_NEO4J_BOLT_PORT
  check_port_free "$NEO4J_HTTP_PORT" BORDERLINE_NEO4J_HTTP_PORT
  fetch neo4j
  make_tls
  local home="$INFRA_DIR/neo4j-home" conf="$INFRA_DIR/conf/neo4j"
  mkdir -p "$home" "$conf" "$DATA_DIR/neo4j" "$LOG_DIR/neo4j"
  sed -e "s#@BOLT_PORT@#$NEO4J_BOLT_PORT#g" -e "s#@HTTP_PORT@#$NEO4J_HTTP_PORT#g" -e "s#@DATA@#$DATA_DIR/neo4j#g" \
    -e "s#@LOGS@#$LOG_DIR/neo4j#g" -e "s#@PAGECACHE@#$NEO4J_PAGECACHE#g" -e "s#@RUN@#$RUN_DIR#g" \
    "$HERE/neo4j/neo4j.conf" >"$conf/neo4j.conf"
  # Extra settings for this start only (tests of a managed server's limits): "key=value" separated by ';'.
  # A setting named again replaces the template's (Neo4j refuses a key declared twice).
  if [ -n "$NEO4J_SETTINGS" ]; then
    local setting key
    while IFS= read -r setting; do
      setting="${setting# }"; [ -n "$setting" ] || continue
      key="${setting%%=*}"
      grep -v -F -e "$key=" "$conf/neo4j.conf" >"$conf/neo4j.conf.tmp" || true
      echo "$setting" >>"$conf/neo4j.conf.tmp" && mv "$conf/neo4j.conf.tmp" "$conf/neo4j.conf"
    done < <(tr ';' '\n' <<<"$NEO4J_SETTINGS")
    log "neo4j extra settings: $NEO4J_SETTINGS"
  fi
  : >"$LOG_DIR/neo4j.out"
  NEO4J_LOG_MARK="$(stat -c %s "$LOG_DIR/neo4j/neo4j.log" 2>/dev/null || echo 0)" # where this start's log begins
  # The --add-opens flags are the ones Neo4j's own launcher passes on Java 17.
  setsid nohup java -Dborderline.service=neo4j -Xms"$NEO4J_HEAP" -Xmx"$NEO4J_HEAP" -XX:+UseG1GC \
    -XX:-OmitStackTraceInFastThrow -Dio.netty.tryReflectionSetAccessible=true -Dfile.encoding=UTF-8 \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
    -cp "$INFRA_DIR/neo4j-lib/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$home" --config-dir="$conf" >>"$LOG_DIR/neo4j.out" 2>&1 </dev/null &
  log "neo4j starting (pid $!)"
}

stop_one() {
  local name="$1" pids; pids="$(pids_of "$name" | tr '\n' ' ')"
  [ -n "${pids// /}" ] || { log "$name not running"; return 0; }
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  local deadline=$((SECONDS + 45))
  while [ -n "$(pids_of "$name")" ]; do
    if [ $SECONDS -ge $deadline ]; then log "$name did not stop in 45s; killing"; pids_of "$name" | xargs -r kill -KILL 2>/dev/null || true; fi
    sleep 0.3
  done
  log "$name stopped"
}

# up_neo4j: starts Neo4j and waits for it. A start that finds the store locked (the previous server
# of this directory still letting go of it) is retried for a while, naming whoever holds the lock.
up_neo4j() {
  local lock="$DATA_DIR/neo4j/databases/store_lock" attempt
  for attempt in 1 2 3 4 5 6; do
    [ -n "$(pid_of neo4j)" ] || start_neo4j
    if wait_until neo4j neo4j_ready; then return 0; fi
    if ! tail -c +"$((NEO4J_LOG_MARK + 1))" "$LOG_DIR/neo4j/neo4j.log" 2>/dev/null | grep -q 'store_lock'; then
      die "neo4j exited during start-up; see $LOG_DIR/neo4j/neo4j.log and $LOG_DIR/neo4j.out"
    fi
    log "neo4j found its store locked (attempt $attempt); holders: $(lock_holders "$lock" | tr '\n' ';')"
    sleep 10
  done
  die "neo4j could not lock its store $lock; see $LOG_DIR/neo4j/neo4j.log"
}

status_one() {
  local name="$1" port="$2" pid; pid="$(pid_of "$name")"
  if [ -z "$pid" ]; then echo "$name: stopped"; return 1; fi
  if port_open "$port"; then echo "$name: running (pid $pid, 127.0.0.1:$port)"; else echo "$name: starting (pid $pid)"; return 1; fi
}

# cmd_up [kafka|neo4j]: both services, or only the one named.
cmd_up() {
  require_tools
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
  local started=$SECONDS only="${1:-}"
  [ "$only" = neo4j ] || start_kafka
  [ "$only" = kafka ] || start_neo4j # both start at once; up_neo4j waits and retries
  [ "$only" = neo4j ] || { wait_until kafka kafka_ready || die "kafka exited during start-up; see $LOG_DIR/kafka.out"; add_scram_user; }
  [ "$only" = kafka ] || up_neo4j
  log "up in $((SECONDS - started)) s: Kafka 127.0.0.1:$KAFKA_PORT (SASL_SSL $KAFKA_SASL_PORT), Neo4j bolt://127.0.0.1:$NEO4J_BOLT_PORT (HTTP $NEO4J_HTTP_PORT)"
  log "logs: $LOG_DIR   data: $DATA_DIR"
}

case "${2:-}" in
  ""|kafka|neo4j) ;;
  *) echo "usage: $0 up|down [kafka|neo4j]" >&2; exit 2 ;;
esac

case "${1:-}" in
  up) cmd_up "${2:-}" ;;
  down) [ "${2:-}" = neo4j ] || stop_one kafka; [ "${2:-}" = kafka ] || stop_one neo4j ;;
  status) rc=0; status_one kafka "$KAFKA_PORT" || rc=1; status_one neo4j "$NEO4J_BOLT_PORT" || rc=1; exit $rc ;;
  reset) stop_one kafka; stop_one neo4j; rm -rf "$DATA_DIR" "$INFRA_DIR/conf"; log "data wiped ($DATA_DIR); jars kept" ;;
  *) echo "usage: $0 up|down|status|reset" >&2; exit 2 ;;
esac
