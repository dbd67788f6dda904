#!/usr/bin/env bash
# profile.sh: where the proxy's CPU time or its allocations go, under load, with the settings a pod runs.
#
#   bench/profile.sh                              # CPU, HTTP, /small (100 B), wrk -t1 -c64 at saturation
#   CASE=tls-small RATE=10000 bench/profile.sh    # HTTPS at a fixed 10,000 requests/s (h2load)
#   EVENT=alloc bench/profile.sh                  # what is allocated, and where
#   EVENT=latency bench/profile.sh                # latency at saturation, round by round, with GC and JIT
#
# Starts a backend nginx (two ports, /small = 100 B, /16k = 16 KiB) on CPU1 and one Gantry proxy on CPU0 with
# one event loop and the images' JVM flags (bench/image-jvm-flags.sh). Warms it up with wrk, then loads
# async-profiler into it (jcmd JVMTI.agent_load; the library comes from Maven Central through ./mvnw, the
# linux-x64 jar of tools.profiler:async-profiler) for the measured load, and prints:
#   - requests, the proxy's CPU time per request (user + system, from /proc) and the bytes its threads
#     allocated per request (jcmd Thread.print -e, summed over the threads);
#   - for EVENT=cpu, the share of samples in each area, by the frame a sample was taken in (the kernel,
#     the JVM, TLS, Netty's parts, the proxy's own code), the share of the phases named in PHASES (a sample
#     counts once if any frame of it matches), and the TOP frames by own samples;
#   - for EVENT=alloc, the TOP allocated types and the TOP frames that allocate.
# EVENT=latency loads no profiler: it runs ROUNDS rounds of SECS seconds of wrk at saturation and prints, for
# each, the requests/s, wrk's latency percentiles and maximum, and what the JVM did meanwhile (young
# collections and their time, methods compiled; from jstat).
# The collapsed stacks stay in OUT/profile.collapsed (flame graphs: any collapsed-stack viewer).
# Needs a quiet machine for figures; every process it starts is stopped by PID.
#
# Parameters [defaults]: EVENT [cpu] (cpu | alloc | latency)  ROUNDS [3] (latency)  CASE [small] (small | 16k | tls-small | tls-16k)
#   RATE [""] requests/s with h2load, empty = wrk at saturation   SECS [20]   WARMUP [25] seconds of the same client first
#   INTERVAL [1ms] between CPU samples   ALLOC_INTERVAL [16384] bytes between allocation samples   TOP [20]   OUT [a new temporary directory, removed at the end]
#   PHASES ["name=regex;..."]  GANTRY_JAR [<repo>/proxy/target/gantry-proxy.jar]  JAVA [java]
#   ASYNC_PROFILER_VERSION [4.1]   JAVA_OPTS [the images' flags]
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
EVENT=${EVENT:-cpu} CASE=${CASE:-small} RATE=${RATE:-} SECS=${SECS:-20} WARMUP=${WARMUP:-25} ROUNDS=${ROUNDS:-3}
INTERVAL=${INTERVAL:-1ms} ALLOC_INTERVAL=${ALLOC_INTERVAL:-16384} TOP=${TOP:-20} JAVA=${JAVA:-java}
GANTRY_JAR=${GANTRY_JAR:-$REPO/proxy/target/gantry-proxy.jar}
ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.1}
PHASES=${PHASES:-"decoding heads=MessageDecoder\.decode|HttpObjectDecoder\.decode|HeadGate\.;encoding heads=\
MessageToMessageEncoder\.write|HttpObjectEncoder\.|Encoder\.writeHead|VerbatimResponse\.writeRaw;TLS=SslHandler\.|libssl|libcrypto|ReferenceCountedOpenSslEngine;\
system calls=entry_SYSCALL|do_syscall;garbage collection=GCTaskThread|VM_GenCollect|DefNew|G1"}
if [[ -z ${JAVA_OPTS+set} ]]; then JAVA_OPTS=$("$REPO/bench/image-jvm-flags.sh"); fi   # what a pod runs
die() { printf 'profile.sh: %s\n' "$*" >&2; exit 2; }
case $EVENT in cpu | alloc | latency) ;; *) die "EVENT is cpu, alloc or latency, not '$EVENT'" ;; esac
[[ $EVENT != latency || -z $RATE ]] || die "EVENT=latency runs wrk at saturation: leave RATE empty"
case $CASE in small | 16k | tls-small | tls-16k) ;; *) die "CASE is small, 16k, tls-small or tls-16k" ;; esac
for cmd in nginx wrk taskset openssl unzip jcmd "$JAVA"; do
  command -v "$cmd" >/dev/null || die "$cmd is needed"
