#!/usr/bin/env bash
# Lists whatever a cluster of up.sh (or a test's network device) could have left on this machine: its
# processes, network devices, iptables chains, mounts, cgroups and files in system paths. Exits 1 when it
# finds any, 0 when the machine is clean. CI runs it after the tests.
#
#   e2e/cluster/leftovers.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/node.sh"

found=()
cache=${GANTRY_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry/kubernetes}
# the proxy tests' grpc-go interop servers (proxy/src/test/grpc-interop)
interop=${GANTRY_GRPC_INTEROP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry/grpc-interop}
while read -r line; do
  [ -n "$line" ] && found+=("process: $line")
done <<< "$(pgrep -af "^$cache/|^$interop/|containerd --config .*/containerd/config.toml|containerd-shim-runc-v2 .*/containerd/containerd.sock" || true)"
for device in "$NODE_DEVICE" "$POD_BRIDGE"; do
  ip link show "$device" >/dev/null 2>&1 && found+=("network device: $device")
done
while read -r line; do
  [ -n "$line" ] && found+=("network device: $line")
done <<< "$(ip -o link show | awk -F': ' '$2 ~ /^gtest[0-9]+/ {print $2}' || true)"
for cmd in iptables ip6tables; do
  command -v "$cmd" >/dev/null 2>&1 || continue
  for table in filter nat mangle; do
    while read -r chain; do
      [ -n "$chain" ] && found+=("$cmd chain: $table $chain")
    done <<< "$("$cmd" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ {print $2}' || true)"
  done
done
while read -r line; do
  [ -n "$line" ] && found+=("mount: $line")
done <<< "$(awk '$2 ~ /\/(containerd|kubelet)\// {print $2}' /proc/self/mounts || true)"
# (on a machine that runs no Kubernetes node of its own, none of these is there before a cluster starts)
for path in "${SYSTEM_PATHS[@]}"; do
  [ -e "$path" ] && found+=("path: $path")
done
while read -r line; do
  [ -n "$line" ] && found+=("cgroup: $line")
done <<< "$(find /sys/fs/cgroup -maxdepth 6 -type d -name gantry-pods 2>/dev/null || true)"

if [ ${#found[@]} -gt 0 ]; then
  printf 'leftovers.sh: %s\n' "${found[@]}" >&2
  exit 1
fi
echo "leftovers.sh: nothing of a cluster or a test is left on this machine" >&2
