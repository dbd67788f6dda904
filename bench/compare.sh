#!/usr/bin/env bash
# compare.sh: Gantry side by side with HAProxy and nginx, on 127.0.0.1 only, in one run.
#
# Starts two backend nginx servers (18081, 18082: /small = 100 B, /16k = 16384 B, keep-alive),
# an iperf3 server (15201), then the proxies named in TARGETS, each round-robin over both backends
# with kept-alive upstream connections:
#   haproxy  :18090 http, :18091 https (TLS terminated, same backends), :18092 tcp -> iperf3
#            mode http, http-reuse always, nbthread = PROXY_THREADS
#   nginx    :18095 http, :18096 https; proxy_pass to an upstream with keepalive,
#            worker_processes = PROXY_THREADS (no TCP: Debian's nginx lacks the stream module)
#   gantry   :18100 http, :18101 https, :18102 tcp -> iperf3
#            java -jar GANTRY_JAR --config OUT/conf/gantry.yaml --admin-port 18199
#            --access-log off --threads PROXY_THREADS --bind-address 127.0.0.1 --admin-address 127.0.0.1
# One certificate (openssl, TLS_KEY) serves every HTTPS listener. Warms each up, then runs wrk in REPS
# interleaved rounds (target order rotated every round) for both bodies over HTTP and HTTPS, and
# iperf3 through each TCP listener (and directly, as the ceiling) in both directions; prints medians
# of req/s, p50 and p99 and of Gbit/s, the ratios of gantry and nginx against haproxy, and each
# proxy's RSS after load. It builds nothing.
#
# Parameters (environment variables) [defaults]:
#   TARGETS        ["haproxy nginx gantry"]  any subset, in this order of names
#   DURATION       [10]    seconds per measured wrk run
#   REPS           [3]     interleaved rounds
#   WRK_CONNS      [64]    wrk -c          WRK_THREADS [1]  wrk -t
#   WARMUP         [2]     seconds of unmeasured load per body for haproxy and nginx
#   GANTRY_WARMUP  [15]    the same for gantry (JIT compilation)
#   PROXY_THREADS  [1]     haproxy nbthread, nginx worker_processes, gantry --threads
#   PIN            [split] split: proxies on CPU0, wrk and backends on CPU1;  none: no affinity
#   JAVA           [java]
#   GANTRY_JAR     [<repo>/proxy/target/gantry-proxy.jar]
#   JAVA_OPTS      [the images' JVM flags: bench/image-jvm-flags.sh]  set to "" for the JVM's own defaults
#   GANTRY_READY_TIMEOUT [60]  seconds to wait for gantry to listen
#   SCHEMES        ["http https"]  which wrk cases to run: plain HTTP and/or HTTPS (TLS terminated);
#                          empty (SCHEMES=) runs no wrk at all, only iperf3
#   TLS_KEY        [rsa2048]  the HTTPS certificate's key: rsa2048 or ec256
#   IPERF          [1]     1 = iperf3 through the TCP listeners (iperf3 needed); 0 = skip
#   IPERF_SECS     [DURATION]  seconds per iperf3 run
#   QUIET          [1]     before each measured run, wait until other processes (a build...) use at
#                          most QUIET_MAX [10] % of a core, for at most QUIET_TIMEOUT [300] s; 0 = don't wait
#   NOISY_MAX      [10]    a run during which other processes used more than this % of a core is
#                          measured again, at most RETRY_NOISY [2] times; if still so, it is kept,
#                          marked NOISY in the log and counted in a warning in the summary
#   OUT            [/tmp/gantry-bench/<timestamp>]  results: runs.tsv, ratios.tsv, rss.tsv, summary.txt
#
# Example: DURATION=5 REPS=3 TARGETS="haproxy gantry" bench/compare.sh
set -euo pipefail
export LC_ALL=C

readonly BIND=127.0.0.1   # loopback only, deliberately not configurable
readonly BE1_PORT=18081 BE2_PORT=18082
readonly HAPROXY_PORT=18090 NGINX_PORT=18095 GANTRY_PORT=18100 GANTRY_ADMIN_PORT=18199
readonly HAPROXY_TLS_PORT=18091 NGINX_TLS_PORT=18096 GANTRY_TLS_PORT=18101
readonly HAPROXY_TCP_PORT=18092 GANTRY_TCP_PORT=18102 IPERF_PORT=15201
readonly BODIES="small 16k"
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
readonly REPO

