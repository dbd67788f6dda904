#!/usr/bin/env bash
# Runs the Gateway API conformance suite (sigs.k8s.io/gateway-api/conformance, the version in go.mod) against
# Gantry on the one-node cluster of e2e/cluster, and writes the suite's report.
#
#   conformance/run.sh [--keep] [-- SUITE_FLAGS...]
#
# Steps: start the cluster (e2e/cluster/up.sh, which also builds and loads Gantry's images); build the suite's
# echo backend from the same Go module and load it under the image names the suite's manifests use
# (images.sh --conformance); install the Gateway API CRDs of the standard channel from the module; install Gantry
# with its chart (Gateway API on, GatewayClass `gantry`) and wait for its operator; run the suite with the profiles
# and features below against the `gantry` GatewayClass; stop the cluster (down.sh) unless --keep. The project must
# be built first (./mvnw package -DskipTests). helm is taken from the PATH, or else built from its Go module.
#
#   --keep          leave the cluster running afterwards (stop it with e2e/cluster/down.sh --dir DIR)
#   --dir DIR       the cluster's state directory (default e2e/target/conformance-cluster)
#   REPORT          where the report goes (default conformance/target/report.yaml)
#   PROFILES        the conformance profiles, comma-separated (default GATEWAY-HTTP; GATEWAY-TLS, GATEWAY-GRPC and
#                   GATEWAY-TCP also run: TLSRoute passthrough, GRPCRoute and TCPRoute are served)
#   FEATURES        supported features beyond the profiles' core (default: none given, so the suite takes those the
#                   GatewayClass lists in status.supportedFeatures)
#   RUN_TEST        run one test by its short name (the suite's -run-test)
#   USABLE_ADDRESS  the Gateway address GatewayStaticAddresses expects to be served (the suite's -usable-address;
#                   default 198.19.0.200: in the cluster's Service CIDR, 198.19.0.0/16, inside the low band that
#                   Kubernetes keeps for static cluster IPs, which its own picks take last)
#   UNUSABLE_ADDRESS the one it expects to be refused (-unusable-address; default 192.0.2.10, TEST-NET-1, outside
#                   the Service CIDR)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cluster="$root/e2e/cluster"

keep=false
dir="$root/e2e/target/conformance-cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=true ;;
    --dir) dir=$2; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
: "${REPORT:=$here/target/report.yaml}" "${PROFILES:=GATEWAY-HTTP}" "${FEATURES:=}"
: "${RUN_TEST:=}" "${USABLE_ADDRESS:=198.19.0.200}" "${UNUSABLE_ADDRESS:=192.0.2.10}"
HELM_VERSION=v3.22.0   # built when no helm is on the PATH
mkdir -p "$(dirname "$REPORT")" "$here/target"

# The suite as a test binary, built again only when the module changed.
suite="$here/target/gateway-conformance.test"
if [ ! -x "$suite" ] || [ -n "$(find "$here/go.mod" "$here/go.sum" "$here"/*.go -newer "$suite" -print -quit)" ]; then
  echo "run.sh: building the conformance suite" >&2
  (cd "$here" && go test -c -o "$suite" .)
fi

# helm from the PATH, or else built once from its Go module
helm=$(command -v helm || true)
if [ -z "$helm" ]; then
  helm="$here/target/bin/helm"
  if [ ! -x "$helm" ]; then
    echo "run.sh: no helm on the PATH; building helm $HELM_VERSION from its Go module" >&2
    GOBIN="$here/target/bin" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  fi
fi

stop() {
  if ! $keep; then
    "$cluster/down.sh" --dir "$dir" >&2 || true
  fi
}
trap stop EXIT

kubeconfig=$("$cluster/up.sh" --dir "$dir" | tail -1)
export KUBECONFIG=$kubeconfig
bin=$(cat "$dir/bin")
"$cluster/images.sh" --dir "$dir" --conformance --import "$dir/containerd/containerd.sock"

gateway_api=$(cd "$here" && go list -m -f '{{.Dir}}' sigs.k8s.io/gateway-api)
"$bin/kubectl" apply --server-side -f "$gateway_api/config/crd/standard/" >&2
"$bin/kubectl" wait --for condition=Established --timeout 60s crd --all >&2

# Gantry as a user installs it: the chart's default images (loaded by images.sh), Gateway API on
"$helm" upgrade --install gantry "$root/charts/gantry" --kubeconfig "$kubeconfig" --namespace gantry-system \
  --create-namespace --set gatewayAPI.enabled=true --set gatewayAPI.gatewayClass.create=true \
  --wait --timeout 5m >&2
"$bin/kubectl" wait --for condition=Accepted --timeout 120s gatewayclass/gantry >&2

version=$(sed -n 's:.*<images.tag>\(.*\)</images.tag>.*:\1:p' "$root/pom.xml" | head -1)
args=(-gateway-class gantry -conformance-profiles "$PROFILES" -report-output "$REPORT"
  -organization gantry -project gantry -url https://gantry.dev -version "$version" -contact gantry
  -cleanup-base-resources=false -usable-address "$USABLE_ADDRESS" -unusable-address "$UNUSABLE_ADDRESS")
[ -n "$FEATURES" ] && args+=(-supported-features "$FEATURES")
[ -n "$RUN_TEST" ] && args+=(-run-test "$RUN_TEST")
(cd "$here" && "$suite" -test.v -test.timeout 90m "${args[@]}" "$@") | tee "$here/target/suite.log"
