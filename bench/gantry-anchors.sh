#!/usr/bin/env bash
# gantry-anchors.sh: plugs Gantry into the reference harness (anchors.sh) as "our" proxy.
#
#   OUR_NAME=gantry OUR_PROXY_CMD="exec $PWD/bench/gantry-anchors.sh" /path/to/anchors.sh
#
# The harness runs this with bash -c and sets:
#   OUR_HTTP_PORT OUR_HTTPS_PORT OUR_TCP_PORT OUR_IPERF_PORT   (empty = no such listener)
#   BENCH_BACKENDS=127.0.0.1:18081,127.0.0.1:18082  BENCH_IPERF_BACKEND=127.0.0.1:15201
#   BENCH_CERT BENCH_KEY (PEM)  BENCH_PROXY_THREADS  BENCH_OUT (directory for gantry.yaml)
# It writes $BENCH_OUT/gantry.yaml and execs the proxy, so the harness's pid is the JVM's.
#
# Own parameters [defaults]:
#   GANTRY_JAR         [<repo of this script>/proxy/target/gantry-proxy.jar]
#   JAVA               [java]
#   JAVA_OPTS          [the images' JVM flags: bench/image-jvm-flags.sh]  "" for the JVM's own defaults
#   GANTRY_ADMIN_PORT  [18199, or the next free port above it]
#
# --dry-run: write the config, print the command instead of running it.
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
JAVA=${JAVA:-java}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$REPO/bench/image-jvm-flags.sh"); fi   # what a pod runs
OUR_HTTP_PORT=${OUR_HTTP_PORT:-}
OUR_HTTPS_PORT=${OUR_HTTPS_PORT:-}
OUR_TCP_PORT=${OUR_TCP_PORT:-}
OUR_IPERF_PORT=${OUR_IPERF_PORT:-}
BENCH_BACKENDS=${BENCH_BACKENDS:-127.0.0.1:18081,127.0.0.1:18082}
BENCH_IPERF_BACKEND=${BENCH_IPERF_BACKEND:-127.0.0.1:15201}
BENCH_PROXY_THREADS=${BENCH_PROXY_THREADS:-1}

die() { printf 'gantry-anchors.sh: %s\n' "$*" >&2; exit 2; }

yaml_quote() { printf "'%s'" "${1//\'/\'\'}"; }

endpoints_yaml() {  # "host:port,host:port" -> endpoint list items
  local ep
  local -a eps
  IFS=, read -r -a eps <<<"$1"
  for ep in "${eps[@]}"; do
    [[ $ep == *:* ]] || die "endpoint '$ep' is not host:port"
    printf '    - address: %s\n      port: %s\n' "${ep%:*}" "${ep##*:}"
  done
}

listener_yaml() {  # name port protocol backend
  printf '  - name: %s\n    port: %s\n    protocol: %s\n    defaultBackend: %s\n' "$@"
}

tls_yaml() {
  printf '    tls:\n      certificates:\n      - certFile: %s\n        keyFile: %s\n      alpn: ["http/1.1"]\n' \
    "$(yaml_quote "$BENCH_CERT")" "$(yaml_quote "$BENCH_KEY")"
}

backend_yaml() {  # name "host:port,..."
  printf '  - name: %s\n    balance: RoundRobin\n    endpoints:\n' "$1"
  endpoints_yaml "$2"
}

gantry_yaml() {
  local https=$OUR_HTTPS_PORT tcp=$OUR_TCP_PORT iperf=$OUR_IPERF_PORT
  cat <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata:
  name: bench
spec:
  listeners:
EOF
  if [[ -n $OUR_HTTP_PORT ]]; then listener_yaml http "$OUR_HTTP_PORT" HTTP web; fi
  if [[ -n $https ]]; then
    listener_yaml https "$https" HTTPS web
    tls_yaml
  fi
  if [[ -n $tcp ]]; then listener_yaml tcp "$tcp" TCP web-tcp; fi
  if [[ -n $iperf ]]; then listener_yaml iperf "$iperf" TCP iperf; fi
  echo "  backends:"
  if [[ -n $OUR_HTTP_PORT$https ]]; then backend_yaml web "$BENCH_BACKENDS"; fi
  if [[ -n $tcp ]]; then backend_yaml web-tcp "$BENCH_BACKENDS"; fi
  if [[ -n $iperf ]]; then backend_yaml iperf "$BENCH_IPERF_BACKEND"; fi
}

check_inputs() {
  local n
  [[ -n ${BENCH_OUT:-} ]] || die "BENCH_OUT (a directory to write gantry.yaml into) is not set"
  for n in OUR_HTTP_PORT OUR_HTTPS_PORT OUR_TCP_PORT OUR_IPERF_PORT BENCH_PROXY_THREADS; do
    [[ -z ${!n} || ${!n} =~ ^[0-9]+$ ]] || die "$n must be a port number or empty, got '${!n}'"
  done
  [[ -n $OUR_HTTP_PORT$OUR_HTTPS_PORT$OUR_TCP_PORT$OUR_IPERF_PORT ]] || die "every OUR_*_PORT is empty: nothing to listen on"
  if [[ -n $OUR_HTTPS_PORT ]]; then
    [[ -r ${BENCH_CERT:-} && -r ${BENCH_KEY:-} ]] || die "OUR_HTTPS_PORT is set but BENCH_CERT/BENCH_KEY are not readable PEM files"
  fi
  [[ -f $GANTRY_JAR ]] || die "Gantry jar not found: $GANTRY_JAR (build: ./mvnw -q package -DskipTests)"
}

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

free_admin_port() {  # first free port from GANTRY_ADMIN_PORT (18199) up, not one of ours
  local p=${GANTRY_ADMIN_PORT:-18199}
  while port_busy "$p" || [[ " $OUR_HTTP_PORT $OUR_HTTPS_PORT $OUR_TCP_PORT $OUR_IPERF_PORT " == *" $p "* ]]; do
    p=$((p + 1))
    ((p < 18300)) || die "no free admin port between ${GANTRY_ADMIN_PORT:-18199} and 18299"
  done
  echo "$p"
}

main() {
  check_inputs
  mkdir -p "$BENCH_OUT"
  local cfg=$BENCH_OUT/gantry.yaml admin
  gantry_yaml >"$cfg"
  admin=$(free_admin_port)
  local -a opts cmd
  read -r -a opts <<<"$JAVA_OPTS"
  cmd=("$JAVA" "${opts[@]}" -jar "$GANTRY_JAR" --config "$cfg" --access-log off
    --threads "$BENCH_PROXY_THREADS" --admin-port "$admin" --bind-address 127.0.0.1 --admin-address 127.0.0.1)
  if [[ ${1:-} == --dry-run ]]; then
    printf '%q ' "${cmd[@]}"
    echo
    return 0
  fi
  echo "gantry-anchors.sh: ${cmd[*]}" >&2
  exec "${cmd[@]}"
}

main "$@"