done
[[ -z $RATE ]] || command -v h2load >/dev/null || die "h2load is needed for RATE (apt-get install nghttp2-client)"
[[ -f $GANTRY_JAR ]] || die "no $GANTRY_JAR (./mvnw package -DskipTests)"
[[ $(uname -m) == x86_64 ]] || die "the profiler library fetched here is linux-x64's"

# the profiler's native library, fetched once
lib_dir=${XDG_CACHE_HOME:-$HOME/.cache}/gantry/async-profiler-$ASYNC_PROFILER_VERSION
lib=$lib_dir/linux-x64/libasyncProfiler.so
if [[ $EVENT != latency && ! -f $lib ]]; then
  mkdir -p "$lib_dir"
  "$REPO/mvnw" -q -f "$REPO/pom.xml" -N dependency:copy \
    -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION:jar:linux-x64" -DoutputDirectory="$lib_dir" \
    || die "could not fetch tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION (linux-x64)"
  unzip -q -o "$lib_dir/async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar" 'linux-x64/*' -d "$lib_dir"
fi

keep=${OUT:+1}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
chmod 755 "$OUT"   # nginx's workers read their files under it
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f $OUT/nginx.pid ]] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null || true
  if [[ -z $keep ]]; then rm -rf "$OUT"; fi
}
trap cleanup EXIT

mkdir -p "$OUT/www"
printf '%0100d' 0 > "$OUT/www/small"
head -c 16384 /dev/zero | tr '\0' x > "$OUT/www/16k"
cat > "$OUT/nginx.conf" <<EOF
worker_processes 1;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/body; proxy_temp_path $OUT/proxy; fastcgi_temp_path $OUT/fcgi;
  uwsgi_temp_path $OUT/uwsgi; scgi_temp_path $OUT/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:18081; listen 127.0.0.1:18082; root $OUT/www; }
}
EOF
taskset -c 1 nginx -c "$OUT/nginx.conf"

openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$OUT/key.pem" -out "$OUT/cert.pem" 2>"$OUT/openssl.log"
cat > "$OUT/gantry.yaml" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {name: profile}
spec:
  listeners:
  - {name: http, port: 18130, protocol: HTTP, defaultBackend: web}
  - name: https
    port: 18131
    protocol: HTTPS
    defaultBackend: web
    tls: {certificates: [{certFile: $OUT/cert.pem, keyFile: $OUT/key.pem}], alpn: [http/1.1]}
  backends:
  - name: web
    endpoints: [{address: 127.0.0.1, port: 18081}, {address: 127.0.0.1, port: 18082}]
EOF
# shellcheck disable=SC2086
taskset -c 0 "$JAVA" $JAVA_OPTS -jar "$GANTRY_JAR" --config "$OUT/gantry.yaml" --access-log off --threads 1 \
  --admin-port 18230 --bind-address 127.0.0.1 --admin-address 127.0.0.1 > "$OUT/gantry.log" 2>&1 &
