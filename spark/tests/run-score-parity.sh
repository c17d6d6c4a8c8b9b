#!/usr/bin/env bash
# Parity of spark/score.py with kam, on a real Spark standalone cluster on localhost (a master
# and two workers, 1 core and 1 GB each, spark/tests/cluster.sh). Each case: `kam run`, the
# feature job (spark/kam_features.py) on the same kam.toml, then spark/score.py with kam's
# models on the job's features (and churn on the job's orders, with kam's customers.parquet as
# the attribute table), and spark/tests/score_parity.py compares every scored column with
# kam's customers.parquet. Cases, one per purchase model; each comparison is also shown to
# fail on scores from a perturbed parameter (--selftest):
#   1. the demo company (BG/NBD, its kam.toml: churn by the better AUC, trees);
#   2. a generated company with value.model = "pareto" (Pareto/NBD), churn.model = "logistic";
#   3. a generated company with value.model = "mbgnbd" (MBG/NBD), churn.model = "trees".
# Exits nonzero on any mismatch; never skips: without Java or pyspark it fails.
#
# Environment: KAM_BIN (default: cargo build, target/debug/kam), KAM_SPARK_VENV (default
# ~/.cache/kam/spark-venv; created with pyspark 4 and pyarrow when missing), KAM_SPARK_KEEP=1
# keeps the work directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
t_start=$(date +%s)
say() { printf '[score-parity %4ss] %s\n' "$(( $(date +%s) - t_start ))" "$*"; }
die() { echo "run-score-parity.sh: $*" >&2; exit 1; }

# shellcheck source=spark/tests/spark-env.sh
source "$ROOT/spark/tests/spark-env.sh"

say "unit tests of the scoring functions"
"$PY" spark/tests/test_score_units.py || die "spark/tests/test_score_units.py failed"
"$PY" spark/tests/test_churn_units.py || die "spark/tests/test_churn_units.py failed"

if [ -z "${KAM_BIN:-}" ]; then
  cargo build --locked --quiet
  KAM_BIN="$ROOT/target/debug/kam"
fi
[ -x "$KAM_BIN" ] || die "no kam binary at $KAM_BIN"

WORK="$(mktemp -d /tmp/kam-score-parity.XXXXXX)"
# shellcheck source=spark/tests/cluster.sh
source "$ROOT/spark/tests/cluster.sh"
cleanup() {
  cluster_stop
  if [ "${KAM_SPARK_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

cluster_start "$WORK" 1g
say "cluster up: 2 workers alive"

submit() { # script log args...
  local script=$1 log=$2
  "$SPARK_HOME/bin/spark-submit" --master "$MASTER_URL" \
    --driver-memory 1g --executor-memory 768m --executor-cores 1 --total-executor-cores 2 \
    --driver-java-options "$JVM_OPTS" --conf "spark.executor.extraJavaOptions=$JVM_OPTS" \
    --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 \
    --conf spark.pyspark.python="$PY" "$script" "${@:3}" >"$log" 2>&1 \
    || { tail -30 "$log"; return 1; }
}

failed=0
run_case() { # name config [--selftest]
  local name=$1 cfg=$2 t0
  say "$name: kam run"
  "$KAM_BIN" run --config "$cfg" --out "$WORK/$name-kam" --quiet
  say "$name: spark-submit kam_features.py"
  submit spark/kam_features.py "$WORK/$name-features.log" --config "$cfg" \
    --out "$WORK/$name-spark" || { echo "FAIL: $name: the feature job failed"; failed=1; return; }
  say "$name: spark-submit score.py"
  t0=$(date +%s)
  submit spark/score.py "$WORK/$name-score.log" --models "$WORK/$name-kam/models" \
    --features "$WORK/$name-spark/features" --orders "$WORK/$name-spark/orders" \
    --attributes "$WORK/$name-kam/customers.parquet" --out "$WORK/$name-score" \
    || { echo "FAIL: $name: score.py failed"; failed=1; return; }
  say "$name: score.py took $(( $(date +%s) - t0 )) s: $(grep '^scored:' "$WORK/$name-score.log" || true)"
  local extra=()
  [ "${3:-}" = --selftest ] && extra=(--selftest "$WORK/$name-spark/features")
  "$PY" spark/tests/score_parity.py "$WORK/$name-kam" "$WORK/$name-score" "${extra[@]}" \
    || failed=1
}

with_model() { # dir model churn_model: set [value] and [churn] model in the generated kam.toml
  "$PY" - "$1/kam.toml" "$2" "$3" <<'PYEOF'
import sys
path, model, churn = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path, encoding="utf-8").read()
assert "[value]" not in text and "[churn]" not in text, "the generated kam.toml has them"
open(path, "a", encoding="utf-8").write(
    f'\n[value]\nmodel = "{model}"\n\n[churn]\nmodel = "{churn}"\n')
PYEOF
}

run_case demo data/demo/kam.toml --selftest
"$KAM_BIN" generate --out "$WORK/pareto" --customers 500 --months 24 --seed 11 --quiet
with_model "$WORK/pareto" pareto logistic
run_case pareto "$WORK/pareto/kam.toml" --selftest
"$KAM_BIN" generate --out "$WORK/mbgnbd" --customers 400 --months 18 --seed 5 --quiet
with_model "$WORK/mbgnbd" mbgnbd trees
run_case mbgnbd "$WORK/mbgnbd/kam.toml" --selftest

if [ "$failed" != 0 ]; then
  say "FAILED (logs in $WORK; KAM_SPARK_KEEP=1 keeps them)"
  exit 1
fi
say "score parity passed on 3 cases"
