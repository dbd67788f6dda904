#!/usr/bin/env bash
# idle-connections.sh: what idle client connections cost a proxy in resident memory (RSS).
#
# Starts a backend (python3 http.server) and, one after the other, Gantry (the proxy jar), HAProxy and
# nginx on 127.0.0.1; for each, opens CONNECTIONS idle client connections in steps of STEP, printing the
# proxy's RSS after each step and the growth per connection, then sends one keep-alive request on every
# connection and measures again (connections idle between requests). Loopback only; every process it starts
# is stopped by its process-group id on exit.
#
# Parameters (environment) [defaults]:
#   CONNECTIONS [10000]  STEP [1000]  SETTLE_MS [1500] (pause before each measurement)
#   TARGETS ["gantry haproxy nginx"]  (those whose program is missing are skipped)
#   PROXY_THREADS [1]  Gantry --threads = HAProxy nbthread = nginx worker_processes
#   JAVA [java]  JAVA_OPTS [the images' JVM flags: bench/image-jvm-flags.sh]  GANTRY_JAR [proxy/target/gantry-proxy.jar, built when missing]
#   WORK [/tmp/gantry-idle]
set -u -o pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
: "${CONNECTIONS:=10000}" "${STEP:=1000}" "${SETTLE_MS:=1500}" "${PROXY_THREADS:=1}"
: "${TARGETS:=gantry haproxy nginx}" "${JAVA:=java}" "${WORK:=/tmp/gantry-idle}"
: "${GANTRY_JAR:=$REPO/proxy/target/gantry-proxy.jar}"
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$REPO/bench/image-jvm-flags.sh"); fi   # what a pod runs
BIND=127.0.0.1
BACKEND_PORT=18281; GANTRY_PORT=18282; GANTRY_ADMIN=18283; HAPROXY_PORT=18284; NGINX_PORT=18285

# Each connection holds a descriptor in the client and one in the proxy (which inherits this limit).
want=$((CONNECTIONS * 2 + 1000))
ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((CONNECTIONS + 500)) ]; then
  echo "idle-connections.sh: open-file limit $(ulimit -n) is too low for $CONNECTIONS connections" >&2; exit 2
fi

