#!/usr/bin/env bash
# Parity of the Spark feature job with kam, on a real Spark standalone cluster on localhost
# (a master and two workers, 1 core and 1 GB each, from the pyspark package):
#   1. the demo company; 2. the demo at an earlier as_of (rows after it rejected);
#   3. a generated company with messy rows planted (spark/tests/mess.py);
#   4. a generated Parquet company, read by the job as directories of parts (parts.py).
# Each case: `kam run` and `spark-submit spark/kam_features.py` on the same kam.toml, then
# spark/tests/parity.py compares rejects, manifest counts and features. The comparison is
# first shown to fail on perturbed outputs.
# Then kam on the job's output: for each case, `kam run --features JOB/features` (which
# reads the job's features and orders) against `kam run` on the same inputs without the
# transactions' product and channel columns (strip_products.py; the orders carry none),
# compared file by file by spark/tests/kam_parity.py (shown first to fail on a changed
# number and a missing file). Exits nonzero on any mismatch; never skips: without Java,
# pyspark or a kam with `run --features` it fails.
#
# Environment: KAM_BIN (default: cargo build, target/debug/kam), KAM_SPARK_VENV (default
# ~/.cache/kam/spark-venv; created with pyspark 4 and pyarrow when missing), KAM_SPARK_KEEP=1
# keeps the work directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
t_start=$(date +%s)
say() { printf '[parity %4ss] %s\n' "$(( $(date +%s) - t_start ))" "$*"; }
die() { echo "run-parity.sh: $*" >&2; exit 1; }

# shellcheck source=spark/tests/spark-env.sh
source "$ROOT/spark/tests/spark-env.sh"

say "unit tests of the job's pure parts"
"$PY" spark/tests/test_units.py || die "spark/tests/test_units.py failed"
say "unit test of the orders table (local Spark, master local[1])"
orders_log="$(mktemp /tmp/kam-test-orders.XXXXXX)"
"$PY" spark/tests/test_orders.py >"$orders_log" 2>&1 \
  || { cat "$orders_log"; die "spark/tests/test_orders.py failed"; }
tail -3 "$orders_log"; rm -f "$orders_log"

if [ -z "${KAM_BIN:-}" ]; then
  cargo build --locked --quiet
  KAM_BIN="$ROOT/target/debug/kam"
fi
[ -x "$KAM_BIN" ] || die "no kam binary at $KAM_BIN"
"$KAM_BIN" run --help | grep -q -- '--features' \
  || die "$KAM_BIN has no 'run --features' (the kam-vs-kam cases need it)"

