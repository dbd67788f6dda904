#!/usr/bin/env bash
# h2-rapid-reset.sh: what the HTTP/2 rapid reset attack (CVE-2023-44487) costs Gantry, and HAProxy beside it,
# in CPU time per reset stream. On 127.0.0.1 only. It builds nothing.
#
# Starts a backend nginx (18481), then the proxies named in TARGETS, each terminating TLS with h2 by ALPN in
# front of that backend:
#   gantry   :18443  java JAVA_OPTS -jar GANTRY_JAR --config OUT/gantry.yaml --threads PROXY_THREADS ...
#   haproxy  :18444  mode http, bind ... ssl crt ... alpn h2,http/1.1, nbthread PROXY_THREADS
# and runs bench/h2/RapidReset.java against each: CONNECTIONS connections, PARALLEL at a time, each opening
# streams with HEADERS and cancelling them at once with RST_STREAM (in batches of 50, each batch followed by a
# PING so only streams the proxy read are counted), until the proxy ends the connection or STREAMS were sent.
# First WARMUP connections are not measured (Gantry's JIT). The proxy's CPU time (utime + stime of its process,
# /proc/PID/stat) over the measured connections divided by the streams it read is the figure printed:
# microseconds of proxy CPU per reset stream; also streams per connection and how connections ended. The
# TLS handshakes are part of the cost, as they are of the attack.
#
# Parameters (environment variables) [defaults]:
#   TARGETS      ["gantry haproxy"]
#   CONNECTIONS  [200]    measured connections per target and round
#   WARMUP       [400]    unmeasured connections first (per target, once)
#   STREAMS      [20000]  most streams per connection
#   PARALLEL     [2]      connections at a time
#   ROUNDS       [3]      measured rounds per target (interleaved); each is printed, then the median
#   PROXY_THREADS [2]     gantry --threads, haproxy nbthread
#   JAVA [java]  GANTRY_JAR [<repo>/proxy/target/gantry-proxy.jar]
#   JAVA_OPTS    [the images' JVM flags: bench/image-jvm-flags.sh]
#   OUT          [/tmp/gantry-h2-rapid-reset/<timestamp>]  configuration and logs
#
# Example: ROUNDS=5 TARGETS=gantry bench/h2-rapid-reset.sh
set -euo pipefail
export LC_ALL=C

readonly BIND=127.0.0.1
readonly BACKEND_PORT=18481 GANTRY_PORT=18443 HAPROXY_PORT=18444 GANTRY_ADMIN_PORT=18499
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
readonly REPO

TARGETS=${TARGETS:-gantry haproxy}
CONNECTIONS=${CONNECTIONS:-200}
WARMUP=${WARMUP:-400}
STREAMS=${STREAMS:-20000}
PARALLEL=${PARALLEL:-2}
ROUNDS=${ROUNDS:-3}
PROXY_THREADS=${PROXY_THREADS:-2}
JAVA=${JAVA:-java}
GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$(dirname "$(readlink -f "$0")")/image-jvm-flags.sh"); fi
OUT=${OUT:-/tmp/gantry-h2-rapid-reset/$(date +%Y%m%d-%H%M%S)}
CLIENT=$REPO/bench/h2/RapidReset.java

declare -a STARTED=()
declare -A PID=() PORT=([gantry]=$GANTRY_PORT [haproxy]=$HAPROXY_PORT)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

check_tools() {
  local t missing=""
  for t in "$JAVA" nginx openssl curl setsid; do command -v "$t" >/dev/null 2>&1 || missing+=" $t"; done
  [[ " $TARGETS " == *" haproxy "* ]] && { command -v haproxy >/dev/null 2>&1 || missing+=" haproxy"; }
  [[ -z $missing ]] || die "missing tools:$missing -> apt-get install -y nginx haproxy openssl curl"
  if [[ " $TARGETS " == *" gantry "* && ! -f $GANTRY_JAR ]]; then
    die "no $GANTRY_JAR: build it first with ./mvnw -q package -DskipTests"
  fi
}

start_daemon() {  # name cmd...
  local name=$1
  shift
  setsid "$@" >"$OUT/$name.log" 2>&1 </dev/null &
  LAST_PID=$!
  STARTED+=("$LAST_PID")
  log "started $name pid=$LAST_PID: $*"
}

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

