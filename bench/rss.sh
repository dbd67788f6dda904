#!/usr/bin/env bash
# rss.sh: Gantry's resident memory (VmRSS of the JVM) with the images' JVM flags: idle, after load at one
# event loop and at one per CPU, against the number of routes, and over reloads of a big configuration.
# Idle client connections are measured by idle-connections.sh, which this runs with the same flags.
#
# "load": two nginx backends (/small = 100 B, /16k = 16384 B), Gantry with an HTTP and an HTTPS listener
#   (one self-signed RSA 2048 certificate); per THREADS value: the RSS idle, then wrk -t1 -cWRK_CONNS on
#   each case (small, 16k, tls-small, tls-16k; WARMUP s unmeasured, then DURATION s measured), printing
#   req/s, p99, the proxy's CPU time per request and the RSS after the case.
# "routes": per ROUTES value, a LoadBalancer with that many routes (each its own host and path prefix, over
#   at most 250 backends of two endpoints): the RSS idle and after DURATION s of load on the last route;
#   for the largest, RELOADS rewrites of the file (each a new generation), the RSS after each, then after
#   a full GC (jcmd GC.run) if jcmd is installed, to tell live data from heap the JVM keeps.
# "connections": bench/idle-connections.sh for Gantry alone (CONNECTIONS [10000] in steps of STEP [1000]).
# Loopback only; every process it starts is stopped by its process-group id on exit.
#
# Parameters (environment) [defaults]:
#   PARTS      ["load routes connections"]
#   JAVA_OPTS  [the images' flags and the pod's memory limit: bench/image-jvm-flags.sh]   JAVA [java]
#   THREADS    ["1 0"]  --threads values for "load" (0 = one event loop per CPU, the pod's default)
#   ROUTES     ["10 1000 10000"]   RELOADS [5]
#   DURATION   [10]  WARMUP [5]  WRK_CONNS [64]
#   PIN        [split]  split: Gantry on CPU0, wrk and backends on CPU1;  none: no affinity
#   NMT        [0]   1: run with -XX:NativeMemoryTracking=summary and keep jcmd's summary after load in OUT
#   GANTRY_JAR [proxy/target/gantry-proxy.jar]   OUT [/tmp/gantry-rss/<timestamp>]
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
: "${PARTS:=load routes connections}" "${THREADS:=1 0}" "${ROUTES:=10 1000 10000}" "${RELOADS:=5}"
: "${DURATION:=10}" "${WARMUP:=5}" "${NMT:=0}" "${WRK_CONNS:=64}" "${PIN:=split}" "${JAVA:=java}"
: "${GANTRY_JAR:=$REPO/proxy/target/gantry-proxy.jar}" "${OUT:=/tmp/gantry-rss/$(date +%Y%m%d-%H%M%S)}"
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$REPO/bench/image-jvm-flags.sh"); fi
readonly BIND=127.0.0.1 BE1=18381 BE2=18382 HTTP=18390 HTTPS=18391 ADMIN=18399

die() { echo "rss.sh: $*" >&2; exit 2; }
for tool in "$JAVA" nginx wrk curl openssl taskset setsid; do
  command -v "$tool" >/dev/null || die "missing $tool (apt-get install -y nginx wrk curl openssl)"
done
[[ -f $GANTRY_JAR ]] || die "no $GANTRY_JAR: ./mvnw -q -pl proxy -am package -DskipTests"
case $PIN in
  split) PROXY_CPU=(taskset -c 0); LOAD_CPU=(taskset -c 1) ;;
  none) PROXY_CPU=(); LOAD_CPU=() ;;
  *) die "PIN must be split or none, got '$PIN'" ;;
esac
mkdir -p "$OUT/logs" "$OUT/www" "$OUT/be"