WORK="$(mktemp -d /tmp/kam-parity.XXXXXX)"
# shellcheck source=spark/tests/cluster.sh
source "$ROOT/spark/tests/cluster.sh"
cleanup() {
  cluster_stop
  if [ "${KAM_SPARK_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

t_cluster=$(date +%s)
cluster_start "$WORK" 1g
say "cluster up in $(( $(date +%s) - t_cluster )) s: 2 workers alive"

SPARK_CONF=()  # extra --conf of the next case
submit() { # config out [--as-of DATE]
  "$SPARK_HOME/bin/spark-submit" --master "$MASTER_URL" \
    --driver-memory 1g --executor-memory 768m --executor-cores 1 --total-executor-cores 2 \
    --driver-java-options "$JVM_OPTS" --conf "spark.executor.extraJavaOptions=$JVM_OPTS" \
    --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 \
    --conf spark.pyspark.python="$PY" "${SPARK_CONF[@]}" \
    spark/kam_features.py --config "$1" --out "$2" "${@:3}" >"$2.log" 2>&1 \
    || { tail -30 "$2.log"; return 1; }
}

failed=0
run_case() { # name kam-config spark-config [--as-of DATE]
  local name=$1 cfg=$2 spark_cfg=$3
  say "$name: kam run"
  "$KAM_BIN" run --config "$cfg" --out "$WORK/$name-kam" --quiet "${@:4}"
  say "$name: spark-submit kam_features.py"
  local t0; t0=$(date +%s)
  submit "$spark_cfg" "$WORK/$name-spark" "${@:4}" || { echo "FAIL: $name: the Spark job failed"; failed=1; return; }
  say "$name: Spark job took $(( $(date +%s) - t0 )) s; comparing"
  "$PY" spark/tests/parity.py "$WORK/$name-kam" "$WORK/$name-spark" || failed=1
}

# kam on the job's output: `kam run --features` (the case's own config) against `kam run` on
# a copy of the inputs without product and channel columns, both at the case's as_of.
feat_case() { # name stripped-dir case-config [--as-of DATE]
  local name=$1 stripped=$2 cfg=$3
  [ -f "$WORK/$name-spark/manifest.json" ] || { echo "FAIL: $name: no job output for --features"; failed=1; return; }
  say "$name: kam run without products; kam run --features $name-spark/features"
  "$KAM_BIN" run --config "$stripped/kam.toml" --out "$WORK/$name-raw" --quiet "${@:4}" \
    || { echo "FAIL: $name: kam run on the stripped inputs failed"; failed=1; return; }
  "$KAM_BIN" run --config "$cfg" --features "$WORK/$name-spark/features" \
    --out "$WORK/$name-feat" --quiet "${@:4}" \
    || { echo "FAIL: $name: kam run --features failed"; failed=1; return; }
  "$PY" spark/tests/kam_parity.py "$WORK/$name-raw" "$WORK/$name-feat" || failed=1
}

run_case demo data/demo/kam.toml data/demo/kam.toml
say "selftest: the comparison must catch a changed feature, reject and count"
"$PY" spark/tests/parity.py --selftest "$WORK/demo-kam" "$WORK/demo-spark" || failed=1
"$PY" spark/tests/strip_products.py data/demo "$WORK/demo-stripped"
feat_case demo "$WORK/demo-stripped" data/demo/kam.toml
if [ -d "$WORK/demo-feat" ]; then
  say "selftest: the kam-vs-kam comparison must catch a changed number and a missing file"
  "$PY" spark/tests/kam_parity.py --selftest "$WORK/demo-raw" "$WORK/demo-feat" || failed=1
fi
run_case demo-asof data/demo/kam.toml data/demo/kam.toml --as-of 2025-10-01
feat_case demo-asof "$WORK/demo-stripped" data/demo/kam.toml --as-of 2025-10-01
"$KAM_BIN" generate --out "$WORK/messy" --customers 500 --months 24 --seed 11 --quiet
"$PY" spark/tests/mess.py "$WORK/messy"
run_case messy "$WORK/messy/kam.toml" "$WORK/messy/kam.toml"
"$PY" spark/tests/strip_products.py "$WORK/messy" "$WORK/messy-stripped"
feat_case messy "$WORK/messy-stripped" "$WORK/messy/kam.toml"
# Parquet, typed columns; the job reads directories of parts in 16 kB splits (several tasks
# per file), kam the single files: the row numbers must agree.
"$KAM_BIN" generate --out "$WORK/parquet" --customers 300 --months 12 --seed 5 --format parquet --quiet
"$PY" spark/tests/parts.py "$WORK/parquet"
SPARK_CONF=(--conf spark.sql.files.maxPartitionBytes=16k --conf spark.sql.files.openCostInBytes=1k)
run_case parquet "$WORK/parquet/kam.toml" "$WORK/parquet/kam-parts.toml"
SPARK_CONF=()
"$PY" spark/tests/strip_products.py "$WORK/parquet" "$WORK/parquet-stripped"
feat_case parquet "$WORK/parquet-stripped" "$WORK/parquet/kam.toml"

if [ "$failed" != 0 ]; then
  say "FAILED (logs in $WORK/logs; KAM_SPARK_KEEP=1 keeps them)"
  exit 1
fi
say "parity passed on 4 cases, the job's output and kam run --features on each"
