#!/usr/bin/env bash
# Regenerates Sources/CPlexusProto from Proto/plexus.proto with protoc-c.
# With --check, regenerates into a temporary folder and fails if the checked-in files differ.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/CPlexusProto
if [[ "${1:-}" == "--check" ]]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  protoc-c --proto_path=Proto --c_out="$tmp" Proto/plexus.proto
  sed -i 's|#include "plexus.pb-c.h"|#include "include/plexus.pb-c.h"|' "$tmp/plexus.pb-c.c"
  if cmp -s "$tmp/plexus.pb-c.h" "$out/include/plexus.pb-c.h" && cmp -s "$tmp/plexus.pb-c.c" "$out/plexus.pb-c.c"; then
    echo "generated protobuf code is up to date"
  else
    echo "error: Sources/CPlexusProto is stale; run scripts/generate-proto.sh and commit the result" >&2
    exit 1
  fi
  exit 0
fi
protoc-c --proto_path=Proto --c_out="$out" Proto/plexus.proto
mv "$out/plexus.pb-c.h" "$out/include/plexus.pb-c.h"
sed -i 's|#include "plexus.pb-c.h"|#include "include/plexus.pb-c.h"|' "$out/plexus.pb-c.c"
echo "regenerated $out from Proto/plexus.proto"