wait_port() {  # port timeout_s pid
  local n=0
  while ! (exec 3<>"/dev/tcp/$BIND/$1") 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || return 1
    n=$((n + 1))
    ((n < $2 * 10)) || return 1
    sleep 0.1
  done
}

write_files() {
  mkdir -p "$OUT/backend"
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$OUT/key.pem" -out "$OUT/cert.pem" 2>"$OUT/openssl.log" \
    || die "openssl could not make a certificate: $OUT/openssl.log"
  cat "$OUT/cert.pem" "$OUT/key.pem" >"$OUT/combined.pem"
  cat >"$OUT/backend/nginx.conf" <<EOF
worker_processes 1;
pid $OUT/backend/nginx.pid;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/backend/body;
  server {
    listen $BIND:$BACKEND_PORT;
    keepalive_requests 1000000;
    location / { return 200 "hello\n"; }
  }
}
EOF
  cat >"$OUT/gantry.yaml" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: rapid-reset}
spec:
  listeners:
  - name: https
    port: $GANTRY_PORT
    protocol: HTTPS
    defaultBackend: app
    tls:
      certificates: [{certFile: $OUT/cert.pem, keyFile: $OUT/key.pem}]
  backends: [{name: app, endpoints: [{address: $BIND, port: $BACKEND_PORT}]}]
EOF
  cat >"$OUT/haproxy.cfg" <<EOF
global
  nbthread $PROXY_THREADS
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend fe
  bind $BIND:$HAPROXY_PORT ssl crt $OUT/combined.pem alpn h2,http/1.1
  default_backend be
backend be
  http-reuse always
  server app $BIND:$BACKEND_PORT
EOF
}

start_all() {
  start_daemon backend nginx -e "$OUT/backend/error.log" -p "$OUT/backend" -c "$OUT/backend/nginx.conf"
  wait_port "$BACKEND_PORT" 10 "$LAST_PID" || die "backend nginx did not start: $OUT/backend/error.log"
  local t opts
  for t in $TARGETS; do
    case $t in
      gantry)
        read -r -a opts <<<"$JAVA_OPTS"
        start_daemon gantry "$JAVA" "${opts[@]}" -jar "$GANTRY_JAR" --config "$OUT/gantry.yaml" \
          --admin-port "$GANTRY_ADMIN_PORT" --access-log off --threads "$PROXY_THREADS" \
          --bind-address "$BIND" --admin-address "$BIND"
        ;;
      haproxy) start_daemon haproxy haproxy -db -f "$OUT/haproxy.cfg" ;;
      *) die "unknown target $t (gantry, haproxy)" ;;
    esac
    PID[$t]=$LAST_PID
    wait_port "${PORT[$t]}" 60 "$LAST_PID" || die "$t did not listen on ${PORT[$t]}: $OUT/$t.log"
    curl -sfk --http2 "https://$BIND:${PORT[$t]}/" -o /dev/null || die "$t does not answer over HTTP/2"
  done
}

attack() {  # target connections warmup
  "$JAVA" "$CLIENT" "$BIND" "${PORT[$1]}" "${PID[$1]}" "$2" "$STREAMS" "$PARALLEL" "$3"
}

main() {
  check_tools
  mkdir -p "$OUT"
  trap stop_all EXIT
  trap 'log "interrupted"; exit 130' INT TERM
  write_files
  start_all
  local t r line
  declare -A results=()
  for t in $TARGETS; do
    log "$t: $WARMUP connections to warm up"
    attack "$t" 0 "$WARMUP" >/dev/null
  done
  for ((r = 1; r <= ROUNDS; r++)); do
    for t in $TARGETS; do
      line=$(attack "$t" "$CONNECTIONS" 0 | tee "$OUT/$t-round$r.txt" | grep '^RESULT')
      log "$t round $r: $(grep -v '^RESULT' "$OUT/$t-round$r.txt" | tr '\n' ' ')"
      results[$t]+="$(echo "$line" | sed 's/.*us_per_reset_stream=\([0-9.]*\).*/\1/') "
    done
  done
  printf '\n%-8s %-28s %s\n' target "us CPU per reset stream" "rounds"
  for t in $TARGETS; do
    local median
    median=$(tr ' ' '\n' <<<"${results[$t]}" | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    printf '%-8s %-28s %s\n' "$t" "$median" "${results[$t]}"
  done
  log "configuration and logs in $OUT"
}

main "$@"
