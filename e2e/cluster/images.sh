#!/usr/bin/env bash
# Builds the container images the one-node cluster runs, without a daemon and without pulling anything, as
# image archives (docker-archive format) in DIR/images:
#
#   gantry/pause:1.0         every pod's sandbox: a static C program that waits for its end
#   gantry/proxy:TAG         the proxy's jar on the base below, run as `gantry-proxy` is
#   gantry/operator:TAG      the operator's jar on the same base
#   gantry/e2e-backend:TAG   the end-to-end tests' echo backend on the same base
#   echo-basic               with --conformance: the Gateway API conformance suite's backend, built from the
#                            suite's Go module (conformance/go.mod) as a static binary on an empty base, under
#                            every image name the suite's manifests give it
#   coredns                  with --conformance: the DNS server the suite's base manifests run (for its UDP
#                            tests), built from its own Go module at the version those manifests name
#
# The base is a JRE made with jlink from this machine's JDK, the C libraries it loads, and a minimal root
# filesystem (a nonroot user 65532, /tmp); the images run as that user with the JVM flags of the images
# `./mvnw -Pimages` builds (the parent POM's jvmFlags, and for the proxy those its own POM appends). TAG is
# the POM's images.tag, so the chart's default values name them. The jars must be built first
# (`./mvnw package`). Each image is built again only when what it is made of changed. With --import SOCKET,
# they are imported into that containerd's k8s.io namespace, where a kubelet finds them.
#
#   e2e/cluster/images.sh [--dir DIR] [--import SOCKET] [--conformance]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

dir="$here/../target/cluster"
socket=""
conformance=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift ;;
    --import) socket=$2; shift ;;
    --conformance) conformance=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "images.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$dir/images"
