#!/usr/bin/env bash
# Starts a real one-node Kubernetes cluster on this machine, built from Go modules (build.sh), and prints the
# admin kubeconfig's path last.
#
#   e2e/cluster/up.sh                   the control plane and a node: containerd, runc, the CNI bridge,
#                                       kubelet and kube-proxy; Gantry's images built and loaded (images.sh)
#   e2e/cluster/up.sh --control-plane   the control plane only, on 127.0.0.1: etcd, kube-apiserver (RBAC),
#                                       kube-controller-manager, kube-scheduler
#
# It starts only what is not running, so after a process stopped (or was stopped) it brings back just that
# one, on the same ports, with the same certificates and data. e2e/cluster/down.sh stops everything it started
# and removes what it made.
#
#   --dir DIR       state directory: certificates, kubeconfigs, etcd data, logs, PIDs
#                   (default e2e/target/cluster)
#   --check         only say whether this machine can run a node (exit 0), or what it lacks (exit 1)
#   ports, the first time a directory is used (then kept in DIR/cluster.env):
#   GANTRY_CLUSTER_API_PORT (6443), GANTRY_CLUSTER_ETCD_PORT (2379), GANTRY_CLUSTER_ETCD_PEER_PORT (2380),
#   GANTRY_CLUSTER_CONTROLLER_MANAGER_PORT (10257), GANTRY_CLUSTER_SCHEDULER_PORT (10259),
#   GANTRY_CLUSTER_KUBELET_PORT (10250), GANTRY_CLUSTER_KUBELET_HEALTHZ_PORT (10248),
#   GANTRY_CLUSTER_KUBE_PROXY_HEALTHZ_PORT (10256), GANTRY_CLUSTER_KUBE_PROXY_METRICS_PORT (10249)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/node.sh"

node=true
dir="$here/../target/cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --check) node_prerequisites; exit 0 ;;
    --control-plane) node=false ;;
    --dir) dir=$2; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "up.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$dir"/{pki,logs,pids}
dir=$(cd "$dir" && pwd)
if $node; then
  node_prerequisites
  mode=node
  api_host=$NODE_IP
else
  mode=control-plane
  api_host=127.0.0.1
fi
if [ -f "$dir/mode" ] && [ "$(cat "$dir/mode")" != "$mode" ] && running "$dir" kube-apiserver >/dev/null; then
  echo "up.sh: a cluster of another kind ($(cat "$dir/mode")) runs in $dir: stop it first (down.sh --dir $dir)" >&2
  exit 2
fi
echo "$mode" > "$dir/mode"
# The node's address, bridge, iptables chains and pod cgroups are the machine's: two nodes would take each
# other's, so a node from another state directory must be stopped first.
if $node; then
  for other in $(pgrep -x kubelet || true); do
    case "$(tr '\0' ' ' < "/proc/$other/cmdline" 2>/dev/null)" in
      *"--config=$dir/"*) ;;
      *) echo "up.sh: another one-node cluster runs on this machine (kubelet PID $other: $(tr '\0' ' ' \
           < "/proc/$other/cmdline" | grep -o -- '--root-dir=[^ ]*')); one per machine: stop it first with its down.sh --dir" >&2
         exit 2 ;;
    esac
  done
fi

bin=$("$here/build.sh")
echo "$bin" > "$dir/bin"
cluster_settings "$dir"
make_pki "$dir"
$node && node_address
kubeconfigs "$dir" "$api_host"

start etcd "$bin/etcd" "$dir" \
  --name=gantry \
  --data-dir="$dir/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="gantry=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync=true
wait_until "etcd answers" 30 etcd "$dir" curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

