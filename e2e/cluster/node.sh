# The cluster's one node: its address, containerd with runc and the CNI bridge, the kubelet and kube-proxy,
# and how each is taken down again. Sourced by up.sh and down.sh after lib.sh, not run.

# the node's address (NODE_IP, in lib.sh) is on a network device of its own: a Linux bridge without ports,
# which works as a dummy device does (and the dummy driver is not in every kernel)
NODE_DEVICE=gantry0
# the pods' bridge and the node's share of the pod range (the controller manager allocates the first /24)
POD_BRIDGE=gantry-cni0
NODE_POD_CIDR=198.18.128.0/24
# the only destination a pod has a route to: the cluster's own block
CLUSTER_BLOCK=198.18.0.0/15
# where the kubelet, containerd's shims and the CNI plugins write whatever the state directory says: the
# device plugins' sockets, the shims' sockets and FIFOs, the CNI results cache, the containers' log links
SYSTEM_PATHS=(/var/lib/kubelet /run/containerd /var/lib/cni /var/log/containers /var/log/pods)

# node_prerequisites: what running a node needs of this machine, each missing one named
node_prerequisites() {
  local missing=() c
  [ "$(id -u)" = 0 ] || { echo "up.sh: a node needs root (network devices, iptables, mounts, cgroups)" >&2; exit 1; }
  for c in containerd containerd-shim-runc-v2 runc ctr iptables ip sysctl cc strip; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  cni_bin_dir >/dev/null 2>&1 || missing+=("the CNI plugins")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "up.sh: a node needs ${missing[*]} (Debian: apt-get install containerd runc containernetworking-plugins iptables gcc)" >&2
    exit 1
  fi
  [ -f /sys/fs/cgroup/memory/cgroup.procs ] || {
    echo "up.sh: a node needs cgroup v1 with the memory controller at /sys/fs/cgroup/memory" >&2
    exit 1
  }
}

# note_system_paths DIR: which SYSTEM_PATHS the node is about to make (those not there before its first
# start), so that down.sh removes exactly them
note_system_paths() {
  local dir=$1 path
  [ -f "$dir/system-paths" ] && return 0
  : > "$dir/system-paths"
  for path in "${SYSTEM_PATHS[@]}"; do
    [ -e "$path" ] || echo "$path" >> "$dir/system-paths"
  done
}

