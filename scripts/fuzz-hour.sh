#!/usr/bin/env bash
# An hour (or SECONDS_TOTAL) of the proptest fuzz harness (tests/fuzz.rs) in the release build:
# rounds of 5,000 fresh random cases until the time is up; stops at the first failing round.
#   scripts/fuzz-hour.sh            # 3600 s
#   SECONDS_TOTAL=600 scripts/fuzz-hour.sh
set -euo pipefail
cd "$(dirname "$0")/.."
total_s=${SECONDS_TOTAL:-3600}
cargo test --release --test fuzz --no-run
bin=$(ls -t target/release/deps/fuzz-* | grep -v '\.d$' | head -1)
start=$(date +%s); cases=0; rounds=0
while [ $(( $(date +%s) - start )) -lt "$total_s" ]; do
  PROPTEST_CASES=5000 "$bin" random > /dev/null
  cases=$((cases + 5000)); rounds=$((rounds + 1))
  echo "round $rounds: $cases cases, $(( $(date +%s) - start )) s"
done
echo "done: $cases cases in $rounds rounds, $(( $(date +%s) - start )) s, no finding"
