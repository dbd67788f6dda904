#!/usr/bin/env bash
# The operator with many LoadBalancers on the real control plane: etcd, kube-apiserver, controller-manager and
# scheduler built from Go modules by e2e/cluster (as the operator's integration tests start them; the first
# build takes a while, then it is cached), on free ports, stopped by PID at the end. bench/operator/
# OperatorScale.java does the work and says what it measures; this script compiles the operator with its test
# classes (the control-plane helpers live there) and runs it on that classpath. Not part of any build.
#
#   bench/operator-scale.sh                  LBS=200 NAMESPACES=4 bench/operator-scale.sh
#
#   LBS [1000]   NAMESPACES [10]   ROUNDS [5] (timed edits)   JAVA [java]   JAVA_OPTS [-Xms2g -Xmx2g]
#   OUT [/tmp/gantry-operator-scale/<timestamp>]: the control plane's state and logs, the harness's output
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
LBS=${LBS:-1000}
NAMESPACES=${NAMESPACES:-10}
ROUNDS=${ROUNDS:-5}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xms2g -Xmx2g}
OUT=${OUT:-/tmp/gantry-operator-scale/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

cd "$root"
./mvnw -q -B -ntp -pl operator -am test-compile dependency:build-classpath -DskipTests -Djazzer.skip \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/test-classpath.txt)"
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -cp "$cp" -Dlbs="$LBS" -Dnamespaces="$NAMESPACES" -Drounds="$ROUNDS" -Ddir="$OUT" \
  "$here/operator/OperatorScale.java" 2>&1 | tee "$OUT/harness.log" | grep -v -E '^[0-9T:.+-]+ +(INFO|DEBUG)'
echo "results and logs: $OUT"
