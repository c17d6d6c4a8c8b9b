# The Python and Spark the parity scripts and benches/spark-scale.sh run with. Sourced after
# the caller defines say and die; reads KAM_SPARK_VENV (default ~/.cache/kam/spark-venv,
# created with pyspark 4 and pyarrow when missing) and sets PY, SPARK_HOME, PYSPARK_PYTHON,
# PYSPARK_DRIVER_PYTHON and SPARK_LOCAL_IP. Fails (never skips) without Java or pyspark.

command -v java >/dev/null 2>&1 || die "java not found: Spark needs a JRE 17 or later (apt-get install openjdk-17-jre-headless)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"

VENV="${KAM_SPARK_VENV:-$HOME/.cache/kam/spark-venv}"
if ! "$VENV/bin/python" -c "import pyspark, pyarrow" >/dev/null 2>&1; then
  say "creating $VENV with pyspark 4 and pyarrow (about 450 MB)"
  python3 -m venv "$VENV" || die "cannot create the venv $VENV"
  "$VENV/bin/pip" install --quiet 'pyspark==4.*' pyarrow || die "pip could not install pyspark"
fi
PY="$VENV/bin/python"
SPARK_HOME="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')" \
  || die "pyspark is not importable from $VENV"
export SPARK_HOME PYSPARK_PYTHON="$PY" PYSPARK_DRIVER_PYTHON="$PY" SPARK_LOCAL_IP=127.0.0.1
[ -x "$SPARK_HOME/bin/spark-class" ] || die "no spark-class in $SPARK_HOME"
