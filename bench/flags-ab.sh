#!/usr/bin/env bash
# flags-ab.sh: the proxy's CPU time per request under two sets of JVM flags, side by side, on 127.0.0.1.
#
#   FLAGS_A="-Dio.netty.leakDetection.level=simple" FLAGS_B="" bench/flags-ab.sh
#
# (a -D given later wins: FLAGS_A above puts back Netty's default, which the images' flags turn off)
#
# Starts a backend nginx (two ports, /small = 100 B, /16k = 16 KiB) and two Gantry proxies, each pinned to CPU0 with one event
# loop and the images' JVM flags (bench/image-jvm-flags.sh) plus FLAGS_A or FLAGS_B. Warms both up with wrk,
# then in ROUNDS rounds drives each in turn (the order alternates every round) with h2load at a fixed RATE
# (64 HTTP/1.1 connections, on CPU1) for SECS seconds, and reads the proxy's CPU time (user + system, from
# /proc) around each run. Prints µs of proxy CPU per request for every run, with the share of the machine's time
# the hypervisor took for other guests meanwhile (steal, from /proc/stat), the median of each side and in how
# many rounds B's run cost less than A's. A run with more steal than STEAL_MAX is repeated (at most RETRIES
# times, then kept and marked): a neighbour's load on the host raises both the steal and the CPU per request.
# A fixed rate makes CPU per request comparable where throughput at saturation is noisy. Needs a quiet
# machine; every process it starts is stopped by PID.
#
# Two builds compare the same way, each side its own jar (the flags then usually the same):
#
#   JAR_A=/tmp/before/gantry-proxy.jar JAR_B=proxy/target/gantry-proxy.jar bench/flags-ab.sh
#
# Parameters [defaults]: FLAGS_A [""]  FLAGS_B [""]  ROUNDS [6]  RATE [10000] requests/s  SECS [8]
#   PAGE [small] the page every request asks for: small (100 B) or 16k (16 KiB)
#   BODY [0] bytes of body each request sends: 0 = a GET, more = a POST of that many bytes (which the backend's
#     /small and /16k answer as they answer a GET)
#   WARMUP [25] seconds of wrk per proxy first   GANTRY_JAR [<repo>/proxy/target/gantry-proxy.jar]   JAVA [java]
#   JAR_A, JAR_B [GANTRY_JAR]  the proxy jar of each side   STEAL_MAX [5] % of the machine   RETRIES [3]
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
FLAGS_A=${FLAGS_A-} FLAGS_B=${FLAGS_B-} ROUNDS=${ROUNDS:-6} RATE=${RATE:-10000} SECS=${SECS:-8}
WARMUP=${WARMUP:-25} JAVA=${JAVA:-java} GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
JAR_A=${JAR_A:-$GANTRY_JAR} JAR_B=${JAR_B:-$GANTRY_JAR} PAGE=${PAGE:-small} BODY=${BODY:-0}
STEAL_MAX=${STEAL_MAX:-5} RETRIES=${RETRIES:-3}
case $PAGE in small | 16k) ;; *) echo "flags-ab.sh: PAGE is small or 16k" >&2; exit 2 ;; esac
[[ $BODY =~ ^[0-9]+$ ]] || { echo "flags-ab.sh: BODY is a number of bytes" >&2; exit 2; }
[[ $STEAL_MAX =~ ^[0-9]+$ && $RETRIES =~ ^[0-9]+$ ]] || { echo "flags-ab.sh: STEAL_MAX and RETRIES are numbers" >&2; exit 2; }
for cmd in nginx wrk h2load taskset "$JAVA"; do
  command -v "$cmd" >/dev/null || { echo "flags-ab.sh: $cmd is needed" >&2; exit 2; }
done
for jar in "$JAR_A" "$JAR_B"; do
  [[ -f $jar ]] || { echo "flags-ab.sh: no $jar (./mvnw package -DskipTests)" >&2; exit 2; }
done
BASE=$("$REPO/bench/image-jvm-flags.sh")
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wrk_body=() h2load_body=()
if (( BODY > 0 )); then
  head -c "$BODY" /dev/zero | tr '\0' b > "$work/body"
  printf 'wrk.method = "POST"\nwrk.body = string.rep("b", %d)\n' "$BODY" > "$work/post.lua"
  wrk_body=(-s "$work/post.lua") h2load_body=(-d "$work/body")
