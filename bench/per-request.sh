#!/usr/bin/env bash
# per-request.sh: what one proxied HTTP request costs Gantry and HAProxy, side by side at saturation on
# 127.0.0.1: the proxy's user and system CPU time, its system calls by name, the TCP segments on the machine,
# and how often the backend's event loop turns (its epoll_wait calls), each divided by the requests served.
#
#   bench/per-request.sh                     # 3 rounds of 8 s each, /small (100 B)
#   PAGE=16k ROUNDS=5 bench/per-request.sh
#
# Starts the benchmarks' backend nginx (bench/backend-nginx.sh, CPU1), HAProxy (one thread, `http-reuse
# always`, `balance roundrobin` over both backend ports, as the reference harness configures it) and Gantry
# (one event loop, the images' JVM flags from bench/image-jvm-flags.sh), both proxies pinned to CPU0. Warms each
# up with wrk, then per round drives each in turn with `wrk -t1 -c64` on CPU1 for SECS seconds and reads, around
# the run: the proxy's user and system time (/proc/PID/stat), its system calls and the backend worker's
# epoll_wait calls (`perf stat -e 'syscalls:sys_enter_*'`, while the run lasts), and the machine's TCP
# segments in and out (`nstat`), with the share of the machine the hypervisor took meanwhile (steal). Prints
# one line per proxy and round, then the system calls and segments per request of each proxy's last round.
# Needs perf (linux-perf) with the syscall tracepoints, and root. Every process it starts is stopped by PID.
#
# Parameters [defaults]: ROUNDS [3]  SECS [8]  PAGE [small] small (100 B) or 16k (16 KiB)  WARMUP [15] seconds
#   of wrk per proxy first   GANTRY_JAR [<repo>/proxy/target/gantry-proxy.jar]   JAVA [java]
#   JAVA_OPTS [the images' flags: bench/image-jvm-flags.sh]
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
ROUNDS=${ROUNDS:-3} SECS=${SECS:-8} PAGE=${PAGE:-small} WARMUP=${WARMUP:-15} JAVA=${JAVA:-java}
GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$REPO/bench/image-jvm-flags.sh"); fi
case $PAGE in small | 16k) ;; *) echo "per-request.sh: PAGE is small or 16k" >&2; exit 2 ;; esac
[[ $ROUNDS =~ ^[0-9]+$ && $SECS =~ ^[0-9]+$ ]] || { echo "per-request.sh: ROUNDS and SECS are numbers" >&2; exit 2; }
for cmd in nginx haproxy wrk perf nstat taskset curl "$JAVA"; do
  command -v "$cmd" >/dev/null || { echo "per-request.sh: $cmd is needed" >&2; exit 2; }
done
[[ -f $GANTRY_JAR ]] || { echo "per-request.sh: no $GANTRY_JAR (./mvnw package -DskipTests)" >&2; exit 2; }
[[ $(perf list 'syscalls:sys_enter_sendto' 2>/dev/null) == *sys_enter_sendto* ]] \
  || { echo "per-request.sh: perf sees no syscall tracepoints (run as root, with tracefs mounted)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f $work/haproxy.pid ]] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$REPO/bench/backend-nginx.sh" "$work"
backend=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)   # the worker: the process that serves

cat > "$work/haproxy.cfg" <<EOF
global
    nbthread 1
defaults
    mode http
    timeout connect 5s
    timeout client 50s
    timeout server 50s
    option http-keep-alive
    http-reuse always
backend web
    balance roundrobin
    server s1 127.0.0.1:18081
    server s2 127.0.0.1:18082
frontend http
    bind 127.0.0.1:18090
    default_backend web
EOF
taskset -c 0 haproxy -f "$work/haproxy.cfg" -D -p "$work/haproxy.pid"

cat > "$work/gantry.yaml" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: per-request}
spec:
  listeners: [{name: http, port: 18100, protocol: HTTP, defaultBackend: web}]
  backends:
  - name: web
    endpoints: [{address: 127.0.0.1, port: 18081}, {address: 127.0.0.1, port: 18082}]
