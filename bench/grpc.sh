#!/usr/bin/env bash
# gRPC through Gantry next to gRPC straight to the server, on loopback (127.0.0.1), one command, one table.
#
#   bench/grpc.sh                          # 10 s per mode and target
#   DURATION=5 bench/grpc.sh
#
# What it starts, each in its own session (process group), all stopped on exit, also on Ctrl-C or an error:
#   the gRPC server     GrpcBench server 18301        (grpc-java, h2c; the interop TestService's shape)
#   Gantry              java -jar GANTRY_JAR --config OUT/gantry.yaml --admin-port 18399 --access-log off
#                       HTTP listener 18300 (h2c prior knowledge) -> backend protocol H2C -> 18301
# and for each mode (unary, stream, pingpong) and target (direct = 18301, gantry = 18300) one load run of
# GrpcBench load (grpc-java over one h2c connection): see GrpcBench's comment for what each mode does.
#
# Parameters (environment):
#   DURATION        [10]      seconds measured per run (after a warm-up of up to 5 s, not counted)
#   UNARY_CONC      [64]      unary calls in flight
#   STREAM_CONC     [8]       server streams at once (1000 messages of 1 KiB each, one after another)
#   PINGPONG_CONC   [16]      bidirectional streams at once, one round trip in flight each
#   GANTRY_JAR      [<repo>/proxy/target/gantry-proxy.jar]
#   JAVA            [java]
#   JAVA_OPTS       [the images' JVM flags: bench/image-jvm-flags.sh]  for Gantry
#   PROXY_THREADS   [2]
#   OUT             [$(mktemp -d)]  logs and configuration
#
# Needs the jar and the test classes: ./mvnw -q -pl proxy -am package -DskipTests (builds both).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10}
UNARY_CONC=${UNARY_CONC:-64}
STREAM_CONC=${STREAM_CONC:-8}
PINGPONG_CONC=${PINGPONG_CONC:-16}
GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
JAVA=${JAVA:-java}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$(dirname "$(readlink -f "$0")")/image-jvm-flags.sh"); fi
PROXY_THREADS=${PROXY_THREADS:-2}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
BIND=127.0.0.1
SERVER_PORT=18301
GANTRY_PORT=18300
ADMIN_PORT=18399
STARTED=()

log() { echo "# $*" >&2; }
die() { echo "grpc.sh: $*" >&2; exit 1; }

stop_all() {
  trap - EXIT INT TERM
  set +e
  local pg i
  for pg in "${STARTED[@]}"; do kill -TERM -- "-$pg" 2>/dev/null; done
  for ((i = 0; i < 50; i++)); do
    local any=0
    for pg in "${STARTED[@]}"; do kill -0 -- "-$pg" 2>/dev/null && any=1; done
    ((any)) || break
    sleep 0.1
  done
  for pg in "${STARTED[@]}"; do kill -KILL -- "-$pg" 2>/dev/null; done
  wait 2>/dev/null
}
trap stop_all EXIT INT TERM

start_daemon() {  # name cmd...
  local name=$1
  shift
  setsid "$@" >"$OUT/$name.log" 2>&1 </dev/null &
  LAST_PID=$!
  STARTED+=("$LAST_PID")
  log "started $name pid=$LAST_PID: ${*:0:300}"
}

wait_port() {  # port timeout_s pid
  local n=0
  while ! (exec 3<>"/dev/tcp/$BIND/$1") 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || return 1
    n=$((n + 1))
    ((n < $2 * 10)) || return 1
    sleep 0.1
  done
}

[[ -f $GANTRY_JAR ]] || die "Gantry jar not found: $GANTRY_JAR (./mvnw -q -pl proxy -am package -DskipTests)"
[[ -f $REPO/proxy/target/test-classes/dev/gantry/proxy/grpc/grpcjava/GrpcBench.class ]] \
  || die "test classes not built (./mvnw -q -pl proxy -am package -DskipTests)"
for port in $SERVER_PORT $GANTRY_PORT $ADMIN_PORT; do
  if (exec 3<>"/dev/tcp/$BIND/$port") 2>/dev/null; then die "port $port is in use"; fi
done

log "output in $OUT"
(cd "$REPO" && ./mvnw -q -B -o -pl proxy dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$OUT/classpath.txt" >"$OUT/classpath.log" 2>&1) \
  || die "could not resolve the test classpath (see $OUT/classpath.log)"
CP=$REPO/proxy/target/test-classes:$REPO/proxy/target/classes:$(cat "$OUT/classpath.txt")
# The load client and the server log warnings only, through the proxy's own log (its SLF4J provider).
BENCH=(env GANTRY_LOG_LEVEL=WARN "$JAVA" -cp "$CP" dev.gantry.proxy.grpc.grpcjava.GrpcBench)

start_daemon server "${BENCH[@]}" server "$SERVER_PORT"
wait_port "$SERVER_PORT" 30 "$LAST_PID" || die "the gRPC server did not start (see $OUT/server.log)"

cat >"$OUT/gantry.yaml" <<YAML
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: grpc-bench}
spec:
  listeners: [{name: grpc, port: $GANTRY_PORT, protocol: HTTP, defaultBackend: grpc}]
  backends:
  - {name: grpc, protocol: H2C, endpoints: [{address: $BIND, port: $SERVER_PORT}]}
YAML
read -r -a opts <<<"$JAVA_OPTS"
start_daemon gantry "$JAVA" "${opts[@]}" -jar "$GANTRY_JAR" --config "$OUT/gantry.yaml" --admin-port "$ADMIN_PORT" \
  --access-log off --threads "$PROXY_THREADS" --bind-address "$BIND" --admin-address "$BIND"
wait_port "$GANTRY_PORT" 30 "$LAST_PID" || die "Gantry did not start (see $OUT/gantry.log)"

printf '%-9s %-7s %5s %12s %9s %9s %9s %9s %7s\n' mode target conc "ops/s" "MiB/s" "p50 us" "p90 us" "p99 us" errors
for mode in unary stream pingpong; do
  case $mode in
    unary) conc=$UNARY_CONC ;;
    stream) conc=$STREAM_CONC ;;
    pingpong) conc=$PINGPONG_CONC ;;
  esac
  for target in direct gantry; do
    port=$SERVER_PORT
    [[ $target == gantry ]] && port=$GANTRY_PORT
    line=$("${BENCH[@]}" load "$BIND:$port" grpc.bench "$mode" "$conc" "$DURATION" 2>>"$OUT/load.log" | tail -n 1) \
      || die "load run $mode $target failed (see $OUT/load.log)"
    read -r _ ops mib p50 p90 p99 errors <<<"$line"
    printf '%-9s %-7s %5s %12s %9s %9s %9s %9s %7s\n' "$mode" "$target" "$conc" "$ops" "$mib" "$p50" "$p90" "$p99" \
      "$errors"
  done
done
log "$(nproc) cores, load client, server and Gantry on the same machine: figures are indicative"
