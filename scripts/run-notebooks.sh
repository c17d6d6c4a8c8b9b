#!/usr/bin/env bash
# Execute the analyst notebooks headless against an output directory, failing on any cell
# error. Usage: scripts/run-notebooks.sh [OUT_DIR]   (default: out)
# The Python environment (pinned versions) lives in target/nb-venv, or $KAM_NB_VENV.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath "${1:-out}")
VENV=${KAM_NB_VENV:-target/nb-venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import polars, nbclient, ipykernel" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    polars==1.31.0 nbclient==0.10.2 nbformat==5.10.4 ipykernel==6.29.5
fi
KAM_OUT="$OUT" "$VENV/bin/python" - notebooks/*.ipynb <<'PY'
import sys, nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': 'notebooks'}}).execute()
    print(f'{path}: {len(nb.cells)} cells executed')
PY
