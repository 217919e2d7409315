#!/usr/bin/env bash
# The main job: install what is missing, build in release mode, and train on Fashion-MNIST with the
# defaults. Extra arguments go to `plexus train` (e.g. ./run.sh --rule bp --epochs 10).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
swift build -c release 2>&1 | grep -v '^\[' || true
test -x .build/release/plexus || { echo "plexus: error: the release build failed" >&2; exit 1; }
mkdir -p runs
exec .build/release/plexus train --metrics runs/train.jsonl --save runs/final.ckpt "$@"
