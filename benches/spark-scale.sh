#!/usr/bin/env bash
# The Spark feature job and kam on one generated Parquet company, each timed, then compared
# (docs/scale-out.md#measured):
#   1. kam run (release) alone on the raw transactions;
#   2. spark-submit kam_features.py on a local standalone cluster of two 1-core workers;
#   3. kam run --features on the job's output;
#   4. spark/tests/parity.py: the job's rejects, counts and features against kam's.
#   KAM=target/release/kam DIR=/tmp/kam-spark-scale CUSTOMERS=100000 benches/spark-scale.sh
#   CUSTOMERS=2350000 PARTS=16 WORKER_MEMORY=6g SHUFFLE=64 ...   # about 100M transactions
# Prints wall time and peak memory of each step (the job's: its driver; executors are
# separate JVMs of WORKER_MEMORY each) and the stage times of the manifests. PARTS writes the
# transactions as a directory of that many Parquet parts (kam generate --parts), read so by
# kam and by the job.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
KAM="${KAM:-$ROOT/target/release/kam}"
DIR="${DIR:-/tmp/kam-spark-scale}"
CUSTOMERS="${CUSTOMERS:-100000}"
PARTS="${PARTS:-}"
WORKER_MEMORY="${WORKER_MEMORY:-4g}"
SHUFFLE="${SHUFFLE:-8}"
t_start=$(date +%s)
say() { printf '[scale %5ss %s] %s\n' "$(( $(date +%s) - t_start ))" "$(date +%H:%M:%S)" "$*"; }
die() { echo "spark-scale.sh: $*" >&2; exit 1; }
# shellcheck source=spark/tests/spark-env.sh
source "$ROOT/spark/tests/spark-env.sh"
timed() { # label command...: wall seconds and peak resident memory of the command
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %M kB peak, %U s user, %S s system" "$@"
}

if [ ! -f "$DIR/company/kam.toml" ]; then
  say "generating $CUSTOMERS customers, 36 months, Parquet${PARTS:+ in $PARTS parts}, into $DIR/company"
  timed "generate" "$KAM" generate --out "$DIR/company" --customers "$CUSTOMERS" --months 36 \
    --seed 7 --format parquet ${PARTS:+--parts "$PARTS"} --quiet
fi
tx="$DIR/company/transactions"
[ -d "$tx" ] || tx="$tx.parquet"
rows=$("$PY" -c "import pyarrow.dataset as ds; print(ds.dataset('$tx', format='parquet').count_rows())")
say "$rows transaction rows in $tx ($(du -sh "$tx" | cut -f1))"

if [ ! -f "$DIR/kam/manifest.json" ]; then
  say "kam run (raw transactions)"
  timed "kam run" "$KAM" run --config "$DIR/company/kam.toml" --out "$DIR/kam" --quiet 2>&1 | tail -1
fi

if [ ! -f "$DIR/spark/manifest.json" ]; then
  # shellcheck source=spark/tests/cluster.sh
  source "$ROOT/spark/tests/cluster.sh"
  trap cluster_stop EXIT
  cluster_start "$DIR" "$WORKER_MEMORY"
  say "spark-submit kam_features.py"
  timed "spark job" \
    "$SPARK_HOME/bin/spark-submit" --master "$MASTER_URL" --driver-memory 2g \
    --executor-memory "$(( ${WORKER_MEMORY%g} * 1024 - 512 ))m" --executor-cores 1 \
    --total-executor-cores 2 --conf spark.ui.enabled=false \
    --conf spark.sql.shuffle.partitions="$SHUFFLE" \
    --conf spark.pyspark.python="$PY" --conf spark.local.dir="$DIR/spark-local" \
    spark/kam_features.py --config "$DIR/company/kam.toml" --out "$DIR/spark" \
    >"$DIR/spark.log" 2>&1 || { tail -30 "$DIR/spark.log"; die "the job failed"; }
  grep "spark job:" "$DIR/spark.log"
  cluster_stop
  trap - EXIT
  rm -rf "$DIR/spark-local"
fi

if [ -d "$DIR/spark/orders" ] && [ ! -f "$DIR/kam-features/manifest.json" ]; then
  say "kam run --features (the job's output)"
  timed "kam run --features" "$KAM" run --config "$DIR/company/kam.toml" \
    --features "$DIR/spark/features" --out "$DIR/kam-features" --quiet 2>&1 | tail -1
fi

"$PY" - "$DIR" <<'PYEOF'
import json, os, sys
d = sys.argv[1]
def timings(p):
    return json.load(open(p))["timings_ms"] if os.path.exists(p) else None
k = timings(f"{d}/kam/manifest.json")
print("kam stages (ms):", {x: k.get(x) for x in ("load", "validate", "features", "total")} if k else None)
print("spark job (ms):", timings(f"{d}/spark/manifest.json"))
print("kam --features stages (ms):", timings(f"{d}/kam-features/manifest.json"))
PYEOF
say "comparing the job with kam (spark/tests/parity.py)"
timed "parity.py" "$PY" spark/tests/parity.py "$DIR/kam" "$DIR/spark"