pid=$!
pids+=("$pid")
case $CASE in tls-*) url="https://127.0.0.1:18131/${CASE#tls-}" ;; *) url="http://127.0.0.1:18130/$CASE" ;; esac
for _ in $(seq 60); do curl -fsk -o /dev/null "$url" && break; sleep 0.5; done
curl -fsk -o /dev/null "$url" || die "the proxy does not answer $url (see $OUT/gantry.log)"
# Warmed up by the client that measures: another client's heads would send the JIT back to work mid-profile.
if [[ -z $RATE ]]; then
  taskset -c 1 wrk -t1 -c64 -d"${WARMUP}s" "$url" > /dev/null
else
  taskset -c 1 h2load --h1 -t1 -c64 --rps $((RATE / 64)) -D "$WARMUP" "$url" > /dev/null 2>&1
fi

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
allocated() {  # bytes allocated by the live threads so far
  jcmd "$pid" Thread.print -e | grep -o 'allocated=[0-9.]*[BKMG]' | awk -F= '
    { v = $2; u = substr(v, length(v)); n = substr(v, 1, length(v) - 1)
      s += n * (u == "K" ? 1024 : u == "M" ? 1048576 : u == "G" ? 1073741824 : 1) } END { printf "%.0f", s }'
}
agent() { jcmd "$pid" JVMTI.agent_load "$lib" "\"$1\"" > "$OUT/agent.log" 2>&1 || die "jcmd $1: $(cat "$OUT/agent.log")"; }

if [[ $EVENT == latency ]]; then
  jvm() {  # young collections, their seconds, methods compiled so far
    { jstat -gc "$pid"; jstat -compiler "$pid"; } | awk '
      NR == 1 { for (i = 1; i <= NF; i++) gc[$i] = i } NR == 2 { y = $gc["YGC"]; t = $gc["YGCT"] }
      NR == 4 { c = $1 } END { print y, t, c }'
  }
  echo "case $CASE, saturation (wrk -t1 -c64), $ROUNDS rounds of $SECS s after $WARMUP s, flags: $JAVA_OPTS"
  echo "round  req/s     p50      p90      p99      max      young GCs (ms)   compiled"
  for r in $(seq "$ROUNDS"); do
    read -r y0 t0 c0 < <(jvm)
    out=$(taskset -c 1 wrk -t1 -c64 -d"${SECS}s" --latency "$url")
    read -r y1 t1 c1 < <(jvm)
    awk -v r="$r" -v y=$((y1 - y0)) -v ms="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')" \
      -v c=$((c1 - c0)) '
      /^ +Latency +[0-9]/ { max = $4 } / 50%/ { p50 = $2 } / 90%/ { p90 = $2 } / 99%/ { p99 = $2 } /Requests\/sec/ { rps = $2 }
      END { printf "%-6s %-9.0f %-8s %-8s %-8s %-8s %5d (%6s)    %5d\n", r, rps, p50, p90, p99, max, y, ms, c }' <<< "$out"
  done
  exit 0
fi

if [[ $EVENT == cpu ]]; then agent "start,event=cpu,interval=$INTERVAL"; else agent "start,event=alloc,alloc=$ALLOC_INTERVAL"; fi
t0=$(ticks) a0=$(allocated)
if [[ -z $RATE ]]; then
  done_=$(taskset -c 1 wrk -t1 -c64 -d"${SECS}s" "$url" | awk '/requests in/ {print $1}')
else
  done_=$(taskset -c 1 h2load --h1 -t1 -c64 --rps $((RATE / 64)) -D "$SECS" "$url" 2>&1 \
    | awk '/^requests:/ {print $8}')
fi
t1=$(ticks) a1=$(allocated)
if [[ $EVENT == cpu ]]; then
  agent "stop,file=$OUT/profile.collapsed,collapsed"
else
  agent "stop,file=$OUT/profile.collapsed,collapsed,total"
fi
[[ ${done_:-0} -gt 0 ]] || die "no request completed"
[[ -s $OUT/profile.collapsed ]] || die "the profiler wrote nothing ($OUT/agent.log)"

