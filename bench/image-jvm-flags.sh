#!/usr/bin/env bash
# image-jvm-flags.sh: prints, on one line, the JVM flags Gantry's proxy image runs with (the parent POM's jib
# jvmFlags, which both images run with, then those proxy/pom.xml appends for the proxy alone), followed by
# -XX:MaxRAM=POD_MEMORY: in a pod the JVM sizes its heap from the container's memory limit, on a host from
# the machine's memory, and MaxRAM makes a host run size it as the pod does. The benchmarks take this as
# their default JAVA_OPTS, so they measure what a pod runs:
#
#   JAVA_OPTS=$(bench/image-jvm-flags.sh)
#
#   POD_MEMORY [512m]  the proxy pod's memory limit (the operator's default); empty: no MaxRAM
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
flags=$(sed -n 's:.*<jvmFlag>\(.*\)</jvmFlag>.*:\1:p' "$root/pom.xml" "$root/proxy/pom.xml" | tr '\n' ' ')
[[ -n $flags ]] || { echo "image-jvm-flags.sh: no <jvmFlag> in $root/pom.xml" >&2; exit 2; }
POD_MEMORY=${POD_MEMORY-512m}
if [[ -n $POD_MEMORY ]]; then flags+="-XX:MaxRAM=$POD_MEMORY"; fi
echo "${flags% }"
