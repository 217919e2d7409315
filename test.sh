#!/usr/bin/env bash
# The test command: install what is missing, check the generated protobuf code is fresh, build, run
# the test suite (unit tests and end-to-end tests that run the built binary), then `plexus verify`.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/generate-proto.sh --check
swift build --build-tests 2>&1 | grep -E 'error|warning:|Compiling plexus|Build' || true
export PLEXUS_BIN="$PWD/.build/debug/plexus"
test -x "$PLEXUS_BIN" || { echo "plexus: error: the debug build failed" >&2; swift build --build-tests; exit 1; }
swift test --skip-build 2>&1 | tee .build/test.log | grep -E '^(✘|✔ Test run|✘ Test run)|error|failed|passed after' | grep -v '^✔ Test "' || true
grep -q 'Test run with .* passed' .build/test.log || { echo "plexus: the test suite failed (see .build/test.log)" >&2; exit 1; }
swift build -c release 2>&1 | grep -E 'error|warning:' || true
.build/release/plexus verify
