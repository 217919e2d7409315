#!/usr/bin/env bash
# Trains every rule on Fashion-MNIST with the defaults for EPOCHS epochs (default 10) and prints the
# README's accuracy table. Logs go to ${OUT:-runs/accuracy}/RULE.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${EPOCHS:-10}
out=${OUT:-runs/accuracy}
mkdir -p "$out"
bin=.build/release/plexus
[[ -x $bin ]] || swift build -c release
printf '| rule | test accuracy (final) | best | samples/s | command |\n|---|---|---|---|---|\n'
for rule in ${RULES:-bp zil il fa pcfa pckp dfa}; do
  "$bin" train --rule "$rule" --epochs "$epochs" --metrics "$out/$rule.jsonl" --quiet "$@" > "$out/$rule.txt"
  python3 - "$out/$rule.jsonl" "$rule" "$epochs" <<'PY'
import json, sys
done = [json.loads(l) for l in open(sys.argv[1]) if '"event":"done"' in l][-1]
print(f"| {sys.argv[2]} | {100*done['test_accuracy']:.2f} % | {100*done['best_test_accuracy']:.2f} % | "
      f"{done['samples_per_second']:,.0f} | `plexus train --rule {sys.argv[2]} --epochs {sys.argv[3]}` |")
PY
done
