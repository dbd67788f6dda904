#!/usr/bin/env bash
# Builds h2spec, the HTTP/2 conformance suite, from the Go module this directory pins, once: it is cached
# under a directory named after h2spec's version and a digest of this module, so a change rebuilds.
# Prints the path of the binary.
#
#   proxy/src/test/h2spec/build.sh      build it if missing, print its path
#   GANTRY_H2SPEC_CACHE=DIR             where the build is cached (default ~/.cache/gantry/h2spec)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

version=$(awk '{ for (i = 1; i < NF; i++) if ($i == "github.com/summerwind/h2spec") print $(i + 1) }' go.mod)
digest=$(cat go.mod go.sum main.go | sha256sum | cut -c1-12)
cache=${GANTRY_H2SPEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry/h2spec}
bin="$cache/$version-$digest/h2spec"

if [ ! -x "$bin" ]; then
  command -v go >/dev/null 2>&1 || {
    echo "build.sh: Go is needed to build h2spec (Go 1.25 or newer on PATH)" >&2
    exit 1
  }
  echo "build.sh: building h2spec $version into $(dirname "$bin")" >&2
  mkdir -p "$(dirname "$bin")"
  go build -trimpath -ldflags "-s -w" -o "$bin.partial" .
  mv "$bin.partial" "$bin"
fi
echo "$bin"
