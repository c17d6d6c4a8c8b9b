# A Spark standalone cluster on localhost from the pyspark package: a master and two workers
# of one core each. Sourced by run-parity.sh and benches/spark-scale.sh, which set PY (the
# venv's python), SPARK_HOME and the functions say and die, and call cluster_stop on exit.
#   cluster_start WORK_DIR WORKER_MEMORY   -> MASTER_URL, PIDS
#   cluster_stop                           -> the master and workers ended (their executors too)

PIDS=()
# Short-lived JVMs on 2 cores: the quick JIT tier only and the serial collector (results do
# not depend on it; the demo job took 55 s -> 38 s in local mode).
JVM_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cluster_start() {
  local work=$1 memory=$2 master_ui w alive=0
  export SPARK_LOG_DIR="$work/logs" SPARK_NO_DAEMONIZE=1 SPARK_DAEMON_JAVA_OPTS="$JVM_OPTS"
  mkdir -p "$SPARK_LOG_DIR"
  MASTER_PORT=$(free_port); master_ui=$(free_port)
  MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
  say "starting a Spark $("$PY" -c 'import pyspark; print(pyspark.__version__)') master and two workers ($memory, 1 core each) at $MASTER_URL"
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port "$MASTER_PORT" --webui-port "$master_ui" >"$work/logs/master.log" 2>&1 &
  PIDS+=($!)
  for w in 1 2; do
    "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
      --cores 1 --memory "$memory" --webui-port "$(free_port)" --work-dir "$work/worker$w" \
      "$MASTER_URL" >"$work/logs/worker$w.log" 2>&1 &
    PIDS+=($!)
  done
  for _ in $(seq 1 120); do
    alive=$("$PY" - "$master_ui" <<'PYEOF' 2>/dev/null || echo 0
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json/", timeout=2) as r:
    print(sum(1 for w in json.load(r).get("workers", []) if w.get("state") == "ALIVE"))
PYEOF
)
    [ "$alive" = 2 ] && return 0
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { tail -20 "$work"/logs/*.log; die "a Spark process died while starting"; }
    done
    sleep 0.5
  done
  tail -20 "$work"/logs/*.log
  die "the two workers did not register with the master within 60 s"
}

cluster_stop() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  PIDS=()
}
