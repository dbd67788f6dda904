#!/usr/bin/env bash
# How soon one change in a large configuration file reaches traffic: Gantry serves a file of ROUTES routes
# (each its own host and path prefix), the file is rewritten with one route moved to another backend, and
# the time from the write to the first response from that backend is measured, ROUNDS times. The proxy's
# own log line gives the part spent compiling, binding and swapping ("applied ... in N ms"). Loopback
# only; starts two nginx backends and Gantry, stops them by PID on exit.
#
#   bench/scale.sh                        ROUTES=10000 FORMAT=json bench/scale.sh
#
#   GANTRY_JAR [proxy/target/gantry-proxy.jar]   JAVA [java]
#   JAVA_OPTS  [the proxy image's JVM flags and the pod's memory limit: bench/image-jvm-flags.sh]
#   ROUTES     [10000]   routes in the file (one LoadBalancer)
#   FORMAT     [yaml]    yaml or json
#   ROUNDS     [10]      changes timed
#   WARMUP     [3]       changes made first and not timed (a proxy that has never reloaded runs cold code)
#   WRITE      [rename]  rename: write a new file and rename it over the old one (as editors and ConfigMap
#                        volumes do); inplace: rewrite the file in place
#   OUT        [/tmp/gantry-scale/<timestamp>]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
GANTRY_JAR=${GANTRY_JAR:-$here/../proxy/target/gantry-proxy.jar}
JAVA=${JAVA:-java}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$here/image-jvm-flags.sh"); fi
ROUTES=${ROUTES:-10000}
FORMAT=${FORMAT:-yaml}
ROUNDS=${ROUNDS:-10}
WARMUP=${WARMUP:-3}
WRITE=${WRITE:-rename}
OUT=${OUT:-/tmp/gantry-scale/$(date +%Y%m%d-%H%M%S)}
PORT=18280
ADMIN=18289
BACKENDS=(18281 18282)

die() { echo "scale.sh: $*" >&2; exit 1; }
for tool in "$JAVA" nginx curl python3; do
  command -v "$tool" >/dev/null || die "missing $tool (apt-get install -y nginx curl python3)"
done
[[ -f $GANTRY_JAR ]] || die "no $GANTRY_JAR: ./mvnw -q -pl proxy -am package -DskipTests"
[[ $FORMAT == yaml || $FORMAT == json ]] || die "FORMAT is yaml or json, not $FORMAT"
mkdir -p "$OUT"
CONFIG=$OUT/lb.$FORMAT

pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT

start_backend() {  # name port
  local dir=$OUT/$1
  mkdir -p "$dir/tmp"
  cat > "$dir/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  server { listen 127.0.0.1:$2; location / { return 200 "$1\n"; } }
}
EOF
  nginx -p "$dir" -c "$dir/nginx.conf" &
  pids+=($!)
}

# config MOVED: every route to backend be1, except route MOVED (-1: none) to be2
config() {
  python3 - "$1" "$ROUTES" "$FORMAT" "$PORT" "${BACKENDS[@]}" > "$CONFIG.new" <<'EOF'
import json, sys
moved, routes, fmt, port, be1, be2 = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
def route(i):
    return {"name": f"r{i}", "hosts": [f"site{i}.example.com"], "paths": [{"type": "Prefix", "value": f"/app/{i}"}],
            "backends": [{"name": "be2" if i == moved else "be1"}]}
if fmt == "json":
    lb = {"apiVersion": "gantry.dev/v1alpha1", "kind": "LoadBalancer", "metadata": {"name": "scale"},
          "spec": {"listeners": [{"name": "http", "port": int(port), "protocol": "HTTP", "defaultBackend": "be1"}],
                   "routes": [route(i) for i in range(routes)],
                   "backends": [{"name": "be1", "endpoints": [{"address": "127.0.0.1", "port": int(be1)}]},
                                {"name": "be2", "endpoints": [{"address": "127.0.0.1", "port": int(be2)}]}]}}
    print(json.dumps(lb, indent=1))
else:
    out = ["apiVersion: gantry.dev/v1alpha1", "kind: LoadBalancer", "metadata: {name: scale}", "spec:",
           f"  listeners: [{{name: http, port: {port}, protocol: HTTP, defaultBackend: be1}}]", "  routes:"]
    for i in range(routes):
        out += [f"  - name: r{i}", f"    hosts: [site{i}.example.com]", f"    paths: [{{type: Prefix, value: /app/{i}}}]",
                f"    backends: [{{name: {'be2' if i == moved else 'be1'}}}]"]
    out += ["  backends:", f"  - {{name: be1, endpoints: [{{address: 127.0.0.1, port: {be1}}}]}}",
            f"  - {{name: be2, endpoints: [{{address: 127.0.0.1, port: {be2}}}]}}"]
    print("\n".join(out))
EOF
}
publish() {
  if [[ $WRITE == inplace ]]; then cat "$CONFIG.new" > "$CONFIG"; else mv "$CONFIG.new" "$CONFIG"; fi
}

