#!/usr/bin/env bash
# Two (or more) kam binaries alternated on `kam validate`, so a slow spell of the machine falls
# on each: prints the min and median of the manifest's load, validate and customer_codes times
# (ms) and of their sum, per binary.
#   benches/ab-validate.sh ROUNDS CONFIG BINARY...
#   e.g. benches/ab-validate.sh 5 /tmp/kam-bench/gen-csv/tx-only.toml /tmp/kam-old target/release/kam
# (the CSV company and its tx-only.toml are made by benches/compare_polars.py)
set -euo pipefail
rounds=${1:?usage: ab-validate.sh ROUNDS CONFIG BINARY...}
config=${2:?usage: ab-validate.sh ROUNDS CONFIG BINARY...}
shift 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$rounds"); do
  for b in "$@"; do
    rm -rf "$out/run"
    "$b" validate --quiet --config "$config" --out "$out/run"
    python3 - "$b" "$out/run/manifest.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[2]))["timings_ms"]
v = [t["load"], t["validate"], t.get("customer_codes", 0)]
print(sys.argv[1], *v, sum(v))
PY
  done
done | python3 -c '
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in sys.stdin:
    b, *v = line.split()
    runs[b].append([int(x) for x in v])
for b, v in runs.items():
    cols = list(zip(*v))
    print(b, "load/validate/codes/sum ms: min", [min(c) for c in cols],
          "median", [statistics.median(c) for c in cols])
'
