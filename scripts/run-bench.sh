#!/usr/bin/env bash
# make bench: every benchmark, results as JSON under bench/results/. Figures are ratios against
# a baseline measured in the same run, on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for script in bench/bench_policy.py bench/bench_deadlines.py bench/bench_detect.py; do
  [ -f "$script" ] && $PY "$script"
done
for script in bench/bench_sar.py bench/bench_misuse.py bench/bench_relay.py bench/bench_sar_documents.py; do
  [ -f "$script" ] && $PY "$script"
done
if [ "${BENCH_SAR_DOCUMENTS_FULL:-0}" = 1 ]; then
  # The whole 2,000-page care file end to end (a quiet machine: 30-60 minutes).
  $PY bench/bench_sar_documents.py --full
fi
$PY bench/bench_foundation.py --size small
scripts/with-postgres.sh $PY bench/bench_foundation.py --size small
# The audit chain's append rate against plain inserts (8 and 32 writers); then, on one medium
# council, single-user page times and the production stack under load (10, 40, 80 users;
# audited and not).
scripts/with-postgres.sh $PY bench/bench_audit.py
scripts/with-postgres.sh bash -c "$PY bench/bench_pages.py --size medium && $PY bench/bench_page_cpu.py --size medium && $PY bench/bench_load.py --size medium"
if [ "${BENCH_LARGE:-0}" = 1 ]; then
  # The council-sized data set (1,000,000 people, 10,000,000 entries; progress on stderr), then
  # the same page times and a load run at 40 users on it.
  scripts/with-postgres.sh bash -c "$PY bench/bench_pages.py --size large && $PY bench/bench_load.py --size large --levels 40"
fi
if [ "${BENCH_MEDIUM:-0}" = 1 ]; then
  scripts/with-postgres.sh $PY bench/bench_foundation.py --size medium --verify-events 1000000
fi
