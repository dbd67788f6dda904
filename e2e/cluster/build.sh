#!/usr/bin/env bash
# Builds the cluster's binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
# kube-proxy, kubectl) from the Go modules this directory pins, once: they are cached under a directory named
# after the Kubernetes version and a digest of the module files, so a change of version or of a main rebuilds.
# Prints the directory holding them.
#
#   e2e/cluster/build.sh            build what is missing, print the bin directory
#   GANTRY_KUBE_CACHE=DIR           where the builds are cached (default ~/.cache/gantry/kubernetes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

command -v go >/dev/null 2>&1 || {
  echo "build.sh: Go is needed to build the Kubernetes binaries (Go 1.25 or newer on PATH)" >&2
  exit 1
}

version=$(awk '$1 == "k8s.io/kubernetes" {print $2}' go.mod)
digest=$(cat go.mod go.sum $(find cmd -name '*.go' | sort) | sha256sum | cut -c1-12)
cache=${GANTRY_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry/kubernetes}
bin="$cache/$version-$digest"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

missing=()
for b in "${binaries[@]}"; do
  [ -x "$bin/$b" ] || missing+=("$b")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build.sh: building ${missing[*]} (Kubernetes $version) into $bin; the first build takes a while" >&2
  started=$(date +%s)
  mkdir -p "$bin.partial"
  # -X: what `kubectl version` and the API's /version report; the binaries are otherwise as upstream builds them
  pkg=k8s.io/component-base/version
  minor=$(echo "$version" | cut -d. -f2)
  ldflags="-s -w -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  go build -trimpath -ldflags "$ldflags" -o "$bin.partial/" $(printf './cmd/%s ' "${missing[@]}")
  mkdir -p "$bin"
  for b in "${missing[@]}"; do
    mv "$bin.partial/$b" "$bin/$b"
  done
  rmdir "$bin.partial" 2>/dev/null || true
  echo "build.sh: built in $(( $(date +%s) - started )) s" >&2
fi
echo "$bin"
