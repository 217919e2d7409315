#!/usr/bin/env bash
# The test command: install what is missing, check the generated protobuf code is fresh, build, run
# the test suite (unit tests and end-to-end tests that run the built binary), then `plexus verify`.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/generate-proto.sh --check
# The end-to-end tests run the release binary (what users run); the test targets build in debug.
mkdir -p .build
build() {  # build quietly; on failure show the compiler's output and stop
  if ! swift build "$@" > .build/build.log 2>&1; then
    grep -E 'error|warning:' .build/build.log || tail -40 .build/build.log
    echo "plexus: error: swift build $* failed" >&2
    exit 1
  fi
  grep -E 'warning:' .build/build.log | sort -u || true
}
build -c release
export PLEXUS_BIN="$PWD/.build/release/plexus"
build --build-tests
swift test --skip-build > .build/test.log 2>&1 || true
grep -E '^✘|^error|Fatal error' .build/test.log || true
grep -q 'Test run with .* passed' .build/test.log || { echo "plexus: the test suite failed (see .build/test.log)" >&2; exit 1; }
"$PLEXUS_BIN" verify
# A short fuzz run of the wire decoder and push validation (a longer one: scripts/fuzz.sh 3600).
scripts/fuzz.sh "${PLEXUS_FUZZ_SECONDS:-20}"
# The suite's closing line, last, for whoever reads the end of the output.
grep -E 'Test run with .* (passed|failed)' .build/test.log | tail -1
