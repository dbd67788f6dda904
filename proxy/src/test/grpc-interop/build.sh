#!/usr/bin/env bash
# Builds grpc-go's official interoperability test client and server (google.golang.org/grpc/interop/client and
# .../interop/server, the version this module pins with its `tool` directives), once: they are cached under a
# directory named after grpc-go's version and a digest of go.sum, so a change of version rebuilds.
# Prints the directory holding them (interop-client, interop-server).
#
#   proxy/src/test/grpc-interop/build.sh    build what is missing, print the directory
#   GANTRY_GRPC_INTEROP_CACHE=DIR           where the builds are cached (default ~/.cache/gantry/grpc-interop)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

version=$(awk '$1 == "google.golang.org/grpc" {print $2}' go.mod)
digest=$(cat go.mod go.sum | sha256sum | cut -c1-12)
cache=${GANTRY_GRPC_INTEROP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry/grpc-interop}
bin="$cache/$version-$digest"

if [ ! -x "$bin/interop-client" ] || [ ! -x "$bin/interop-server" ]; then
  command -v go >/dev/null 2>&1 || {
    echo "build.sh: Go is needed to build grpc-go's interop client and server (Go 1.26 or newer on PATH)" >&2
    exit 1
  }
  echo "build.sh: building grpc-go $version's interop client and server into $bin" >&2
  started=$(date +%s)
  mkdir -p "$bin.partial"
  go build -trimpath -ldflags "-s -w" -o "$bin.partial/interop-client" google.golang.org/grpc/interop/client
  go build -trimpath -ldflags "-s -w" -o "$bin.partial/interop-server" google.golang.org/grpc/interop/server
  mkdir -p "$bin"
  mv "$bin.partial/interop-client" "$bin.partial/interop-server" "$bin/"
  rmdir "$bin.partial" 2>/dev/null || true
  echo "build.sh: built in $(( $(date +%s) - started )) s" >&2
fi
echo "$bin"
