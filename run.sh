#!/usr/bin/env bash
# The main job: install what is missing, build in release mode, and train on Fashion-MNIST with the
# defaults on a local cluster (a coordinator and 2 worker processes on loopback). Extra arguments go
# to `plexus launch` (e.g. ./run.sh --rule bp --epochs 10 --workers 4).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
swift build -c release
mkdir -p runs
exec .build/release/plexus launch --workers 2 --metrics runs/metrics.jsonl --save runs/final.ckpt "$@"
