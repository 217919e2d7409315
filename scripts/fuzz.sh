#!/usr/bin/env bash
# Fuzzes the wire decoder and the coordinator's push validation with libFuzzer (Swift's -sanitize=fuzzer).
#   scripts/fuzz.sh [SECONDS]     default 30; CI runs a short run, a long one is e.g. scripts/fuzz.sh 3600
# New interesting inputs accumulate in .build/fuzz-corpus; crashes are written as crash-* files and can be
# replayed with .build/debug/PlexusFuzz crash-FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
swift build --product PlexusFuzz --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
  -Xswiftc -parse-as-library > .build/fuzz-build.log 2>&1 || { tail -30 .build/fuzz-build.log; exit 1; }
swift build --product PlexusFuzz > /dev/null
mkdir -p .build/fuzz-corpus .build/fuzz-artifacts
.build/debug/PlexusFuzz --seeds .build/fuzz-corpus
.build/fuzz/debug/PlexusFuzz -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=.build/fuzz-artifacts/ -print_final_stats=1 .build/fuzz-corpus 2>&1 | tail -12
