#!/usr/bin/env bash
# Starts a real Kubernetes control plane on 127.0.0.1, built from Go modules (build.sh): etcd, kube-apiserver
# (RBAC authorization), kube-controller-manager (garbage collector, namespaces, service accounts and tokens,
# deployments, replica sets, endpoint slices, ...) and kube-scheduler. Prints the admin kubeconfig's path last.
#
#   e2e/cluster/up.sh --control-plane [--dir DIR]
#
# It starts only what is not running, so after a process stopped (or was stopped) it brings back just that
# one, on the same ports, with the same certificates and data. e2e/cluster/down.sh stops everything it started.
#
#   --dir DIR       state directory: certificates, kubeconfigs, etcd data, logs, PIDs
#                   (default e2e/target/cluster)
#   ports, the first time a directory is used (then kept in DIR/cluster.env):
#   GANTRY_CLUSTER_API_PORT (6443), GANTRY_CLUSTER_ETCD_PORT (2379), GANTRY_CLUSTER_ETCD_PEER_PORT (2380),
#   GANTRY_CLUSTER_CONTROLLER_MANAGER_PORT (10257), GANTRY_CLUSTER_SCHEDULER_PORT (10259)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

control_plane_only=false
dir="$here/../target/cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --control-plane) control_plane_only=true ;;
    --dir) dir=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "up.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if ! $control_plane_only; then
  echo "up.sh: only the control plane can be started so far: run up.sh --control-plane" >&2
  exit 2
fi

mkdir -p "$dir"/{pki,logs,pids}
dir=$(cd "$dir" && pwd)
bin=$("$here/build.sh")
cluster_settings "$dir"
make_pki "$dir"

start etcd "$bin" "$dir" \
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
# --endpoint-reconciler-type=none: the API server's address is loopback, which the kubernetes Service's
# Endpoints may not hold; nothing in the control plane reaches the API through that Service.
start kube-apiserver "$bin" "$dir" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 \
  --endpoint-reconciler-type=none \
  --secure-port="$API_PORT" \
  --tls-cert-file="$pki/apiserver.crt" \
  --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --authorization-mode=Node,RBAC \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" \
  --service-account-signing-key-file="$pki/sa.key" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
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

start kube-controller-manager "$bin" "$dir" \
  --kubeconfig="$dir/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$dir/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$dir/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$CONTROLLER_MANAGER_PORT" \
  --controllers='*' \
  --use-service-account-credentials=true \
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

start kube-scheduler "$bin" "$dir" \
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

echo "up.sh: control plane of Kubernetes $("$bin/kube-apiserver" --version | awk '{print $2}') running on" \
  "https://127.0.0.1:$API_PORT (state in $dir); stop it with e2e/cluster/down.sh" >&2
echo "$dir/admin.kubeconfig"