TARGETS=${TARGETS:-haproxy nginx gantry}
DURATION=${DURATION:-10}
REPS=${REPS:-3}
WRK_CONNS=${WRK_CONNS:-64}
WRK_THREADS=${WRK_THREADS:-1}
WARMUP=${WARMUP:-2}
GANTRY_WARMUP=${GANTRY_WARMUP:-15}
PROXY_THREADS=${PROXY_THREADS:-1}
PIN=${PIN:-split}
JAVA=${JAVA:-java}
GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$REPO/bench/image-jvm-flags.sh"); fi   # what a pod runs
GANTRY_READY_TIMEOUT=${GANTRY_READY_TIMEOUT:-60}
SCHEMES=${SCHEMES-http https}
TLS_KEY=${TLS_KEY:-rsa2048}
IPERF=${IPERF:-1}
IPERF_SECS=${IPERF_SECS:-$DURATION}
QUIET=${QUIET:-1}
QUIET_MAX=${QUIET_MAX:-10}
QUIET_TIMEOUT=${QUIET_TIMEOUT:-300}
NOISY_MAX=${NOISY_MAX:-10}
RETRY_NOISY=${RETRY_NOISY:-2}
HZ=$(getconf CLK_TCK)
OUT=${OUT:-/tmp/gantry-bench/$(date +%Y%m%d-%H%M%S)}

STARTED=()        # process-group ids of everything started in the background (each a session leader)
declare -A PID    # target name -> pid (= pgid) of its proxy

log() { printf '[%s] %s\n' "$(date +%T)" "$*" | tee -a "$OUT/log.txt" >&2; }
die() { printf 'compare.sh: %s\n' "$*" >&2; exit 2; }

# ---------------------------------------------------------------- checks

check_params() {
  local t n b
  for t in $TARGETS; do
    case "$t" in haproxy | nginx | gantry) ;; *) die "unknown target '$t' in TARGETS (haproxy nginx gantry)" ;; esac
  done
  for n in DURATION REPS WRK_CONNS WRK_THREADS WARMUP GANTRY_WARMUP PROXY_THREADS GANTRY_READY_TIMEOUT \
    QUIET QUIET_MAX QUIET_TIMEOUT NOISY_MAX RETRY_NOISY; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
  done
  ((REPS >= 1 && DURATION >= 1 && PROXY_THREADS >= 1)) || die "REPS, DURATION and PROXY_THREADS must be >= 1"
  for n in $SCHEMES; do
    case "$n" in http | https) ;; *) die "unknown scheme '$n' in SCHEMES (http https)" ;; esac
  done
  case "$TLS_KEY" in rsa2048 | ec256) ;; *) die "TLS_KEY must be rsa2048 or ec256, got '$TLS_KEY'" ;; esac
  [[ $IPERF =~ ^[01]$ ]] || die "IPERF must be 0 or 1, got '$IPERF'"
  [[ $IPERF_SECS =~ ^[0-9]+$ ]] && ((IPERF_SECS >= 1)) || die "IPERF_SECS must be a whole number >= 1"
  CASES=""
  for n in $SCHEMES; do
    for b in $BODIES; do
      if [[ $n == https ]]; then CASES+="tls-$b "; else CASES+="$b "; fi
    done
  done
  case "$PIN" in
    split)
      if (($(nproc) < 2)); then
        die "PIN=split needs 2 CPUs, this machine has $(nproc); use PIN=none"
      fi
      PROXY_CPUS=0 LOAD_CPUS=1 ;;
    none) PROXY_CPUS="" LOAD_CPUS="" ;;
    *) die "PIN must be split or none, got '$PIN'" ;;
  esac
}

has_target() { [[ " $TARGETS " == *" $1 "* ]]; }

check_tools() {
  local missing="" c
  local -a tools=(nginx wrk curl taskset setsid timeout ss awk)
  has_target haproxy && tools+=(haproxy)
  tools+=(openssl)
  ((IPERF)) && tools+=(iperf3)
  for c in "${tools[@]}"; do
    command -v "$c" >/dev/null 2>&1 || missing+=" $c"
  done
  if [[ -n $missing ]]; then
    die "missing tools:$missing -> apt-get update && apt-get install -y haproxy nginx wrk curl openssl iperf3"
  fi
  if has_target gantry; then
    command -v "$JAVA" >/dev/null 2>&1 || die "JAVA='$JAVA' not found (Java 17 needed), or leave gantry out: TARGETS=\"haproxy nginx\""
    [[ -f $GANTRY_JAR ]] || die "Gantry jar not found: $GANTRY_JAR
  build it first (this script builds nothing): ./mvnw -q package -DskipTests
  or leave gantry out: TARGETS=\"haproxy nginx\" $0"
  fi
}

port_of() {
  case "$1" in
    haproxy) echo "$HAPROXY_PORT" ;;
    nginx) echo "$NGINX_PORT" ;;
    gantry) echo "$GANTRY_PORT" ;;
  esac
}

tls_port_of() {
  case "$1" in
    haproxy) echo "$HAPROXY_TLS_PORT" ;;
    nginx) echo "$NGINX_TLS_PORT" ;;
    gantry) echo "$GANTRY_TLS_PORT" ;;
  esac
}