STARTED=()
start() {  # name cmd... -> LAST_PID (its own session, so its group can be stopped)
  local name=$1; shift
  setsid "$@" >"$OUT/logs/$name.log" 2>&1 </dev/null &
  LAST_PID=$!
  STARTED+=("$LAST_PID")
}
stop() {  # pid
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null || true
}
cleanup() { local p; for p in "${STARTED[@]}"; do stop "$p"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() {
  local _
  for _ in $(seq 600); do (exec 3<>"/dev/tcp/$BIND/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of the whole process

printf '%099d\n' 0 | tr 0 a >"$OUT/www/small"
head -c 16384 /dev/zero | tr '\0' b >"$OUT/www/16k"
openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$OUT/key.pem" -out "$OUT/cert.pem" 2>"$OUT/logs/openssl.log"
cat >"$OUT/be/nginx.conf" <<EOF
daemon off;
pid $OUT/be/nginx.pid;
error_log $OUT/be/error.log warn;
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 120s; keepalive_requests 100000000;
$(for t in client_body proxy fastcgi uwsgi scgi; do printf '  %s_temp_path %s/%s;\n' "$t" "$OUT/be" "$t"; done)
  server { listen $BIND:$BE1; listen $BIND:$BE2; root $OUT/www; location / { try_files \$uri /small; } }
}
EOF
start backends "${LOAD_CPU[@]}" nginx -p "$OUT/be" -c "$OUT/be/nginx.conf"
wait_port "$BE2" || die "nginx backends did not start: $OUT/logs/backends.log"

load_yaml() {
  cat <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: rss}
spec:
  listeners:
  - {name: http, port: $HTTP, protocol: HTTP, defaultBackend: web}
  - name: https
    port: $HTTPS
    protocol: HTTPS
    defaultBackend: web
    tls: {certificates: [{certFile: $OUT/cert.pem, keyFile: $OUT/key.pem}], alpn: [http/1.1]}
  backends:
  - {name: web, endpoints: [{address: $BIND, port: $BE1}, {address: $BIND, port: $BE2}]}
EOF
}

routes_yaml() {  # n [generation]: n routes, each with its own host, path and backend
  local n=$1
  cat <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: rss}
spec:
  listeners:
  - {name: http, port: $HTTP, protocol: HTTP, defaultBackend: web}
  routes:
EOF
  awk -v n="$n" -v g="${2:-0}" 'BEGIN { for (i = 0; i < n; i++)
    printf "  - {name: r%d, hosts: [app%d.example], paths: [{type: Prefix, value: /api/v%d}], backends: [{name: b%d}]}\n", i, i, (i + g) % 7, i % 250 }'
  echo "  backends:"
  echo "  - {name: web, endpoints: [{address: $BIND, port: $BE1}, {address: $BIND, port: $BE2}]}"
  awk -v n="$((n < 250 ? n : 250))" -v be1="$BE1" -v be2="$BE2" 'BEGIN { for (i = 0; i < n; i++)
    printf "  - {name: b%d, endpoints: [{address: 127.0.0.1, port: %d}, {address: 127.0.0.1, port: %d}]}\n", i, be1, be2 }'
}

start_gantry() {  # config threads -> GANTRY (pid); waits until it listens
  local -a opts
  read -r -a opts <<<"$JAVA_OPTS"
  if [[ $NMT == 1 ]]; then opts+=(-XX:NativeMemoryTracking=summary); fi
  start gantry "${PROXY_CPU[@]}" "$JAVA" "${opts[@]}" -jar "$GANTRY_JAR" --config "$1" --threads "$2" \
    --access-log off --bind-address "$BIND" --admin-address "$BIND" --admin-port "$ADMIN"
  GANTRY=$LAST_PID
  wait_port "$HTTP" || die "gantry did not start: $OUT/logs/gantry.log"
  sleep 2
}

generation() { curl -fsS "http://$BIND:$ADMIN/metrics" | awk '/^gantry_config_generation/ {print $2 + 0}'; }

wrk_case() {  # label url seconds [host] -> one line: req/s p99 cpu-us/req rss
  local label=$1 url=$2 secs=$3 host=${4:-} t0 t1 out
  local -a hdr=()
  [[ -n $host ]] && hdr=(-H "Host: $host")
  t0=$(cpu_ticks "$GANTRY")
  out=$("${LOAD_CPU[@]}" wrk -t1 -c"$WRK_CONNS" -d"${secs}s" --latency "${hdr[@]}" "$url")
  t1=$(cpu_ticks "$GANTRY")
  echo "$out" >>"$OUT/wrk.log"
  echo "$out" | awk -v label="$label" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v rss="$(rss_mib "$GANTRY")" '
    / requests in / {n = $1} /Requests\/sec/ {rps = $2} $1 == "99%" {p99 = $2}
    /Non-2xx|Socket errors/ {err = err " " $0}
    END {printf "%-10s %10.0f req/s  p99 %8s  %6.1f us CPU/req  RSS %6s MiB%s\n",
                label, rps, p99, n ? ticks / hz * 1e6 / n : 0, rss, err ? "  !" err : ""}'
}