# HAProxy wants two descriptors per connection it may hold: under a low hard limit it holds fewer.
HAPROXY_MAXCONN=$(( CONNECTIONS + 100 ))
[ $(( HAPROXY_MAXCONN * 2 + 500 )) -gt "$(ulimit -n)" ] && HAPROXY_MAXCONN=$(( ($(ulimit -n) - 500) / 2 ))
mkdir -p "$WORK/logs" "$WORK/www"
echo ok > "$WORK/www/index.html"
STARTED=()
start() {  # name cmd...
  local name=$1; shift
  setsid "$@" >"$WORK/logs/$name.log" 2>&1 </dev/null &
  STARTED+=("$!")
  LAST_PID=$!
}
stop() {  # pid
  kill -TERM -- "-$1" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null
}
cleanup() { local p; for p in "${STARTED[@]}"; do stop "$p"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_port() {
  local i
  for i in $(seq 300); do (exec 3<>"/dev/tcp/$BIND/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
group_pids() {  # pgid -> comma-separated pids of the group
  ps -e -o pid=,pgid= | awk -v g="$1" '$2 == g {printf "%s%s", sep, $1; sep=","}'
}

if [[ " $TARGETS " == *" gantry "* ]] && [ ! -s "$GANTRY_JAR" ]; then
  echo "building $GANTRY_JAR" >&2
  (cd "$REPO" && ./mvnw -q -B -ntp -pl proxy -am package -DskipTests) || exit 2
fi

start backend python3 -m http.server --bind "$BIND" --directory "$WORK/www" "$BACKEND_PORT"
wait_port "$BACKEND_PORT" || { echo "backend did not start" >&2; exit 2; }

cat > "$WORK/gantry.yaml" <<YAML
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: idle}
spec:
  timeouts: {client: 10m, httpRequest: 10m}
  listeners: [{name: http, port: $GANTRY_PORT, protocol: HTTP, defaultBackend: web}]
  backends: [{name: web, endpoints: [{address: $BIND, port: $BACKEND_PORT}]}]
YAML
cat > "$WORK/haproxy.cfg" <<CFG
global
    nbthread $PROXY_THREADS
    maxconn $HAPROXY_MAXCONN
defaults
    mode http
    timeout connect 5s
    timeout client 10m
    timeout server 50s
    timeout http-request 10m
    option http-keep-alive
    http-reuse always
frontend fe
    bind $BIND:$HAPROXY_PORT
    default_backend be
backend be
    server s1 $BIND:$BACKEND_PORT
CFG
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CFG
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
worker_processes $PROXY_THREADS;
worker_rlimit_nofile $(ulimit -n);
events { worker_connections $((CONNECTIONS + 1000)); }
http {
    access_log off;
    client_header_timeout 10m;
    keepalive_timeout 10m;
    keepalive_requests 100000000;
$(for t in client_body proxy fastcgi uwsgi scgi; do printf '    %s_temp_path %s/%s_temp;\n' "$t" "$WORK/nginx" "$t"; done)
    upstream be { server $BIND:$BACKEND_PORT; keepalive 64; }
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    server { listen $BIND:$NGINX_PORT backlog=4096; location / { proxy_pass http://be; } }
}
CFG

SUMMARY=$WORK/summary.txt
: > "$SUMMARY"
for t in $TARGETS; do
  case $t in
    gantry)
      command -v "$JAVA" >/dev/null || { echo "skip gantry: no $JAVA"; continue; }
      # shellcheck disable=SC2086
      start gantry "$JAVA" $JAVA_OPTS -jar "$GANTRY_JAR" --config "$WORK/gantry.yaml" --bind-address "$BIND" \
        --admin-address "$BIND" --admin-port "$GANTRY_ADMIN" --access-log off --threads "$PROXY_THREADS" \
        --max-connections $((CONNECTIONS + 1000))
      port=$GANTRY_PORT ;;
    haproxy)
      command -v haproxy >/dev/null || { echo "skip haproxy: not installed (apt-get install haproxy)"; continue; }
      start haproxy haproxy -db -f "$WORK/haproxy.cfg"; port=$HAPROXY_PORT ;;
    nginx)
      command -v nginx >/dev/null || { echo "skip nginx: not installed (apt-get install nginx)"; continue; }
      start nginx nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"; port=$NGINX_PORT ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
  pgid=$LAST_PID
  n=$CONNECTIONS; extra=""
  [ "$t" = haproxy ] && [ "$HAPROXY_MAXCONN" -lt $((CONNECTIONS + 100)) ] && n=$((HAPROXY_MAXCONN - 100))
  [ "$t" = gantry ] && extra=--jvm
  wait_port "$port" || { echo "$t did not start; see $WORK/logs/$t.log" >&2; exit 2; }
  sleep 1
  pids=$(group_pids "$pgid")
  echo "== $t (pids $pids) =="
  # shellcheck disable=SC2086
  "$JAVA" "$REPO/bench/idle/IdleConnections.java" "$port" "$pids" "$n" "$STEP" "$SETTLE_MS" --requests $extra \
    | tee "$WORK/$t.txt"
  awk -v t="$t" -v n="$n" '
    /^0 / {base=$2} $1 == n {k++; rss[k]=$2; per[k]=$4}
    END {printf "%-8s base %6.1f MiB | %d idle: %6.1f MiB, %s KiB each | after one request each: %6.1f MiB, %s KiB each", t, base, n, rss[1], per[1], rss[2], per[2]
         if (k > 2) printf " | after a full GC: %6.1f MiB, %s KiB each", rss[3], per[3]
         printf "\n"}' "$WORK/$t.txt" >> "$SUMMARY"
  grep '^# heap' "$WORK/$t.txt" | sed "s/^# /         /" >> "$SUMMARY"
  stop "$pgid"
done
echo
echo "== summary: RSS of each proxy (process tree) before and with $CONNECTIONS idle client connections =="
cat "$SUMMARY"