# The TCP listener relaying to iperf3; "direct" is iperf3 itself, the ceiling. nginx has none.
tcp_port_of() {
  case "$1" in
    direct) echo "$IPERF_PORT" ;;
    haproxy) echo "$HAPROXY_TCP_PORT" ;;
    gantry) echo "$GANTRY_TCP_PORT" ;;
  esac
}

url_of() {  # target case -> the URL wrk and curl fetch (cases tls-* over HTTPS)
  if [[ $2 == tls-* ]]; then
    echo "https://$BIND:$(tls_port_of "$1")/${2#tls-}"
  else
    echo "http://$BIND:$(port_of "$1")/$2"
  fi
}

port_busy() { ss -Hltn "sport = :$1" | grep -q .; }

check_ports() {
  local p t
  local -a ports=("$BE1_PORT" "$BE2_PORT")
  for t in $TARGETS; do
    ports+=("$(port_of "$t")" "$(tls_port_of "$t")")
    [[ -n $(tcp_port_of "$t") ]] && ports+=("$(tcp_port_of "$t")")
  done
  has_target gantry && ports+=("$GANTRY_ADMIN_PORT")
  ((IPERF)) && ports+=("$IPERF_PORT")
  for p in "${ports[@]}"; do
    if port_busy "$p"; then die "port $p is already in use on this machine (another benchmark running?)"; fi
  done
}

# ---------------------------------------------------------------- configuration files

# One certificate for every HTTPS listener, as each proxy wants it: PEM pair, and combined for HAProxy.
write_certificate() {
  local dir=$OUT/conf/tls
  mkdir -p "$dir"
  local -a key
  case "$TLS_KEY" in
    rsa2048) key=(-newkey rsa:2048) ;;
    ec256) key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
  esac
  openssl req -x509 "${key[@]}" -nodes -days 7 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>"$dir/openssl.log" || die "openssl could not make a certificate: $dir/openssl.log"
  cat "$dir/cert.pem" "$dir/key.pem" >"$dir/combined.pem"
}

write_content() {
  mkdir -p "$OUT/www"
  printf '%099d\n' 0 | tr 0 a >"$OUT/www/small"          # 100 bytes
  head -c 16384 /dev/zero | tr '\0' b >"$OUT/www/16k"     # 16384 bytes
}

nginx_preamble() {  # prefix dir
  cat <<EOF
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 8192; }
EOF
}

nginx_temp_paths() {  # prefix dir
  local t
  for t in client_body proxy fastcgi uwsgi scgi; do printf '    %s_temp_path %s/%s_temp;\n' "$t" "$1" "$t"; done
}

write_backend_conf() {  # dir
  local dir=$1
  mkdir -p "$dir"
  {
    nginx_preamble "$dir"
    cat <<EOF
worker_processes 1;
http {
    access_log off;
    default_type text/plain;
    sendfile on; tcp_nopush on; tcp_nodelay on;
    keepalive_timeout 120s; keepalive_requests 100000000;
    open_file_cache max=64 inactive=600s; open_file_cache_valid 600s;
$(nginx_temp_paths "$dir")
    server { listen $BIND:$BE1_PORT backlog=4096; root $OUT/www; add_header X-Backend be1; }
    server { listen $BIND:$BE2_PORT backlog=4096; root $OUT/www; add_header X-Backend be2; }
}
EOF
  } >"$dir/nginx.conf"
}

