#!/usr/bin/env bash
# The Spark feature job and kam on one generated Parquet company, both timed, then compared
# (spark/tests/parity.py): kam run (release) alone, and spark-submit kam_features.py on a local
# standalone cluster of two 1-core workers (docs/scale-out.md#measured).
#   KAM=target/release/kam DIR=/tmp/kam-spark-scale CUSTOMERS=100000 benches/spark-scale.sh
# Prints wall time and peak memory of each (the job's: its driver; executors are separate
# JVMs of WORKER_MEMORY each) and the stage times of both manifests.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
KAM="${KAM:-$ROOT/target/release/kam}"
DIR="${DIR:-/tmp/kam-spark-scale}"
CUSTOMERS="${CUSTOMERS:-100000}"
WORKER_MEMORY="${WORKER_MEMORY:-4g}"
t_start=$(date +%s)
say() { printf '[scale %4ss] %s\n' "$(( $(date +%s) - t_start ))" "$*"; }
die() { echo "spark-scale.sh: $*" >&2; exit 1; }
# shellcheck source=spark/tests/spark-env.sh
source "$ROOT/spark/tests/spark-env.sh"

if [ ! -f "$DIR/company/transactions.parquet" ]; then
  say "generating $CUSTOMERS customers, 36 months, Parquet, into $DIR/company"
  "$KAM" generate --out "$DIR/company" --customers "$CUSTOMERS" --months 36 --seed 7 \
    --format parquet --quiet
fi
rows=$("$PY" -c "import pyarrow.parquet as pq; print(pq.ParquetFile('$DIR/company/transactions.parquet').metadata.num_rows)")
say "$rows transaction rows"

say "kam run"
/usr/bin/time -f "kam run: %e s wall, %M kB peak" "$KAM" run --config "$DIR/company/kam.toml" \
  --out "$DIR/kam" --quiet 2>&1 | tail -1

# shellcheck source=spark/tests/cluster.sh
source "$ROOT/spark/tests/cluster.sh"
trap cluster_stop EXIT
cluster_start "$DIR" "$WORKER_MEMORY"
say "spark-submit kam_features.py"
/usr/bin/time -f "spark job: %e s wall, driver %M kB peak" \
  "$SPARK_HOME/bin/spark-submit" --master "$MASTER_URL" --driver-memory 2g \
  --executor-memory "$(( ${WORKER_MEMORY%g} * 1024 - 512 ))m" --executor-cores 1 \
  --total-executor-cores 2 --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=8 \
  --conf spark.pyspark.python="$PY" --conf spark.local.dir="$DIR/spark-local" \
  spark/kam_features.py --config "$DIR/company/kam.toml" --out "$DIR/spark" \
  >"$DIR/spark.log" 2>&1 || { tail -30 "$DIR/spark.log"; die "the job failed"; }
grep "spark job:" "$DIR/spark.log"
"$PY" - "$DIR" <<'PYEOF'
import json, sys
d = sys.argv[1]
k = json.load(open(f"{d}/kam/manifest.json"))["timings_ms"]
s = json.load(open(f"{d}/spark/manifest.json"))["timings_ms"]
print("kam stages (ms):", {x: k.get(x) for x in ("load", "validate", "features")})
print("spark job (ms):", s)
PYEOF
"$PY" spark/tests/parity.py "$DIR/kam" "$DIR/spark"
