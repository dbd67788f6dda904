#!/usr/bin/env bash
# The figures the functional tests leave out (ReloadIT, PassiveHealthIT): how soon a changed file moves
# traffic, how many requests are served while the file changes every RELOAD_MS, and how many while one of
# three endpoints is killed. Loopback only; starts nginx backends and Gantry, stops them by PID on exit.
#
#   bench/reload.sh                       ROUNDS=20 DURATION=10 bench/reload.sh
#
#   GANTRY_JAR [proxy/target/gantry-proxy.jar]   JAVA [java]   JAVA_OPTS [the images' JVM flags]
#   ROUNDS     [10]   file changes timed in the first part
#   DURATION   [10]   seconds of load in the second and third parts (h2load --h1 -c CONNS)
#   CONNS      [8]    RELOAD_MS [350]    OUT [/tmp/gantry-reload/<timestamp>]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
GANTRY_JAR=${GANTRY_JAR:-$here/../proxy/target/gantry-proxy.jar}
JAVA=${JAVA:-java}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$here/image-jvm-flags.sh"); fi
ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-10}
CONNS=${CONNS:-8}
RELOAD_MS=${RELOAD_MS:-350}
OUT=${OUT:-/tmp/gantry-reload/$(date +%Y%m%d-%H%M%S)}
PORT=18180
ADMIN=18189
BACKENDS=(18181 18182 18183)

die() { echo "reload.sh: $*" >&2; exit 1; }
for tool in "$JAVA" nginx curl h2load; do
  command -v "$tool" >/dev/null || die "missing $tool (apt-get install -y nginx curl nghttp2-client)"
done
[[ -f $GANTRY_JAR ]] || die "no $GANTRY_JAR: ./mvnw -q package -DskipTests"
mkdir -p "$OUT"

pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT

start_backend() {  # index port -> its nginx's PID in backend_pid
  local dir=$OUT/be$1
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
  server { listen 127.0.0.1:$2; location / { return 200 "be$1\n"; } }
}
EOF
  nginx -p "$dir" -c "$dir/nginx.conf" &
  backend_pid=$!
  pids+=("$backend_pid")
}

endpoint() { echo "{address: 127.0.0.1, port: $1}"; }
config() {  # backend of every request, [endpoints of "web"] -> the configuration file
  cat > "$OUT/lb.yaml.new" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: bench}
spec:
  listeners: [{name: http, port: $PORT, protocol: HTTP, defaultBackend: $1}]
  routes: [{name: all, paths: [{type: Prefix, value: /}], backends: [{name: $1}], retries: 2}]
  backends:
  - {name: be1, endpoints: [{address: 127.0.0.1, port: ${BACKENDS[0]}}]}
  - {name: be2, endpoints: [{address: 127.0.0.1, port: ${BACKENDS[1]}}]}
  - {name: web, endpoints: [${2:-$(endpoint "${BACKENDS[0]}")}]}
EOF
  cat "$OUT/lb.yaml.new" > "$OUT/lb.yaml"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
wait_for() {  # seconds command...
  local until=$(($(now_ms) + $1 * 1000)); shift
  until "$@" >/dev/null 2>&1; do (($(now_ms) < until)) || return 1; sleep 0.05; done
}
body() { curl -s --max-time 2 "http://127.0.0.1:$PORT/"; }
serves() { [[ $(body) == "$1" ]]; }
load() {  # name -> h2load's summary lines
  h2load --h1 -c "$CONNS" -t 1 -D "$DURATION" "http://127.0.0.1:$PORT/" > "$OUT/$1.h2load" 2>&1 || true
  grep -E '^(finished in|requests:|status codes:)' "$OUT/$1.h2load" | sed 's/^/  /'
}
reloads() { curl -s "http://127.0.0.1:$ADMIN/metrics" | awk '/^gantry_config_reloads_total\{result="success"\}/ { print $2 }'; }

for i in 0 1 2; do start_backend $((i + 1)) "${BACKENDS[$i]}"; backend_pids[$i]=$backend_pid; done
for p in "${BACKENDS[@]}"; do wait_for 10 curl -sf "http://127.0.0.1:$p/" || die "backend on $p did not start"; done
config be1
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -jar "$GANTRY_JAR" --config "$OUT/lb.yaml" --admin-port $ADMIN --access-log off \
  --bind-address 127.0.0.1 --admin-address 127.0.0.1 > "$OUT/gantry.log" 2>&1 &
pids+=($!)
wait_for 60 serves be1 || die "Gantry did not serve be1, see $OUT/gantry.log"

echo "1. file change to traffic shift, $ROUNDS changes (ms):"
times=()
for ((r = 0; r < ROUNDS; r++)); do
  want=$([[ $((r % 2)) == 0 ]] && echo be2 || echo be1)
  sleep 0.3
  start=$(now_ms)
  config "$want"
  wait_for 10 serves "$want" || die "round $r: no shift to $want"
  times+=($(($(now_ms) - start)))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "  median %d, min %d, max %d\n", a[int((NR + 1) / 2)], a[1], a[NR] }'

echo "2. load while the file changes every $RELOAD_MS ms, $DURATION s, $CONNS connections:"
before=$(reloads)
load reloads > "$OUT/reloads.summary" &
loader=$!
flip=0
while kill -0 $loader 2>/dev/null; do
  sleep "$(awk -v ms="$RELOAD_MS" 'BEGIN { print ms / 1000 }')"
  flip=$((1 - flip))
  config "$([[ $flip == 1 ]] && echo be2 || echo be1)"
done
wait $loader || true
cat "$OUT/reloads.summary"
echo "  reloads applied: $(($(reloads) - before))"

echo "3. load while one of three endpoints is killed $((DURATION / 3)) s in, $DURATION s, $CONNS connections:"
config web "$(endpoint "${BACKENDS[0]}"), $(endpoint "${BACKENDS[1]}"), $(endpoint "${BACKENDS[2]}")"
wait_for 10 bash -c "curl -s http://127.0.0.1:$ADMIN/backends | grep -q ${BACKENDS[2]}" || die "three endpoints not applied"
load kill > "$OUT/kill.summary" &
loader=$!
sleep $((DURATION / 3))
kill "${backend_pids[2]}"
wait $loader || true
cat "$OUT/kill.summary"
echo "results and logs: $OUT"
