#!/usr/bin/env bash
# Stops what e2e/cluster/up.sh started, by the PIDs it recorded, and removes what it made: the node's pods
# (through its kubelet), mounts, network devices, iptables rules, cgroups and kernel settings, then the
# control plane and etcd's data, so that the next up.sh starts an empty cluster. Certificates, kubeconfigs,
# images and logs stay in the state directory.
#
#   e2e/cluster/down.sh [--dir DIR]     (default e2e/target/cluster)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/node.sh"

dir="$here/../target/cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "down.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -d "$dir" ] || exit 0
dir=$(cd "$dir" && pwd)
bin=$(cat "$dir/bin" 2>/dev/null || true)

node=false
[ "$(cat "$dir/mode" 2>/dev/null)" = node ] && node=true
$node && node_stop "$dir" "$bin"
# clients before servers: nothing logs errors about an API server that went first
for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop "$dir" "$name"
done
$node && node_release "$dir"
rm -rf "$dir/etcd"