echo "case $CASE, ${RATE:-saturation} ${RATE:+requests/s}, $SECS s, event $EVENT, flags: $JAVA_OPTS"
awk -v r="$done_" -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v a=$((a1 - a0)) 'BEGIN {
  printf "requests: %d; proxy CPU per request: %.2f us; allocated per request: %.0f bytes\n",
    r, t * 1e6 / hz / r, a / r }'

if [[ $EVENT == cpu ]]; then
  awk -v phases="$PHASES" -v top="$TOP" '
    function area(leaf) {
      if (leaf ~ /_\[k\]$/) return "kernel"
      if (leaf ~ /libssl|libcrypto|bssl|ssl_|SSL_|EVP_|aes|gcm|sha256|tcnative|OpenSsl|io\/netty\/handler\/ssl/) return "TLS"
      if (leaf ~ /^dev\/gantry\//) return "the proxy (dev.gantry)"
      if (leaf ~ /^io\/netty\/handler\/codec/) return "Netty: codecs"
      if (leaf ~ /^io\/netty\/buffer/) return "Netty: buffers"
      if (leaf ~ /^io\/netty\/channel/) return "Netty: channels and pipeline"
      if (leaf ~ /^io\/netty\//) return "Netty: other"
      if (leaf ~ /^(java|javax|jdk|sun)\//) return "the JDK"
      if (leaf ~ /\//) return "other Java code"
      if (leaf ~ /^(__|mem|str|malloc|free|pthread|epoll|libc|recv|send|writev|readv|read|write|clock_gettime)|vdso/) \
        return "libc and vDSO (system call wrappers, clocks)"
      return "the JVM (GC, JIT, runtime)"
    }
    BEGIN { np = split(phases, ph, ";"); for (i = 1; i <= np; i++) { split(ph[i], kv, "="); pn[i] = kv[1]; pr[i] = substr(ph[i], length(kv[1]) + 2) } }
    { n = $NF; stack = substr($0, 1, length($0) - length($NF) - 1); total += n
      k = split(stack, f, ";"); leaf = f[k]; self[leaf] += n; byarea[area(leaf)] += n
      for (i = 1; i <= np; i++) if (stack ~ pr[i]) inphase[i] += n }
    END {
      printf "samples: %d\n\nby area (the frame a sample was taken in):\n", total
      for (a in byarea) printf "  %5.1f %%  %s\n", 100 * byarea[a] / total, a | "sort -rn"
      close("sort -rn")
      printf "\nphases (samples with any frame matching):\n"
      for (i = 1; i <= np; i++) printf "  %5.1f %%  %s\n", 100 * inphase[i] / total, pn[i]
      printf "\ntop frames by own samples:\n"
      for (l in self) printf "  %5.1f %%  %s\n", 100 * self[l] / total, l | "sort -rn | head -" top
      close("sort -rn | head -" top)
    }' "$OUT/profile.collapsed"
else
  awk -v top="$TOP" -v r="$done_" '
    { n = $NF; stack = substr($0, 1, length($0) - length($NF) - 1); total += n
      k = split(stack, f, ";"); type = f[k]; sub(/_\[[ik]\]$/, "", type); bytype[type] += n
      if (k > 1) { site = f[k - 1]; bysite[site] += n } }
    END {
      printf "sampled bytes: %d (%.0f per request)\n\ntop allocated types:\n", total, total / r
      for (t in bytype) printf "  %5.1f %%  %s\n", 100 * bytype[t] / total, t | "sort -rn | head -" top
      close("sort -rn | head -" top)
      printf "\ntop allocating frames:\n"
      for (s in bysite) printf "  %5.1f %%  %s\n", 100 * bysite[s] / total, s | "sort -rn | head -" top
      close("sort -rn | head -" top)
    }' "$OUT/profile.collapsed"
fi
[[ -z $keep ]] || echo "collapsed stacks: $OUT/profile.collapsed"