EOF
# shellcheck disable=SC2086
taskset -c 0 "$JAVA" $JAVA_OPTS -jar "$GANTRY_JAR" --config "$work/gantry.yaml" --access-log off --threads 1 \
  --admin-port 18299 --bind-address 127.0.0.1 --admin-address 127.0.0.1 > "$work/gantry.log" 2>&1 &
pids+=($!)
gantry=$!
for port in 18090 18100; do
  for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$port/$PAGE" && break; sleep 0.5; done
  curl -fs -o /dev/null "http://127.0.0.1:$port/$PAGE" || { echo "per-request.sh: nothing answers on $port" >&2; exit 1; }
  taskset -c 1 wrk -t1 -c64 -d"${WARMUP}s" "http://127.0.0.1:$port/$PAGE" > /dev/null
done
haproxy=$(cat "$work/haproxy.pid")

hz=$(getconf CLK_TCK)
times() { awk '{print $14, $15}' "/proc/$1/stat"; }                  # user, system ticks
machine() { awk '/^cpu / {print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }  # steal, all
# per-request counts of a perf stat file (csv), largest first, those of at least one in 2,000 requests
per_request() { awk -F, -v n="$2" '$1 / n >= 0.0005 { sub("syscalls:sys_enter_", "", $3); printf "%s %.3f\n", $3, $1 / n }' "$1" \
  | sort -k2 -rn | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 } END { print "" }'; }
measure() {  # name pid port: one line of figures; leaves the counts in $work/NAME.*
  local u0 s0 u1 s1 st0 all0 st1 all1 w c1 c2 requests
  read -r u0 s0 < <(times "$2"); read -r st0 all0 < <(machine)
  nstat -n > /dev/null
  taskset -c 1 wrk -t1 -c64 -d"${SECS}s" --latency "http://127.0.0.1:$3/$PAGE" > "$work/wrk.out" &
  w=$!
  perf stat -x, -e 'syscalls:sys_enter_*' -p "$2" -o "$work/$1.proxy" -- sleep "$SECS" 2> /dev/null &
  c1=$!
  perf stat -x, -e 'syscalls:sys_enter_epoll_wait' -p "$backend" -o "$work/$1.backend" -- sleep "$SECS" 2> /dev/null &
  c2=$!
  wait "$w"
  read -r u1 s1 < <(times "$2"); read -r st1 all1 < <(machine)
  nstat -z 2> /dev/null > "$work/$1.tcp"
  wait "$c1" "$c2"   # the counters, which stop on their own
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  (( ${requests:-0} > 0 )) || { echo "per-request.sh: no requests through $1" >&2; exit 1; }
  echo "$requests" > "$work/$1.requests"
  awk -v n="$1" -v q="$requests" -v secs="$SECS" -v hz="$hz" -v u=$((u1 - u0)) -v s=$((s1 - s0)) \
    -v wake="$(awk -F, '/epoll_wait/ {print $1}' "$work/$1.backend")" \
    -v p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.out")" -v st=$((st1 - st0)) -v all=$((all1 - all0)) \
    'BEGIN { printf "%-8s %9.0f %8s %7.2f %7.2f %7.2f %12.3f %6.1f\n", n, q / secs, p99, (u + s) * 1e6 / hz / q,
             u * 1e6 / hz / q, s * 1e6 / hz / q, wake / q, (all > 0 ? st * 100 / all : 0) }'
}
echo "page /$PAGE, $SECS s per run, wrk -t1 -c64; Gantry: $JAVA_OPTS"
echo "proxy    req/s     p99      CPU-us  user-us  sys-us  backend-loops steal-%   (all per request)"
for r in $(seq "$ROUNDS"); do
  echo "round $r"
  measure haproxy "$haproxy" 18090
  measure gantry "$gantry" 18100
done
for name in haproxy gantry; do
  q=$(cat "$work/$name.requests")
  echo "$name, last round, per request:"
  echo "  system calls: $(per_request "$work/$name.proxy" "$q")"
  echo "  TCP segments on the machine: $(awk -v q="$q" '$1 == "TcpInSegs" || $1 == "TcpOutSegs" {
    printf "%s%s=%.3f", (k++ ? " " : ""), $1, $2 / q } END { print "" }' "$work/$name.tcp")"
done
