# Shared by up.sh and down.sh: the cluster's settings, its certificates, and starting and stopping its
# processes by PID. Sourced, not run.

# The cluster's addresses all come from 198.18.0.0/15 (RFC 2544's benchmarking block, which no outside
# network uses): Services from 198.19.0.0/16, pods from 198.18.128.0/17.
SERVICE_CIDR=198.19.0.0/16
SERVICE_API_IP=198.19.0.1
POD_CIDR=198.18.128.0/17
# the one node, and its address (the API server's too, once a node runs: pods reach it there)
NODE_NAME=gantry-node
NODE_IP=198.18.0.1

# Ports are chosen the first time a state directory is used and kept in DIR/cluster.env, so that a process
# brought back later listens where its clients expect it.
cluster_settings() {
  local env="$1/cluster.env" setting name default
  touch "$env"
  for setting in API:6443 ETCD:2379 ETCD_PEER:2380 CONTROLLER_MANAGER:10257 SCHEDULER:10259 KUBELET:10250 \
      KUBELET_HEALTHZ:10248 KUBE_PROXY_HEALTHZ:10256 KUBE_PROXY_METRICS:10249; do
    name=${setting%%:*}
    default=${setting#*:}
    if ! grep -q "^${name}_PORT=" "$env"; then
      local from="GANTRY_CLUSTER_${name}_PORT"
      echo "${name}_PORT=${!from:-$default}" >> "$env"
    fi
  done
  . "$env"
}

# A self-signed cluster CA, the API server's serving certificate, client certificates for the admin
# (system:masters), the controller manager, the scheduler, the node's kubelet and kube-proxy, and the API
# server's calls to kubelets, the kubelet's serving certificate, the aggregation layer's CA and client, and
# the key pair that signs service account tokens. Each is made once per state directory.
make_pki() {
  local pki="$1/pki"
  command -v openssl >/dev/null 2>&1 || { echo "up.sh: openssl is needed to make the cluster's certificates" >&2; return 1; }
  [ -f "$pki/ca.crt" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=gantry-cluster-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  # (made again when it lacks the node's address: state directories of older versions)
  openssl x509 -in "$pki/apiserver.crt" -noout -ext subjectAltName 2>/dev/null | grep -q "IP Address:$NODE_IP" \
    || sign "$pki" apiserver "/CN=kube-apiserver" serverAuth \
    "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:$SERVICE_API_IP,IP:$NODE_IP"
  [ -f "$pki/admin.crt" ] || sign "$pki" admin "/O=system:masters/CN=gantry-admin" clientAuth
  [ -f "$pki/controller-manager.crt" ] || sign "$pki" controller-manager "/CN=system:kube-controller-manager" clientAuth
  [ -f "$pki/scheduler.crt" ] || sign "$pki" scheduler "/CN=system:kube-scheduler" clientAuth
  [ -f "$pki/node.crt" ] || sign "$pki" node "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
  [ -f "$pki/kube-proxy.crt" ] || sign "$pki" kube-proxy "/CN=system:kube-proxy" clientAuth
  [ -f "$pki/kubelet.crt" ] || sign "$pki" kubelet "/CN=$NODE_NAME" serverAuth "DNS:$NODE_NAME,IP:$NODE_IP"
  [ -f "$pki/apiserver-kubelet-client.crt" ] || sign "$pki" apiserver-kubelet-client \
    "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  if [ ! -f "$pki/front-proxy-client.crt" ]; then
    # the aggregation layer's own CA: requests the API server proxies to extension API servers
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=gantry-front-proxy-ca" \
      -keyout "$pki/front-proxy-ca.key" -out "$pki/front-proxy-ca.crt" 2>/dev/null
    sign "$pki" front-proxy-client "/CN=front-proxy-client" clientAuth "" front-proxy-ca
  fi
  if [ ! -f "$pki/sa.pub" ]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key" 2>/dev/null
    openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
  fi
  chmod 600 "$pki"/*.key
}

# kubeconfigs DIR HOST: a kubeconfig per client certificate, for the API server at HOST (made anew each time:
# the API server's address depends on whether a node runs)
kubeconfigs() {
  local dir=$1 host=$2 name
  for name in admin controller-manager scheduler node kube-proxy; do
    kubeconfig "$dir" "$name" "$host"
  done
}

# sign PKI NAME SUBJECT USAGE [SUBJECT_ALT_NAMES [CA]]: NAME.crt and NAME.key, signed by CA (default ca)
sign() {
  local pki=$1 name=$2 subject=$3 usage=$4 san=${5:-} ca=${6:-ca}
  local ext="$pki/$name.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    if [ -n "$san" ]; then echo "subjectAltName=$san"; fi
  } > "$ext"
  openssl req -new -newkey rsa:2048 -nodes -subj "$subject" -keyout "$pki/$name.key" -out "$pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" -CAcreateserial -days 3650 \
    -extfile "$ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$ext"
}

# kubeconfig DIR NAME HOST: DIR/NAME.kubeconfig, the client certificate NAME against the API server at HOST
kubeconfig() {
  local dir=$1 name=$2 host=$3 pki="$1/pki"
  cat > "$dir/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: gantry
  cluster:
    server: https://$host:$API_PORT
    certificate-authority-data: $(base64 -w0 < "$pki/ca.crt")
users:
- name: $name
  user:
    client-certificate-data: $(base64 -w0 < "$pki/$name.crt")
    client-key-data: $(base64 -w0 < "$pki/$name.key")
contexts:
- name: $name@gantry
  context: {cluster: gantry, user: $name}
current-context: $name@gantry
EOF
  chmod 600 "$dir/$name.kubeconfig"
}

# running DIR NAME: the PID of NAME if the process that DIR/pids/NAME.pid names is alive and is NAME
running() {
  local pidfile="$1/pids/$2.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "/$2 " && echo "$pid"
}

# start NAME PROGRAM DIR ARGS...: PROGRAM (a path ending in /NAME) in a session of its own, logging to
# DIR/logs/NAME.log, unless it runs already
start() {
  local name=$1 program=$2 dir=$3 pid
  shift 3
  if pid=$(running "$dir" "$name"); then
    echo "up.sh: $name is running (PID $pid)" >&2
    return 0
  fi
  setsid "$program" "$@" >> "$dir/logs/$name.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$dir/pids/$name.pid"
  # until the child has become the program (before its exec it is a copy of this shell, which running()
  # would take for a process that exited)
  for _ in $(seq 1 100); do
    if running "$dir" "$name" >/dev/null || [ ! -d "/proc/$pid" ]; then
      break
    fi
    sleep 0.05
  done
  echo "up.sh: started $name (PID $pid)" >&2
}

# wait_until WHAT SECONDS NAME DIR COMMAND...: until COMMAND succeeds; fails early, with NAME's log, if NAME exits
wait_until() {
  local what=$1 seconds=$2 name=$3 dir=$4
  shift 4
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if ! running "$dir" "$name" >/dev/null; then
      echo "up.sh: $name exited while waiting until $what; the end of $dir/logs/$name.log:" >&2
      tail -n 30 "$dir/logs/$name.log" >&2
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "up.sh: gave up after $seconds s waiting until $what; the end of $dir/logs/$name.log:" >&2
      tail -n 30 "$dir/logs/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# stop DIR NAME: SIGTERM to NAME's PID, SIGKILL after 15 s; the PID file goes
stop() {
  local dir=$1 name=$2 pid
  if pid=$(running "$dir" "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "down.sh: $name (PID $pid) did not stop within 15 s: killed" >&2
    else
      echo "down.sh: stopped $name (PID $pid)" >&2
    fi
  fi
  rm -f "$dir/pids/$name.pid"
}