pki="$dir/pki"
# With a node, the API server listens on the node's address, which the kubernetes Service leads pods to.
# Without one it listens on loopback, which that Service's endpoints may not hold: nothing reconciles them.
if $node; then reconciler=lease; else reconciler=none; fi
start kube-apiserver "$bin/kube-apiserver" "$dir" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address="$api_host" \
  --advertise-address="$api_host" \
  --endpoint-reconciler-type="$reconciler" \
  --secure-port="$API_PORT" \
  --tls-cert-file="$pki/apiserver.crt" \
  --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" \
  --service-account-signing-key-file="$pki/sa.key" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP \
  --requestheader-client-ca-file="$pki/front-proxy-ca.crt" \
  --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User \
  --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" \
  --proxy-client-key-file="$pki/front-proxy-client.key" \
  --allow-privileged=true \
  --profiling=false
wait_until "the API server is ready" 90 kube-apiserver "$dir" \
  "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" get --raw /readyz

# --kube-api-qps/burst: a test run deletes dozens of namespaces while it creates pods; at the default 20
# requests a second the controllers would queue behind each other for many seconds
start kube-controller-manager "$bin/kube-controller-manager" "$dir" \
  --kubeconfig="$dir/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$dir/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$dir/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$CONTROLLER_MANAGER_PORT" \
  --controllers='*' \
  --use-service-account-credentials=true \
  --kube-api-qps=100 \
  --kube-api-burst=200 \
  --service-account-private-key-file="$pki/sa.key" \
  --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" \
  --cluster-signing-key-file="$pki/ca.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --cluster-cidr="$POD_CIDR" \
  --allocate-node-cidrs=true \
  --node-cidr-mask-size=24 \
  --leader-elect=false \
  --profiling=false

start kube-scheduler "$bin/kube-scheduler" "$dir" \
  --kubeconfig="$dir/scheduler.kubeconfig" \
  --authentication-kubeconfig="$dir/scheduler.kubeconfig" \
  --authorization-kubeconfig="$dir/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$SCHEDULER_PORT" \
  --leader-elect=false \
  --profiling=false

wait_until "the controller manager is healthy" 60 kube-controller-manager "$dir" \
  curl -fsSk "https://127.0.0.1:$CONTROLLER_MANAGER_PORT/healthz"
wait_until "the scheduler is healthy" 60 kube-scheduler "$dir" \
  curl -fsSk "https://127.0.0.1:$SCHEDULER_PORT/healthz"
# the service account controller at work: what every namespace needs before a pod can be created in it
wait_until "the default ServiceAccount exists" 60 kube-controller-manager "$dir" \
  "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" -n default get serviceaccount default

if $node; then
  note_system_paths "$dir"
  node_kernel "$dir"
  containerd_config "$dir"
  start containerd "$(command -v containerd)" "$dir" --config "$dir/containerd/config.toml"
  wait_until "containerd answers" 30 containerd "$dir" \
    ctr --address "$dir/containerd/containerd.sock" version
  "$here/images.sh" --dir "$dir" --import "$dir/containerd/containerd.sock"

  kubelet_config "$dir" "$(pods_cgroup_root "$dir")"
  start kubelet "$bin/kubelet" "$dir" \
    --config="$dir/kubelet/config.yaml" \
    --kubeconfig="$dir/node.kubeconfig" \
    --root-dir="$dir/kubelet/root" \
    --cert-dir="$dir/kubelet/pki" \
    --hostname-override="$NODE_NAME" \
    --node-ip="$NODE_IP"
  wait_until "the node is Ready" 120 kubelet "$dir" \
    "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" wait --for=condition=Ready --timeout=2s "node/$NODE_NAME"

  kube_proxy_config "$dir"
  # -v=2: each sync of its rules is logged with its time, for reading what a Service routed to and when
  start kube-proxy "$bin/kube-proxy" "$dir" --config="$dir/kube-proxy/config.yaml" -v=2
  wait_until "kube-proxy is healthy" 60 kube-proxy "$dir" \
    curl -fsS "http://127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT/healthz"
  what="a one-node cluster ($NODE_NAME at $NODE_IP)"
else
  what="a control plane"
fi

echo "up.sh: $what of Kubernetes $("$bin/kube-apiserver" --version | awk '{print $2}') runs with its API at" \
  "https://$api_host:$API_PORT (state in $dir); stop it with e2e/cluster/down.sh" >&2
echo "$dir/admin.kubeconfig"
