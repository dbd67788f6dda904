#!/usr/bin/env bash
# cold-start.sh: how fast a proxy that has just started takes new connections, window after window, while its
# JIT compiler is still at work; under two sets of JVM flags, side by side, on 127.0.0.1.
#
#   bench/cold-start.sh                                                   # the images' flags, 3 runs
#   FLAGS_B="-XX:+TieredCompilation -XX:CICompilerCount=2" bench/cold-start.sh
#
# Starts a backend nginx (two ports, /small = 100 B) on CPU1. Each run starts a fresh Gantry proxy on CPU0 with
# one event loop and the images' JVM flags (bench/image-jvm-flags.sh) plus FLAGS_A or FLAGS_B, waits for its
# first answer, then drives it with wrk (-t1 -cCONNS, on CPU1) for WINDOWS windows of SECS seconds, each
# request on a new connection (`Connection: close`), and then SECS seconds on kept-alive connections. Prints,
# per window, the connections (requests) per second and the proxy's CPU time per connection (user + system,
# from /proc; the compiler's threads count, as they do against a pod's CPU limit), then the kept-alive
# requests per second and CPU per request, the RSS and the compiled code's size (jcmd Compiler.codecache) at
# the end. With FLAGS_B set, runs alternate between A and B. Needs a quiet machine; every process it starts is
# stopped by PID.
#
# Parameters [defaults]: FLAGS_A [""]  FLAGS_B [unset: A alone]  RUNS [3] per side  WINDOWS [3]  SECS [5]
#   CONNS [64]  GANTRY_JAR [<repo>/proxy/target/gantry-proxy.jar]  JAVA [java]
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
FLAGS_A=${FLAGS_A-} RUNS=${RUNS:-3} WINDOWS=${WINDOWS:-3} SECS=${SECS:-5} CONNS=${CONNS:-64} JAVA=${JAVA:-java}
GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
for n in "$RUNS" "$WINDOWS" "$SECS" "$CONNS"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "cold-start.sh: RUNS, WINDOWS, SECS and CONNS are positive numbers" >&2; exit 2; }
done
for cmd in nginx wrk curl taskset jcmd "$JAVA"; do
  command -v "$cmd" >/dev/null || { echo "cold-start.sh: $cmd is needed" >&2; exit 2; }
done
[[ -f $GANTRY_JAR ]] || { echo "cold-start.sh: no $GANTRY_JAR (./mvnw package -DskipTests)" >&2; exit 2; }
BASE=$("$REPO/bench/image-jvm-flags.sh")
work=$(mktemp -d)
proxy=""
cleanup() {
  [[ -n $proxy ]] && kill "$proxy" 2>/dev/null || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$REPO/bench/backend-nginx.sh" "$work"
cat > "$work/gantry.yaml" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: cold}
spec:
  listeners: [{name: http, port: 18130, protocol: HTTP, defaultBackend: web}]
  backends:
  - name: web
    endpoints: [{address: 127.0.0.1, port: 18081}, {address: 127.0.0.1, port: 18082}]
EOF
url=http://127.0.0.1:18130/small

ticks() { awk '{print $14 + $15}' "/proc/$proxy/stat"; }
hz=$(getconf CLK_TCK)
window() {  # label, then wrk's extra arguments: prints "label N/s U us"
  local label=$1 t0 t1 done_
  shift
  t0=$(ticks)
  done_=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" "$@" "$url" | awk '/requests in/ {print $1}')
  t1=$(ticks)
  awk -v l="$label" -v d="${done_:-0}" -v t=$((t1 - t0)) -v s="$SECS" -v hz="$hz" \
    'BEGIN { if (d > 0) printf " %s %d/s %.1f us", l, d / s, t * 1e6 / hz / d; else printf " %s none", l }'
}
run() {  # side flags
  local i rss code
  # shellcheck disable=SC2086
  taskset -c 0 "$JAVA" $BASE $2 -jar "$GANTRY_JAR" --config "$work/gantry.yaml" --access-log off --threads 1 \
    --admin-port 18230 --bind-address 127.0.0.1 --admin-address 127.0.0.1 > "$work/gantry.log" 2>&1 &
  proxy=$!
  for _ in $(seq 120); do curl -fs -o /dev/null "$url" && break; sleep 0.25; done
  curl -fs -o /dev/null "$url" || { echo "cold-start.sh: the proxy did not answer; its log:" >&2; cat "$work/gantry.log" >&2; exit 1; }
  printf '%s' "$1"
  for i in $(seq "$WINDOWS"); do window "new$i" -H "Connection: close"; done
  window kept
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$proxy/status")
  code=$(jcmd "$proxy" Compiler.codecache 2>/dev/null \
    | awk -F'used=' '/used=/ {split($2, a, "Kb"); s += a[1]} END {printf "%.1f", s / 1024}')
  printf ' | RSS %s MiB, compiled code %s MiB\n' "$rss" "$code"
  kill "$proxy"
  wait "$proxy" 2>/dev/null || true
  proxy=""
}
echo "every side: $BASE"
echo "flags A: ${FLAGS_A:-none beside those}"
[[ -z ${FLAGS_B+set} ]] || echo "flags B: ${FLAGS_B:-none beside those}"
echo "per window: connections (requests) per second, proxy CPU per connection; kept: kept-alive requests"
for r in $(seq "$RUNS"); do
  run "a$r" "$FLAGS_A"
  [[ -z ${FLAGS_B+set} ]] || run "b$r" "$FLAGS_B"
done