out=$(cd "$dir/images" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tag=$(sed -n 's:.*<images.tag>\(.*\)</images.tag>.*:\1:p' "$root/pom.xml" | head -1)
# shellcheck disable=SC2207
jvm_flags=($(sed -n 's:.*<jvmFlag>\(.*\)</jvmFlag>.*:\1:p' "$root/pom.xml"))
# and those the proxy's POM appends for the proxy image alone
# shellcheck disable=SC2207
proxy_jvm_flags=($(sed -n 's:.*<jvmFlag>\(.*\)</jvmFlag>.*:\1:p' "$root/proxy/pom.xml"))

# archive OUT NAMES CONFIG LAYER_DIR...: an image of the given layers (directories, bottom first) under the
# names in NAMES (separated by spaces); CONFIG is the JSON of its "config" (entrypoint, environment, user)
archive() {
  local file=$1 names=$2 config=$3 staging="$work/archive" layers="" diffs="" layer diff tags=""
  shift 3
  rm -rf "$staging" && mkdir -p "$staging"
  for layer in "$@"; do
    tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$layer" -cf "$staging/layer.tar" .
    diff=$(sha256sum "$staging/layer.tar" | cut -d' ' -f1)
    mkdir -p "$staging/$diff" && mv "$staging/layer.tar" "$staging/$diff/layer.tar"
    layers="$layers\"$diff/layer.tar\","
    diffs="$diffs\"sha256:$diff\","
  done
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$config" "${diffs%,}" > "$staging/config.json"
  local id
  id=$(sha256sum "$staging/config.json" | cut -d' ' -f1)
  mv "$staging/config.json" "$staging/$id.json"
  for name in $names; do tags="$tags\"$name\","; done
  printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":[%s]}]' "$id" "${tags%,}" "${layers%,}" \
    > "$staging/manifest.json"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$staging" -cf "$file.partial" .
  mv "$file.partial" "$file"
  echo "images.sh: built $names ($(du -h "$file" | cut -f1))" >&2
}

# stale FILE SOURCE...: whether FILE is missing or older than any of the sources
stale() {
  local file=$1
  shift
  [ ! -f "$file" ] || [ -n "$(find "$@" -newer "$file" -print -quit)" ]
}

pause() {
  local layer="$work/pause"
  mkdir -p "$layer"
  cc -Os -static -o "$layer/pause" "$here/pause/pause.c"
  strip "$layer/pause"
  archive "$out/pause.tar" gantry/pause:1.0 '{"Entrypoint":["/pause"],"User":"65535:65535"}' "$layer"
}

# The base layer, kept as a directory the application images are stacked on.
base() {
  local layer="$out/base" java_home jre lib
  rm -rf "$layer"
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  jre="$layer/opt/java/openjdk"
  mkdir -p "$layer/opt/java" "$layer/etc" "$layer/tmp" "$layer/home/nonroot"
  chmod 1777 "$layer/tmp"
  # java.se and the JDK modules that libraries load by name (elliptic curves, Unsafe, JFR, the HTTP server)
  "$java_home/bin/jlink" --add-modules java.se,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,jdk.management,jdk.management.jfr,jdk.jfr,jdk.zipfs,jdk.naming.dns,jdk.net,jdk.httpserver \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$jre"
  # The C libraries the JVM loads, and glibc's whole runtime for Netty's epoll and BoringSSL libraries
  # (extracted to /tmp at run time). AWT's X11 libraries are left out: nothing here draws.
  for lib in $(ldd "$jre/bin/java" "$jre/lib/libjli.so" "$jre/lib/server/libjvm.so" \
      "$jre"/lib/lib{java,net,nio,zip,jimage,verify,extnet,management,management_ext,j2pkcs11,prefs}.so \
      | awk '/=> \// {print $3} /^[ \t]*\/lib/ {print $1}' | grep -v "^$jre" | sort -u) \
      /lib/x86_64-linux-gnu/{libdl.so.2,libpthread.so.0,librt.so.1,libgcc_s.so.1}; do
    mkdir -p "$layer$(dirname "$lib")"
    cp -L "$lib" "$layer$lib"
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
    > "$layer/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$layer/etc/group"
  printf 'hosts: files dns\n' > "$layer/etc/nsswitch.conf"
  chown 65532:65532 "$layer/home/nonroot"
  touch "$out/base.built"
  echo "images.sh: built the base layer: a JRE of $("$jre/bin/java" -version 2>&1 | head -1) ($(du -sh "$layer" | cut -f1))" >&2
}

# application NAME FILE ENTRYPOINT...: the base plus one layer with FILE under /app
application() {
  local name=$1 file=$2 layer="$work/app-$1"
  shift 2
  rm -rf "$layer" && mkdir -p "$layer/app"
  cp -r "$file" "$layer/app/"
  local entrypoint
  entrypoint=$(printf '"%s",' "$@")
  archive "$out/$name.tar" "gantry/$name:$tag" "{\"Entrypoint\":[${entrypoint%,}],\"WorkingDir\":\"/app\",\"User\":\"65532:65532\",\"Env\":[\"PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"JAVA_HOME=/opt/java/openjdk\",\"LANG=C.UTF-8\"]}" \
    "$out/base" "$layer"
}

# The conformance suite's echo backend: a static Go program, so an image of that one file. Its names are
# the ones the suite's manifests in the module cache use.
echo_basic() {
  local layer="$work/echo-basic" module names
  mkdir -p "$layer"
  module=$(cd "$root/conformance" && go list -m -f '{{.Dir}}' sigs.k8s.io/gateway-api/conformance)
  names=$(grep -rhoE 'registry\.k8s\.io/gateway-api/echo-basic:[A-Za-z0-9._-]+' "$module" | sort -u | tr '\n' ' ')
  [ -n "$names" ] || { echo "images.sh: no echo-basic image named in $module" >&2; exit 1; }
  (cd "$root/conformance" && CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$layer/echo-basic" \
    sigs.k8s.io/gateway-api/conformance/echo-basic)
  archive "$out/echo-basic.tar" "$names" '{"Entrypoint":["/echo-basic"],"User":"65532:65532"}' "$layer"
}

# CoreDNS at the version the suite's base manifests name, built in its own module (its dependencies are its
# own, not the suite's). It runs as root: the manifests give it NET_BIND_SERVICE for port 53, which the
# upstream image grants its non-root user as a file capability.
coredns() {
  local layer="$work/coredns" module name version source
  mkdir -p "$layer"
  module=$(cd "$root/conformance" && go list -m -f '{{.Dir}}' sigs.k8s.io/gateway-api/conformance)
  name=$(grep -hoE 'registry\.k8s\.io/coredns/coredns:v[0-9.]+' "$module/base/manifests.yaml" | head -1)
  [ -n "$name" ] || { echo "images.sh: no coredns image named in $module/base/manifests.yaml" >&2; exit 1; }
  version=${name##*:}
  source=$(cd "$root/conformance" && go mod download -json "github.com/coredns/coredns@$version" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  (cd "$source" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags=-s -o "$layer/coredns" .)
  archive "$out/coredns.tar" "$name" '{"Entrypoint":["/coredns"],"User":"0:0"}' "$layer"
}

for jar in "$root/proxy/target/gantry-proxy.jar" "$root/operator/target/gantry-operator.jar" \
    "$root/e2e/target/classes/dev/gantry/e2e/backend/EchoBackend.class"; do
  [ -f "$jar" ] || { echo "images.sh: $jar is missing: build the project first (./mvnw package)" >&2; exit 1; }
done

stale "$out/pause.tar" "$here/pause" && pause
stale "$out/base.built" "$0" && base
stale "$out/proxy.tar" "$out/base.built" "$root/proxy/target/gantry-proxy.jar" "$root/pom.xml" "$root/proxy/pom.xml" \
  && application proxy "$root/proxy/target/gantry-proxy.jar" java "${jvm_flags[@]}" "${proxy_jvm_flags[@]}" \
    -jar /app/gantry-proxy.jar
stale "$out/operator.tar" "$out/base.built" "$root/operator/target/gantry-operator.jar" \
  && application operator "$root/operator/target/gantry-operator.jar" java "${jvm_flags[@]}" \
    -jar /app/gantry-operator.jar
stale "$out/e2e-backend.tar" "$out/base.built" "$root/e2e/target/classes" \
  && application e2e-backend "$root/e2e/target/classes" java "${jvm_flags[@]}" -cp /app/classes \
    dev.gantry.e2e.backend.EchoBackend

images="pause proxy operator e2e-backend"
if [ "$conformance" = 1 ]; then
  stale "$out/echo-basic.tar" "$root/conformance/go.mod" "$root/conformance/go.sum" && echo_basic
  stale "$out/coredns.tar" "$root/conformance/go.mod" && coredns
  images="$images echo-basic coredns"
fi

if [ -n "$socket" ]; then
  for image in $images; do
    ctr --address "$socket" --namespace k8s.io images import --snapshotter overlayfs "$out/$image.tar" >/dev/null
  done
  echo "images.sh: imported into the containerd at $socket: $(ctr --address "$socket" --namespace k8s.io \
    images list -q | grep -v '^sha256:' | tr '\n' ' ')" >&2
fi
