#!/usr/bin/env bash
# make bench: every benchmark, results as JSON under bench/results/. Figures are ratios against
# a baseline measured in the same run, on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for script in bench/bench_policy.py bench/bench_deadlines.py bench/bench_detect.py; do
  [ -f "$script" ] && $PY "$script"
done
for script in bench/bench_sar.py bench/bench_misuse.py bench/bench_sar_documents.py; do
  [ -f "$script" ] && $PY "$script"
done
$PY bench/bench_foundation.py --size small
scripts/with-postgres.sh $PY bench/bench_foundation.py --size small
if [ "${BENCH_MEDIUM:-0}" = 1 ]; then
  scripts/with-postgres.sh $PY bench/bench_foundation.py --size medium --verify-events 1000000
fi