write_nginx_proxy_conf() {  # dir
  local dir=$1
  mkdir -p "$dir"
  {
    nginx_preamble "$dir"
    cat <<EOF
worker_processes $PROXY_THREADS;
http {
    access_log off;
    keepalive_timeout 120s; keepalive_requests 100000000;
$(nginx_temp_paths "$dir")
    upstream be {
        server $BIND:$BE1_PORT;
        server $BIND:$BE2_PORT;
        keepalive 256; keepalive_requests 100000000; keepalive_timeout 120s;
    }
    server {
        listen $BIND:$NGINX_PORT backlog=4096;
        listen $BIND:$NGINX_TLS_PORT ssl backlog=4096;
        ssl_certificate $OUT/conf/tls/cert.pem;
        ssl_certificate_key $OUT/conf/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {
            proxy_pass http://be;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
  } >"$dir/nginx.conf"
}

write_haproxy_conf() {  # file
  cat >"$1" <<EOF
global
    nbthread $PROXY_THREADS
    maxconn 8000
defaults
    mode http
    timeout connect 5s
    timeout client 50s
    timeout server 50s
    option http-keep-alive
    http-reuse always
frontend fe_http
    bind $BIND:$HAPROXY_PORT
    bind $BIND:$HAPROXY_TLS_PORT ssl crt $OUT/conf/tls/combined.pem alpn h2,http/1.1 ssl-min-ver TLSv1.2
    default_backend be_http
backend be_http
    balance roundrobin
    server s1 $BIND:$BE1_PORT
    server s2 $BIND:$BE2_PORT
listen tcp_iperf
    mode tcp
    timeout tunnel 1h
    bind $BIND:$HAPROXY_TCP_PORT
    server iperf $BIND:$IPERF_PORT
EOF
}

write_gantry_conf() {  # file
  cat >"$1" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata:
  name: bench
spec:
  listeners:
  - name: http
    port: $GANTRY_PORT
    protocol: HTTP
    defaultBackend: web
  - name: https
    port: $GANTRY_TLS_PORT
    protocol: HTTPS
    defaultBackend: web
    tls:
      certificates:
      - certFile: $OUT/conf/tls/cert.pem
        keyFile: $OUT/conf/tls/key.pem
  - name: iperf
    port: $GANTRY_TCP_PORT
    protocol: TCP
    defaultBackend: iperf
  backends:
  - name: web
    balance: RoundRobin
    endpoints:
    - address: $BIND
      port: $BE1_PORT
    - address: $BIND
      port: $BE2_PORT
  - name: iperf
    endpoints:
    - address: $BIND
      port: $IPERF_PORT
EOF
}

write_wrk_script() {  # file: one machine-readable line at the end of each wrk run
  cat >"$1" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRKRESULT requests=%d duration_us=%d p50=%d p90=%d p99=%d max=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
EOF
}

# ---------------------------------------------------------------- processes

# Runs a command in its own session (so pid = pgid) pinned to cpus; sets LAST_PID.
start_daemon() {  # name cpus cmd...
  local name=$1 cpus=$2
  shift 2
  local -a pin=()
  [[ -n $cpus ]] && pin=(taskset -c "$cpus")
  setsid "${pin[@]}" "$@" >"$OUT/logs/$name.log" 2>&1 </dev/null &
  LAST_PID=$!
  STARTED+=("$LAST_PID")
  log "started $name pid=$LAST_PID cpus=${cpus:-any}: $*"
}

group_alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'; }

stop_all() {
  trap - EXIT INT TERM
  set +e
  local i pg
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do kill -TERM -- "-${STARTED[i]}" 2>/dev/null; done
  for ((i = 0; i < 50; i++)); do
    local any=0
    for pg in "${STARTED[@]}"; do group_alive "$pg" && any=1; done
    ((any)) || break
    sleep 0.1
  done
  for pg in "${STARTED[@]}"; do kill -KILL -- "-$pg" 2>/dev/null; done
  wait 2>/dev/null
  if ((${#STARTED[@]})); then log "stopped every process started (process groups: ${STARTED[*]})"; fi
}

wait_port() {  # port timeout_s [pid that must stay alive]
  local port=$1 timeout=$2 pid=${3:-} n=0
  while ! (exec 3<>"/dev/tcp/$BIND/$port") 2>/dev/null; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    n=$((n + 1))
    ((n < timeout * 10)) || return 1
    sleep 0.1
  done
}

start_backends() {
  local dir=$OUT/conf/backend
  write_backend_conf "$dir"
  nginx -t -q -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" || die "backend nginx config invalid: $dir/nginx.conf"
  start_daemon backend "$LOAD_CPUS" nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf"
  local port
  for port in "$BE1_PORT" "$BE2_PORT"; do
    wait_port "$port" 10 "$LAST_PID" || die "backend nginx did not listen on $port, see $OUT/logs/backend.log and $dir/error.log"
  done
}

start_iperf() {
  start_daemon iperf "$LOAD_CPUS" iperf3 -s -B "$BIND" -p "$IPERF_PORT"
  wait_port "$IPERF_PORT" 10 "$LAST_PID" || die "iperf3 did not listen on $IPERF_PORT, see $OUT/logs/iperf.log"
}

start_haproxy() {
  local cfg=$OUT/conf/haproxy.cfg
  write_haproxy_conf "$cfg"
  haproxy -c -q -f "$cfg" || die "haproxy config invalid: $cfg"
  start_daemon haproxy "$PROXY_CPUS" haproxy -db -f "$cfg"
  PID[haproxy]=$LAST_PID
  wait_port "$HAPROXY_PORT" 10 "$LAST_PID" || die "haproxy did not start, see $OUT/logs/haproxy.log"
}

start_nginx() {
  local dir=$OUT/conf/nginx-proxy
  write_nginx_proxy_conf "$dir"
  nginx -t -q -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" || die "nginx proxy config invalid: $dir/nginx.conf"
  start_daemon nginx "$PROXY_CPUS" nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf"
  PID[nginx]=$LAST_PID
  wait_port "$NGINX_PORT" 10 "$LAST_PID" || die "nginx proxy did not start, see $OUT/logs/nginx.log"
}

start_gantry() {
  local cfg=$OUT/conf/gantry.yaml
  local -a opts=()
  write_gantry_conf "$cfg"
  read -r -a opts <<<"$JAVA_OPTS"
  start_daemon gantry "$PROXY_CPUS" "$JAVA" "${opts[@]}" -jar "$GANTRY_JAR" \
    --config "$cfg" --admin-port "$GANTRY_ADMIN_PORT" --access-log off --threads "$PROXY_THREADS" \
    --bind-address "$BIND" --admin-address "$BIND"
  PID[gantry]=$LAST_PID
  if ! wait_port "$GANTRY_PORT" "$GANTRY_READY_TIMEOUT" "$LAST_PID"; then
    tail -n 20 "$OUT/logs/gantry.log" >&2 || true
    if kill -0 "$LAST_PID" 2>/dev/null; then
      die "gantry did not listen on $GANTRY_PORT within ${GANTRY_READY_TIMEOUT}s (log: $OUT/logs/gantry.log)"
    fi
    die "gantry exited before listening on $GANTRY_PORT (log above: $OUT/logs/gantry.log)"
  fi
}

# ---------------------------------------------------------------- measurement

# Every target must answer 200 with the exact body size before anything is measured.
validate() {  # target
  local t=$1 b got want backends
  [[ -n $CASES ]] || return 0
  for b in $CASES; do
    want="200 $(stat -c %s "$OUT/www/${b#tls-}")"
    got=$(curl -sk --max-time 5 -o /dev/null -w '%{http_code} %{size_download}' "$(url_of "$t" "$b")" || true)
    [[ $got == "$want" ]] || die "$t $(url_of "$t" "$b") answered '$got', expected '$want' (logs: $OUT/logs/)"
  done
  backends=$(for _ in 1 2 3 4; do
    curl -s -D - -o /dev/null "http://$BIND:$(port_of "$t")/small" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-backend" { print $2 }'
  done | sort | uniq -c | awk '{ printf "%s x%s ", $2, $1 }')
  log "validated $t: ${CASES% } ok; 4 requests went to: ${backends:-?}"
}

# Foreign CPU: what processes neither started by this script nor its children (a build running
# beside the benchmark, say) used meanwhile, in % of one core. Kernel threads are not counted: the
# benchmark's own traffic keeps them busy.
# Own CPU time only (utime + stime): children's time would count a child's whole life when it is reaped.
cpu_snapshot() {  # file <- "pid ppid pgid ticks" of every process
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk '{ l = $0; sub(/^.*\) /, "", l); split(l, f, " "); print $1, f[2], f[3], f[12] + f[13] }' >"$1"
}

foreign_cpu() {  # snapshot-before snapshot-after seconds -> whole % of one core
  awk -v groups=" ${STARTED[*]} " -v self=$$ -v hz="$HZ" -v secs="$3" '
    FNR == NR { t0[$1] = $4; next }
    { pp[$1] = $2; pg[$1] = $3; t1[$1] = $4 }
    END {
      mine[self] = 1
      for (grew = 1; grew;) { grew = 0; for (p in pp) if (!(p in mine) && (pp[p] in mine)) { mine[p] = 1; grew = 1 } }
      for (p in t1) {
        if ((p in mine) || index(groups, " " pg[p] " ") || p == 2 || pp[p] == 2) continue
        used += (p in t0) ? t1[p] - t0[p] : t1[p]
      }
      printf "%.0f\n", used * 100 / hz / secs
    }' "$1" "$2"
}

# Waits (at most QUIET_TIMEOUT s) until foreign processes use at most QUIET_MAX % of a core.
wait_quiet() {
  local start=$SECONDS said=0 f
  while :; do
    cpu_snapshot "$OUT/raw/.q0"
    sleep 1
    cpu_snapshot "$OUT/raw/.q1"
    f=$(foreign_cpu "$OUT/raw/.q0" "$OUT/raw/.q1" 1)
    if ((f <= QUIET_MAX)); then
      if ((said)); then log "quiet again after $((SECONDS - start))s"; fi
      return 0
    fi
    if ((!said)); then log "other processes use ${f}% of a core (> QUIET_MAX=${QUIET_MAX}%): waiting up to ${QUIET_TIMEOUT}s"; said=1; fi
    if ((SECONDS - start >= QUIET_TIMEOUT)); then
      log "WARN: still ${f}% after ${QUIET_TIMEOUT}s, measuring anyway (the run will be flagged)"
      return 0
    fi
    sleep 2
  done
}

run_wrk() {  # target case seconds -> raw output file written by the caller
  local -a pin=()
  [[ -n $LOAD_CPUS ]] && pin=(taskset -c "$LOAD_CPUS")
  timeout -k 5 $(($3 + 30)) "${pin[@]}" wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$3s" --latency \
    -s "$OUT/conf/done.lua" "$(url_of "$1" "$2")" || true
}

# One measured wrk run, repeated (at most RETRY_NOISY times) while other processes disturb it;
# appends a row to runs.tsv and prints it.
measure_one() {  # target body round
  local t=$1 b=$2 r=$3 attempt
  local raw=$OUT/raw/wrk-$r-$t-$b.txt line t0 t1 foreign
  for ((attempt = 0; ; attempt++)); do
    if ((QUIET)); then wait_quiet; fi
    cpu_snapshot "$OUT/raw/.s0"
    t0=$(date +%s%N)
    run_wrk "$t" "$b" "$DURATION" >"$raw" 2>&1
    t1=$(date +%s%N)
    cpu_snapshot "$OUT/raw/.s1"
    foreign=$(foreign_cpu "$OUT/raw/.s0" "$OUT/raw/.s1" "$(((t1 - t0) / 1000000))e-3")
    ((foreign > NOISY_MAX && attempt < RETRY_NOISY)) || break
    log "  round $r $t $b: other processes used ${foreign}% of a core meanwhile: discarded, measuring again"
  done
  line=$(grep '^WRKRESULT' "$raw" || true)
  if [[ -z $line ]]; then
    log "WARN: no wrk result for $t $b round $r (see $raw)"
    return 0
  fi
  awk -v line="$line" -v r="$r" -v t="$t" -v b="$b" -v f="$foreign" 'BEGIN {
    n = split(line, kv, " "); for (i = 2; i <= n; i++) { split(kv[i], x, "="); v[x[1]] = x[2] }
    printf "%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\n", r, t, b, v["requests"] / (v["duration_us"] / 1e6),
      v["p50"] / 1000, v["p90"] / 1000, v["p99"] / 1000, v["max"] / 1000, v["errors"], v["non2xx"], f }' | tee -a "$OUT/runs.tsv" |
    awk -F'\t' -v max="$NOISY_MAX" '{ printf "  round %s %-8s %-9s %9s req/s  p50 %7.3f ms  p99 %7.3f ms  errors %s non-2xx %s  foreign CPU %s%%%s\n",
      $1, $2, $3, $4, $5, $7, $9, $10, $11, ($11 > max ? " NOISY" : "") }' |
    tee -a "$OUT/log.txt" >&2
}

warm_up() {
  local b t secs
  for b in $CASES; do
    for t in $TARGETS; do
      secs=$WARMUP
      [[ $t == gantry ]] && secs=$GANTRY_WARMUP
      if ((secs > 0)); then
        log "warm-up $t $b ${secs}s"
        run_wrk "$t" "$b" "$secs" >"$OUT/raw/wrk-warm-$t-$b.txt" 2>&1
      fi
    done
  done
}

rotate() {  # k items... -> items rotated left by k
  local k=$1 i
  shift
  local -a a=("$@")
  for ((i = 0; i < ${#a[@]}; i++)); do printf '%s ' "${a[(i + k) % ${#a[@]}]}"; done
}

measure() {
  local r b t order
  local -a targets
  read -r -a targets <<<"$TARGETS"
  printf 'round\ttarget\tbody\trps\tp50_ms\tp90_ms\tp99_ms\tmax_ms\terrors\tnon2xx\tforeign_cpu\n' >"$OUT/runs.tsv"
  for ((r = 1; r <= REPS; r++)); do
    order=$(rotate $((r - 1)) "${targets[@]}")
    log "round $r/$REPS, order: $order"
    for b in $CASES; do
      for t in $order; do measure_one "$t" "$b" "$r"; done
    done
  done
}

# ---------------------------------------------------------------- iperf3 through the TCP listeners

iperf_targets() {  # direct (no proxy: the ceiling), then the proxies that have a TCP listener
  local t out="direct"
  for t in $TARGETS; do [[ -n $(tcp_port_of "$t") ]] && out+=" $t"; done
  echo "$out"
}

run_iperf() {  # target direction(up|down) seconds -> iperf3 JSON on stdout
  local -a pin=() reverse=()
  [[ -n $LOAD_CPUS ]] && pin=(taskset -c "$LOAD_CPUS")
  [[ $2 == down ]] && reverse=(-R)
  timeout -k 5 $(($3 + 30)) "${pin[@]}" iperf3 -c "$BIND" -p "$(tcp_port_of "$1")" -t "$3" -J "${reverse[@]}" || true
}

# One iperf3 run ("up": client to server through the proxy; "down": -R, server to client), repeated while
# other processes disturb it; appends a row to iperf.tsv.
iperf_one() {  # target direction round
  local t=$1 d=$2 r=$3 attempt raw=$OUT/raw/iperf-$3-$1-$2.json t0 t1 foreign gbps
  for ((attempt = 0; ; attempt++)); do
    if ((QUIET)); then wait_quiet; fi
    cpu_snapshot "$OUT/raw/.s0"
    t0=$(date +%s%N)
    run_iperf "$t" "$d" "$IPERF_SECS" >"$raw" 2>&1
    t1=$(date +%s%N)
    cpu_snapshot "$OUT/raw/.s1"
    foreign=$(foreign_cpu "$OUT/raw/.s0" "$OUT/raw/.s1" "$(((t1 - t0) / 1000000))e-3")
    ((foreign > NOISY_MAX && attempt < RETRY_NOISY)) || break
    log "  round $r iperf $t $d: other processes used ${foreign}% of a core meanwhile: discarded, measuring again"
  done
  gbps=$(awk '/"sum_received"/ { f = 1 } f && /"bits_per_second"/ { gsub(/[^0-9.e+]/, "", $2); printf "%.3f", $2 / 1e9; exit }' "$raw")
  if [[ -z $gbps ]]; then
    log "WARN: no iperf3 result for $t $d round $r (see $raw)"
    return 0
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$d" "$gbps" "$foreign" >>"$OUT/iperf.tsv"
  log "  round $r iperf $(printf '%-8s %-4s' "$t" "$d") $gbps Gbit/s  foreign CPU ${foreign}%$( ((foreign > NOISY_MAX)) && echo " NOISY")"
}

measure_iperf() {
  local r d t order
  local -a targets
  read -r -a targets <<<"$(iperf_targets)"
  printf 'round\ttarget\tdirection\tgbps\tforeign_cpu\n' >"$OUT/iperf.tsv"
  if has_target gantry && ((GANTRY_WARMUP > 0)); then
    log "iperf3 warm-up gantry ${GANTRY_WARMUP}s"
    run_iperf gantry up "$GANTRY_WARMUP" >"$OUT/raw/iperf-warm-gantry.json" 2>&1
  fi
  for ((r = 1; r <= REPS; r++)); do
    order=$(rotate $((r - 1)) "${targets[@]}")
    log "iperf3 round $r/$REPS, order: $order"
    for d in up down; do
      for t in $order; do iperf_one "$t" "$d" "$r"; done
    done
  done
}

summarize_iperf() {
  awk -F'\t' -v out="$OUT" -v noisymax="$NOISY_MAX" '
  function med(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  FNR > 1 {
    k = $2 SUBSEP $3
    if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
    g[k] = g[k] " " $4; rounds[$1] = 1
    if ($5 + 0 > fmax[k]) fmax[k] = $5 + 0
  }
  END {
    printf "\n== iperf3 through the TCP listeners, medians of %d rounds (Gbit/s; direct = no proxy) ==\n", length(rounds)
    printf "%-8s %-5s %8s %9s %8s\n", "target", "dir", "Gbit/s", "vs_haproxy", "foreign%"
    for (i = 1; i <= nk; i++) {
      k = order[i]; split(k, kk, SUBSEP); ref = "haproxy" SUBSEP kk[2]
      ratio = (ref in seen && med(g[ref]) > 0) ? sprintf("%.3f", med(g[k]) / med(g[ref])) : "-"
      printf "%-8s %-5s %8.2f %9s %8d\n", kk[1], kk[2], med(g[k]), ratio, fmax[k]
    }
  }' "$OUT/iperf.tsv"
}

# Resident memory of a proxy's whole process group (nginx: master + workers), right after the load.
record_rss() {
  local t
  printf 'target\trss_mib\tpeak_rss_mib\tprocesses\n' >"$OUT/rss.tsv"
  for t in $TARGETS; do
    ps -e -o pid=,pgid= | awk -v g="${PID[$t]}" '$2 == g { print $1 }' |
      while read -r p; do cat "/proc/$p/status" 2>/dev/null || true; done |
      awk -v t="$t" '/^VmRSS:/ { r += $2; n++ } /^VmHWM:/ { h += $2 }
        END { printf "%s\t%.1f\t%.1f\t%d\n", t, r / 1024, h / 1024, n }' >>"$OUT/rss.tsv"
  done
}

# ---------------------------------------------------------------- report

summarize() {
  awk -F'\t' -v out="$OUT" -v noisymax="$NOISY_MAX" '
  function med(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function mn(s,   a, n, i, m) { n = split(s, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 < m) m = a[i] + 0; return m }
  function mx(s,   a, n, i, m) { n = split(s, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 > m) m = a[i] + 0; return m }
  FILENAME ~ /runs.tsv$/ && FNR > 1 {
    k = $2 SUBSEP $3
    if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
    rps[k] = rps[k] " " $4; p50[k] = p50[k] " " $5; p99[k] = p99[k] " " $7; err[k] += $9 + $10
    R[$1, $2, $3] = $4; rounds[$1] = 1
    if ($11 + 0 > fmax[k]) fmax[k] = $11 + 0
    if ($11 + 0 > noisymax) noisy++
  }
  FILENAME ~ /rss.tsv$/ && FNR > 1 { rss[++nr] = sprintf("%-8s %7.1f MiB  (peak %.1f MiB; processes: %d)", $1, $2, $3, $4) }
  END {
    printf "== wrk medians of %d rounds ==\n", length(rounds)
    printf "%-8s %-9s %9s %9s %9s %8s %8s %7s %8s\n", "target", "case", "req/s", "min", "max", "p50_ms", "p99_ms", "errors", "foreign%"
    for (i = 1; i <= nk; i++) {
      k = order[i]; split(k, kk, SUBSEP)
      printf "%-8s %-9s %9.0f %9.0f %9.0f %8.3f %8.3f %7d %8d\n", kk[1], kk[2], med(rps[k]), mn(rps[k]), mx(rps[k]), med(p50[k]), med(p99[k]), err[k], fmax[k]
    }
    printf "foreign%% = most CPU (%% of one core) that other processes used during one of these runs\n"
    if (noisy) printf "WARNING: %d run(s) shared the machine with more than %s%% of a core of other work: rerun on a quiet machine\n", noisy, noisymax
    ratios = out "/ratios.tsv"
    printf "target\tbody\trps_ratio\tp50_ratio\tp99_ratio\tpaired_rps_min\tpaired_rps_max\n" > ratios
    printf "\n== ratios against haproxy (req/s: above 1 = faster; latency: below 1 = better) ==\n"
    printf "%-8s %-9s %7s %7s %7s   %s\n", "target", "case", "req/s", "p50", "p99", "per-round req/s ratio [min..max]"
    nratio = 0
    for (i = 1; i <= nk; i++) {
      k = order[i]; split(k, kk, SUBSEP); t = kk[1]; b = kk[2]; ref = "haproxy" SUBSEP b
      if (t == "haproxy" || !(ref in seen)) continue
      pr = ""
      for (r in rounds) if (((r, t, b) in R) && ((r, "haproxy", b) in R) && R[r, "haproxy", b] > 0) pr = pr " " R[r, t, b] / R[r, "haproxy", b]
      a = med(rps[k]) / med(rps[ref]); l50 = med(p50[k]) / med(p50[ref]); l99 = med(p99[k]) / med(p99[ref])
      printf "%-8s %-9s %7.3f %7.3f %7.3f   [%.3f..%.3f]\n", t, b, a, l50, l99, mn(pr), mx(pr)
      printf "%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", t, b, a, l50, l99, mn(pr), mx(pr) > ratios
      nratio++
    }
    if (!nratio) printf "(none: needs haproxy and at least one other target)\n"
    printf "\n== proxy RSS after load (whole process group) ==\n"
    for (i = 1; i <= nr; i++) print rss[i]
  }' "$OUT/runs.tsv" "$OUT/rss.tsv"
}

write_header() {
  {
    echo "# compare.sh $(date -Is)  out=$OUT"
    echo "# host: $(uname -r), $(nproc) cpus ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo))"
    echo "# $(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3) | $(nginx -v 2>&1) | $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
    if has_target gantry; then
      echo "# gantry: $GANTRY_JAR ($(date -r "$GANTRY_JAR" -Is)), $("$JAVA" -version 2>&1 | head -1), JAVA_OPTS=$JAVA_OPTS"
    fi
    echo "# TLS: $(openssl version | cut -d' ' -f1-2), key $TLS_KEY; cases: $CASES; iperf3: $( ((IPERF)) && iperf3 --version | head -1 | cut -d' ' -f1-2 || echo off), IPERF_SECS=$IPERF_SECS"
    echo "# TARGETS=\"$TARGETS\" DURATION=$DURATION REPS=$REPS WRK=-t$WRK_THREADS -c$WRK_CONNS WARMUP=$WARMUP GANTRY_WARMUP=$GANTRY_WARMUP"
    echo "# PROXY_THREADS=$PROXY_THREADS PIN=$PIN (proxies on CPU ${PROXY_CPUS:-any}, wrk and backends on CPU ${LOAD_CPUS:-any})"
  } >"$OUT/header.txt"
}

main() {
  check_params
  check_tools
  check_ports
  mkdir -p "$OUT/conf" "$OUT/logs" "$OUT/raw"
  trap stop_all EXIT
  trap 'log "interrupted"; exit 130' INT TERM
  write_header
  write_content
  write_certificate
  write_wrk_script "$OUT/conf/done.lua"

  start_backends
  if ((IPERF)); then start_iperf; fi
  local t
  for t in $TARGETS; do "start_$t"; done
  for t in $TARGETS; do validate "$t"; done

  if [[ -n $CASES ]]; then
    warm_up
    measure
  fi
  if ((IPERF)); then measure_iperf; fi
  record_rss
  echo
  {
    cat "$OUT/header.txt"
    echo
    if [[ -n $CASES ]]; then summarize; fi
    if ((IPERF)); then summarize_iperf; fi
  } | tee "$OUT/summary.txt"
  log "results in $OUT (summary.txt, runs.tsv, ratios.tsv, rss.tsv, raw/, logs/, conf/)"
}

main "$@"