fi
"$REPO/bench/backend-nginx.sh" "$work"

start() {  # port admin-port flags jar
  cat > "$work/g$1.yaml" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: ab}
spec:
  listeners: [{name: http, port: $1, protocol: HTTP, defaultBackend: web}]
  backends:
  - name: web
    endpoints: [{address: 127.0.0.1, port: 18081}, {address: 127.0.0.1, port: 18082}]
EOF
  # shellcheck disable=SC2086
  taskset -c 0 "$JAVA" $BASE $3 -jar "$4" --config "$work/g$1.yaml" --access-log off --threads 1 \
    --admin-port "$2" --bind-address 127.0.0.1 --admin-address 127.0.0.1 > "$work/g$1.log" 2>&1 &
  pids+=($!)
}
start 18110 18210 "$FLAGS_A" "$JAR_A"
start 18120 18220 "$FLAGS_B" "$JAR_B"
pid_a=${pids[0]} pid_b=${pids[1]}
for port in 18110 18120; do
  for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$port/small" && break; sleep 0.5; done
  taskset -c 1 wrk -t1 -c64 -d"${WARMUP}s" "${wrk_body[@]}" "http://127.0.0.1:$port/$PAGE" > /dev/null
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
machine() { awk '/^cpu / {print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }  # steal, all
measure() {  # name pid port: prints name, µs per request, requests, steal %
  local t0 t1 done_ s0 a0 s1 a1
  t0=$(ticks "$2"); read -r s0 a0 < <(machine)
  done_=$(taskset -c 1 h2load --h1 -t1 -c64 --rps $((RATE / 64)) -D "$SECS" "${h2load_body[@]}" \
    "http://127.0.0.1:$3/$PAGE" 2>&1 \
    | awk '/^status codes:/ {print $3}')
  t1=$(ticks "$2"); read -r s1 a1 < <(machine)
  awk -v t=$((t1 - t0)) -v d="${done_:-0}" -v hz="$hz" -v n="$1" -v st=$((s1 - s0)) -v all=$((a1 - a0)) \
    'BEGIN { if (d > 0) printf "%s %.2f %d %.1f\n", n, t * 1e6 / hz / d, d, (all > 0 ? st * 100 / all : 0) }'
}
measure_quiet() {  # name pid port: measure, again while the steal is above STEAL_MAX
  local line attempt
  for attempt in $(seq 0 "$RETRIES"); do
    line=$(measure "$@")
    awk -v l="$line" -v max="$STEAL_MAX" 'BEGIN { split(l, f, " "); exit !(f[4] <= max) }' && break
    (( attempt < RETRIES )) || { line+=" (steal above $STEAL_MAX %, kept)"; break; }
    echo "  repeated: $line" >&2
  done
  echo "$line"
}
echo "every side: $BASE; page /$PAGE$( (( BODY > 0 )) && echo ", POST of $BODY bytes")"
echo "flags A: ${FLAGS_A:-none beside those}"
echo "flags B: ${FLAGS_B:-none beside those}"
if [[ $JAR_A != "$JAR_B" ]]; then echo "jar A: $JAR_A"; echo "jar B: $JAR_B"; fi
echo "round side us-per-request requests steal-%"
results=()
for r in $(seq "$ROUNDS"); do
  if (( r % 2 )); then order="a b"; else order="b a"; fi
  for side in $order; do
    if [[ $side == a ]]; then line=$(measure_quiet a "$pid_a" 18110); else line=$(measure_quiet b "$pid_b" 18120); fi
    echo "$r $line"
    results+=("$r $line")
  done
done
for side in a b; do
  printf '%s\n' "${results[@]}" | awk -v s="$side" '$2 == s {print $3}' | sort -n | awk -v s="$side" '
    {x[NR] = $1} END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2;
      printf "median %s: %.2f us of proxy CPU per request (%d runs)\n", s, m, NR }'
done
printf '%s\n' "${results[@]}" | awk '{ us[$1, $2] = $3; if ($1 > n) n = $1 }
  END { for (r = 1; r <= n; r++) if (us[r, "b"] < us[r, "a"]) lower++
        printf "B below A in %d of %d rounds\n", lower, n }'
