#!/usr/bin/env bash
# The whole run at scale: generate a company (by default the issue's 1,000,000 customers over
# 36 months, about 41 million transactions, as Parquet), then `kam run` on it under
# `/usr/bin/time -v`, and print wall time, peak memory and each stage's time from the
# manifest's `timings_ms`. The company is generated once and reused while its folder exists.
#
#   benches/scale.sh                         # 1,000,000 customers in /tmp/kam-scale
#   CUSTOMERS=100000 DIR=/tmp/kam-100k benches/scale.sh
#   KAM=target/release/kam RUNS=3 benches/scale.sh
#
# Build first with `cargo build --release`. Needs python3 (standard library only) to read the
# manifest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kam=${KAM:-$root/target/release/kam}
customers=${CUSTOMERS:-1000000}
months=${MONTHS:-36}
seed=${SEED:-7}
dir=${DIR:-/tmp/kam-scale}
runs=${RUNS:-1}
[ -x "$kam" ] || { echo "scale.sh: $kam not found; run cargo build --release first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scale.sh: /usr/bin/time is needed (GNU time)" >&2; exit 2; }

company=$dir/company
if [ ! -f "$company/kam.toml" ]; then
  echo "generating $customers customers x $months months (seed $seed) in $company"
  start=$(date +%s.%N)
  "$kam" generate --out "$company" --customers "$customers" --months "$months" \
    --seed "$seed" --format parquet >/dev/null
  printf 'generated in %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
fi

for i in $(seq 1 "$runs"); do
  out=$dir/out
  rm -rf "$out"
  /usr/bin/time -v -o "$dir/time.txt" "$kam" run --quiet --config "$company/kam.toml" --out "$out"
  python3 - "$out/manifest.json" "$dir/time.txt" "$i" <<'EOF'
import json, re, sys
manifest, timing, run = sys.argv[1], sys.argv[2], sys.argv[3]
m = json.load(open(manifest))
t = open(timing).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"run {run}: wall {secs:.1f} s, peak RSS {rss / 1024 / 1024:.2f} GB")
for name, t in sorted(m.get("tables", {}).items()):
    print(f"  {name}: {t['read']:,} read = {t['used']:,} used + {t['rejected']:,} rejected")
for stage, ms in sorted(m["timings_ms"].items(), key=lambda kv: -kv[1]):
    print(f"  {stage:<18} {ms / 1000:8.2f} s")
EOF
done