# CPU time the proxy's process has used, in ms (every thread: the reload, garbage collection, the JIT)
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
wait_for() {  # seconds command...
  local until=$(($(now_ms) + $1 * 1000)); shift
  until "$@" >/dev/null 2>&1; do (($(now_ms) < until)) || return 1; sleep 0.01; done
}
answer() { curl -s --max-time 2 -H "Host: site$1.example.com" "http://127.0.0.1:$PORT/app/$1/x"; }
serves() { [[ $(answer "$1") == "$2" ]]; }
applied_line() { grep 'applied (file changed)' "$OUT/gantry.log" | sed -n "${1}p"; }
# the log line's own figure: compiling, binding and swapping
applied_ms() { applied_line "$1" | grep -o 'in [0-9]* ms$' | grep -o '[0-9]*'; }
# when that line was logged, in epoch milliseconds: the file read, parsed, validated and swapped in by then
applied_at() { local t; t=$(applied_line "$1" | cut -d' ' -f1); [[ -n $t ]] && echo $(($(date -d "$t" +%s%N) / 1000000)); }

start_backend be1 "${BACKENDS[0]}"
start_backend be2 "${BACKENDS[1]}"
for p in "${BACKENDS[@]}"; do wait_for 10 curl -sf "http://127.0.0.1:$p/" || die "backend on $p did not start"; done
config -1
publish
echo "$ROUTES routes, $FORMAT, $(wc -c < "$CONFIG") bytes; changes by $WRITE"
started=$(now_ms)
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -jar "$GANTRY_JAR" --config "$CONFIG" --admin-port $ADMIN --access-log off --threads 1 \
  --bind-address 127.0.0.1 --admin-address 127.0.0.1 > "$OUT/gantry.log" 2>&1 &
pids+=($!)
gantry=$!
last=$((ROUTES - 1))
wait_for 120 serves "$last" be1 || die "Gantry did not serve route $last, see $OUT/gantry.log"
echo "start-up to the last route answering: $(($(now_ms) - started)) ms"

echo "one route moved to another backend, $ROUNDS changes after $WARMUP untimed ones (ms):"
echo "  total: from the write to the new backend answering; swapped: from the write to the swap's log line"
echo "  (the watcher waits for 200 ms of quiet first); compile+swap: the part the log line reports;"
echo "  proxy cpu: CPU time the proxy used meanwhile, all threads (wall times grow on a busy machine, this less)"
printf '  %-6s %-8s %-8s %-12s %-9s\n' round total swapped compile+swap "proxy cpu"
totals=()
cpus=()
for ((r = -WARMUP; r < ROUNDS; r++)); do
  route=$((((r + WARMUP) * 7919 + ROUTES / 2) % ROUTES))
  config "$route"          # generated before the clock starts: the file is ready to be written
  sleep 1
  cpu=$(cpu_ms "$gantry")
  start=$(now_ms)
  publish
  wait_for 30 serves "$route" be2 || die "round $r: route $route did not move, see $OUT/gantry.log"
  total=$(($(now_ms) - start))
  cpu=$(($(cpu_ms "$gantry") - cpu))
  n=$((r + WARMUP + 1))
  ((r >= 0)) || continue
  totals+=("$total")
  cpus+=("$cpu")
  at=$(applied_at "$n")
  printf '  %-6s %-8s %-8s %-12s %-9s\n' "$r" "$total" "$((${at:-$start} - start))" "$(applied_ms "$n")" "$cpu"
done
summary() { sort -n | awk -v what="$1" '{ a[NR] = $1 } END { printf "  %s: median %d, min %d, max %d\n", what, a[int((NR + 1) / 2)], a[1], a[NR] }'; }
printf '%s\n' "${totals[@]}" | summary total
printf '%s\n' "${cpus[@]}" | summary "proxy cpu"
heap=$(jcmd "$gantry" GC.heap_info 2>/dev/null | awk '/used/ { print; exit }' || true)
echo "proxy heap: ${heap:-unknown}"
echo "results and logs: $OUT"