# remove_system_paths DIR: the SYSTEM_PATHS the node made; in those that were there before, only its own
# entries (the CNI results of its network, log links into its state directory)
remove_system_paths() {
  local dir=$1 path link
  if [ -f "$dir/system-paths" ]; then
    while read -r path; do
      if [ -n "$path" ]; then
        rm -rf "$path"
      fi
    done < "$dir/system-paths"
    rm -f "$dir/system-paths"
  fi
  rm -f /var/lib/cni/results/gantry-* 2>/dev/null || true
  for link in /var/log/containers/*.log; do
    if [ -L "$link" ]; then
      case "$(readlink "$link")" in "$dir"/*) rm -f "$link" ;; esac
    fi
  done
}

# node_address: the node's device and address (kept when already there)
node_address() {
  if ! ip link show "$NODE_DEVICE" >/dev/null 2>&1; then
    ip link add "$NODE_DEVICE" type bridge
  fi
  ip link set "$NODE_DEVICE" up
  ip address show dev "$NODE_DEVICE" | grep -q " $NODE_IP/" || ip address add "$NODE_IP/32" dev "$NODE_DEVICE"
}

# node_kernel DIR: what the pod network needs of the kernel (forwarding between pods through Service
# addresses, netfilter on the pods' bridge); the previous values are kept in DIR to be restored by down.sh
node_kernel() {
  local dir=$1 key value
  for key in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables; do
    value=$(sysctl -n "$key")
    [ -f "$dir/sysctl.$key" ] || echo "$value" > "$dir/sysctl.$key"
    [ "$value" = 1 ] || sysctl -q -w "$key=1"
  done
}

# own_cgroup: the memory cgroup of this process: the pods are kept under it, so that whatever accounts for
# what runs us accounts for them too
own_cgroup() {
  awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup
}

# pods_cgroup_root DIR: the kubelet's cgroupRoot, under this process's memory cgroup, made in every cgroup v1
# hierarchy (the kubelet requires it to exist there; in the other hierarchies this process sits at the
# root); what it made is recorded in DIR/cgroups so that down.sh removes exactly that
pods_cgroup_root() {
  local dir=$1 root hierarchy path made
  root="$(own_cgroup)/gantry-pods"
  root=${root//\/\//\/}
  # every cgroup v1 hierarchy (the kubelet checks the named systemd one too), and the unified one of a
  # hybrid system, where runc makes the pods' cgroups as well
  for hierarchy in $(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/mounts); do
    # the highest directory of the path that is not there yet is what down.sh removes
    made="" path=$root
    while [ "$path" != / ] && [ ! -d "$hierarchy$path" ]; do
      made=$path
      path=$(dirname "$path")
    done
    if [ -n "$made" ]; then
      echo "$hierarchy$made" >> "$dir/cgroups"
    fi
    mkdir -p "$hierarchy$root"
    # a new cpuset cgroup has no CPUs nor memory nodes until it is given its parent's
    if [ -f "$hierarchy/cpuset.cpus" ]; then
      path=""
      local part
      for part in ${root//\// }; do
        path="$path/$part"
        [ -n "$(cat "$hierarchy$path/cpuset.cpus")" ] || cat "$(dirname "$hierarchy$path")/cpuset.cpus" > "$hierarchy$path/cpuset.cpus"
        [ -n "$(cat "$hierarchy$path/cpuset.mems")" ] || cat "$(dirname "$hierarchy$path")/cpuset.mems" > "$hierarchy$path/cpuset.mems"
      done
    fi
  done
  echo "$root"
}

# containerd_config DIR: containerd with its own root, state and socket under DIR, runc with cgroupfs,
# overlayfs, the CNI bridge of this node, our pause image, and no registry to pull from
containerd_config() {
  local dir=$1 c="$1/containerd"
  mkdir -p "$c/certs.d/_default" "$dir/cni/net.d" "$dir/cni/ipam"
  # every registry resolves to a closed port on loopback: a missing image fails at once, nothing leaves
  printf 'server = "http://127.0.0.1:9"\n[host."http://127.0.0.1:9"]\n  capabilities = ["pull", "resolve"]\n' \
    > "$c/certs.d/_default/hosts.toml"
  cat > "$c/config.toml" <<EOF
version = 2
root = "$c/root"
state = "$c/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd.sock.ttrpc"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$c/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "gantry/pause:1.0"
  stream_server_address = "127.0.0.1"
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  # lowering an OOM score needs CAP_SYS_RESOURCE, which not every machine grants root: the pods' scores are
  # kept no lower than containerd's own, as on rootless nodes
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$c/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$(cni_bin_dir)"
    conf_dir = "$dir/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$c/certs.d"
EOF
  # the pods' network: a bridge with this node's pod range, a route to the cluster's block and no other (no
  # default route: pods reach nothing outside this machine), hostPort through portmap
  cat > "$dir/cni/net.d/10-gantry.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "gantry",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$POD_BRIDGE",
      "isGateway": true,
      "isDefaultGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$NODE_POD_CIDR"}]],
        "routes": [{"dst": "$CLUSTER_BLOCK"}],
        "dataDir": "$dir/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

cni_bin_dir() {
  local d
  for d in /usr/lib/cni /opt/cni/bin; do
    [ -x "$d/bridge" ] && { echo "$d"; return; }
  done
  echo "up.sh: the CNI plugins are missing (Debian: apt-get install containernetworking-plugins)" >&2
  return 1
}

# kubelet_config DIR CGROUP_ROOT: the kubelet's configuration: cgroup v1 with cgroupfs under CGROUP_ROOT,
# containerd's socket, authenticated and authorized calls only, no image garbage collection (images are
# built here, not pulled), and DNS left to the pods' images
kubelet_config() {
  local dir=$1 cgroup_root=$2 pki="$1/pki"
  mkdir -p "$dir/kubelet"
  : > "$dir/kubelet/resolv.conf"
  cat > "$dir/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $cgroup_root
cgroupsPerQOS: true
enforceNodeAllocatable: [pods]
containerRuntimeEndpoint: unix://$dir/containerd/containerd.sock
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
tlsCertFile: $pki/kubelet.crt
tlsPrivateKeyFile: $pki/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization:
  mode: Webhook
clusterDomain: cluster.local
resolvConf: $dir/kubelet/resolv.conf
podLogsDir: $dir/kubelet/pod-logs
failSwapOn: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
serializeImagePulls: false
maxPods: 60
EOF
}

# kube_proxy_config DIR: iptables mode; NodePorts on the node's address only; conntrack left as the kernel has it
kube_proxy_config() {
  local dir=$1
  mkdir -p "$dir/kube-proxy"
  cat > "$dir/kube-proxy/config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection:
  kubeconfig: $dir/kube-proxy.kubeconfig
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$KUBE_PROXY_METRICS_PORT
clusterCIDR: $POD_CIDR
nodePortAddresses: ["$NODE_IP/32"]
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
EOF
}

# node_stop DIR BIN: the node's pods first, through the kubelet (so that the CNI plugins release what they
# made for them), then its processes, kube-proxy's and the kubelet's iptables rules, mounts, the pods' bridge
# and cgroups. The node's own address stays until the API server, which listens on it, has stopped.
node_stop() {
  local dir=$1 bin=$2 socket="$1/containerd/containerd.sock"
  if running "$dir" kubelet >/dev/null && running "$dir" kube-apiserver >/dev/null; then
    drain "$dir" "$bin" "$socket"
  fi
  stop "$dir" kube-proxy
  if [ -x "$bin/kube-proxy" ]; then
    "$bin/kube-proxy" --cleanup >/dev/null 2>&1 || true
  fi
  stop "$dir" kubelet
  stop "$dir" containerd
  # the runc shims of this containerd outlive it: found by its socket, which names this state directory
  local shim
  for shim in $(pgrep -f "containerd-shim-runc-v2 .*-address $socket" || true); do
    kill -KILL "$shim" 2>/dev/null || true
  done
  unmount_under "$dir"
  if ip link show "$POD_BRIDGE" >/dev/null 2>&1; then
    ip link delete "$POD_BRIDGE"
  fi
  remove_chains
  remove_cgroups "$dir"
  remove_system_paths "$dir"
  rm -rf "$dir/cni/ipam"
}

# node_release DIR: the node's address and the kernel settings, once nothing listens there any more
node_release() {
  local dir=$1
  if ip link show "$NODE_DEVICE" >/dev/null 2>&1; then
    ip link delete "$NODE_DEVICE"
  fi
  restore_kernel "$dir"
}

# drain DIR BIN SOCKET: with the controllers stopped (nothing makes a pod again), every pod is deleted and
# the kubelet tears the pods' sandboxes down, network included; waits until containerd holds no container
drain() {
  local dir=$1 bin=$2 socket=$3
  stop "$dir" kube-scheduler
  stop "$dir" kube-controller-manager
  "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" delete pods --all --all-namespaces --grace-period=0 \
    --force --wait=false >/dev/null 2>&1 || true
  local deadline=$(( $(date +%s) + 60 ))
  while [ -n "$(ctr --address "$socket" --namespace k8s.io containers list -q 2>/dev/null)" ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "down.sh: the kubelet did not remove every pod within 60 s; removing the rest by force" >&2
      return 0
    fi
    sleep 0.5
  done
}

# unmount_under DIR: every mount point below DIR, deepest first (pods' volumes, overlay roots, netns)
unmount_under() {
  local dir=$1 m
  for m in $(awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}

# remove_chains: what is left in iptables of the node once kube-proxy cleaned up after itself: the kubelet's
# KUBE-* chains (its firewall and canaries) and the portmap plugin's CNI-* chains, with the rules of the
# built-in chains that jump to them
remove_chains() {
  local cmd table rule chain
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null 2>&1 || continue
    for table in filter nat mangle; do
      while read -r rule; do
        if [ -n "$rule" ]; then
          eval "$cmd -t $table -D ${rule#-A }" 2>/dev/null || true
        fi
      done <<< "$("$cmd" -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j (KUBE|CNI)-' || true)"
      for chain in $("$cmd" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ {print $2}'); do
        "$cmd" -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$cmd" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ {print $2}'); do
        "$cmd" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

# remove_cgroups DIR: the cgroups pods_cgroup_root made, deepest first (the kubelet's own below them too)
remove_cgroups() {
  local dir=$1 made
  [ -f "$dir/cgroups" ] || return 0
  for made in $(sort -u "$dir/cgroups"); do
    if [ -d "$made" ]; then
      find "$made" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    fi
  done
  rm -f "$dir/cgroups"
}

restore_kernel() {
  local dir=$1 file key
  for file in "$dir"/sysctl.*; do
    [ -f "$file" ] || continue
    key=${file##*/sysctl.}
    sysctl -q -w "$key=$(cat "$file")" || true
    rm -f "$file"
  done
}
