#!/usr/bin/env bash
# run.sh: the differential check. Sends every request of cases/*.http (raw bytes, CRLF exact) to Gantry,
# HAProxy and nginx on 127.0.0.1, each in front of its own recording backend, and prints per case what each
# proxy answered and what its backend received, flagging the cases where Gantry forwards more than the
# stricter of the two. See differential.py for the details.
#
# Installs HAProxy and nginx (Debian packages) when missing, and builds the proxy jar when missing.
# Parameters (environment) [defaults]:
#   GANTRY_JAR [proxy/target/gantry-proxy.jar]  JAVA [java]  WORK [/tmp/gantry-differential]
#   ONLY [""]  run only the cases whose file name contains this
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
: "${GANTRY_JAR:=$REPO/proxy/target/gantry-proxy.jar}" "${JAVA:=java}" "${WORK:=/tmp/gantry-differential}" "${ONLY:=}"

if ! command -v haproxy >/dev/null || ! command -v nginx >/dev/null; then
  echo "installing haproxy and nginx (Debian packages)" >&2
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy nginx >&2
fi
if [ ! -s "$GANTRY_JAR" ]; then
  echo "building $GANTRY_JAR" >&2
  (cd "$REPO" && ./mvnw -q -B -ntp -pl proxy -am package -DskipTests)
fi
mkdir -p "$WORK"
exec python3 "$HERE/differential.py" --jar "$GANTRY_JAR" --java "$JAVA" --cases "$HERE/cases" --work "$WORK" --only "$ONLY"