case_url() {  # small | 16k | tls-small | tls-16k
  case $1 in tls-*) echo "https://$BIND:$HTTPS/${1#tls-}" ;; *) echo "http://$BIND:$HTTP/$1" ;; esac
}

jdk_tool() { echo "$(dirname "$(readlink -f "$(command -v "$JAVA")")")/$1"; }

part_load() {
  local threads cfg=$OUT/load.yaml c
  load_yaml >"$cfg"
  for threads in $THREADS; do
    start_gantry "$cfg" "$threads"
    echo "== load, --threads $threads, JAVA_OPTS=$JAVA_OPTS"
    echo "idle       RSS $(rss_mib "$GANTRY") MiB"
    for c in small 16k tls-small tls-16k; do  # the JIT compiles every path before anything is measured
      wrk_case warmup "$(case_url "$c")" "$WARMUP" >/dev/null
    done
    for c in small 16k tls-small tls-16k; do
      wrk_case "$c" "$(case_url "$c")" "$DURATION"
    done
    sleep 2
    echo "after load RSS $(rss_mib "$GANTRY") MiB"
    if [[ $NMT == 1 ]]; then "$(jdk_tool jcmd)" "$GANTRY" VM.native_memory summary >"$OUT/nmt-$threads.txt" 2>&1; fi
    stop "$GANTRY"
  done
}

full_gc_rss() {  # pid -> RSS after jcmd GC.run, or "-" without jcmd
  local jcmd
  jcmd=$(jdk_tool jcmd)
  [[ -x $jcmd ]] || { echo -; return; }
  "$jcmd" "$1" GC.run >/dev/null 2>&1 || { echo -; return; }
  sleep 1
  rss_mib "$1"
}

part_routes() {
  local n last cfg=$OUT/routes.yaml i g
  for n in $ROUTES; do last=$n; done
  for n in $ROUTES; do
    routes_yaml "$n" >"$cfg"
    start_gantry "$cfg" 1
    echo "== $n routes, --threads 1: idle RSS $(rss_mib "$GANTRY") MiB"
    wrk_case "load" "http://$BIND:$HTTP/api/v$(((n - 1) % 7))/x" "$DURATION" "app$((n - 1)).example"  # the last route
    if [[ $n == "$last" ]]; then
      for i in $(seq "$RELOADS"); do
        g=$(generation)
        routes_yaml "$n" "$i" >"$cfg.tmp" && mv "$cfg.tmp" "$cfg"
        for _ in $(seq 600); do [[ $(generation) != "$g" ]] && break; sleep 0.1; done
        sleep 3
        echo "reload $i    generation $(generation)  RSS $(rss_mib "$GANTRY") MiB"
      done
      echo "full GC    RSS $(full_gc_rss "$GANTRY") MiB"
    fi
    stop "$GANTRY"
  done
}

part_connections() {
  echo "== idle connections (bench/idle-connections.sh), --threads 1"
  TARGETS=gantry JAVA="$JAVA" JAVA_OPTS="$JAVA_OPTS" GANTRY_JAR="$GANTRY_JAR" WORK="$OUT/idle" PROXY_THREADS=1 \
    "$REPO/bench/idle-connections.sh" | tail -n 3
}

echo "rss.sh: java $("$JAVA" -version 2>&1 | head -1), JAVA_OPTS=$JAVA_OPTS, results in $OUT"
for p in $PARTS; do
  case $p in
    load) part_load ;;
    routes) part_routes ;;
    connections) part_connections ;;
    *) die "unknown part '$p' in PARTS (load routes connections)" ;;
  esac
done 2>&1 | tee "$OUT/summary.txt"
