#!/usr/bin/env bash
# Compare two output directories of `kam run` file by file: every file must exist in both and be
# byte-identical; manifest.json is compared without its wall times (`timings_ms`), the one field
# that changes run to run, and report.xlsx, when its bytes differ, cell by cell by value
# (scripts/compare_xlsx.py; set STRICT_XLSX=1 to demand identical bytes). Exit 0 when
# identical, 1 with the list of differing files otherwise.
#   scripts/compare-outputs.sh before/ after/
set -euo pipefail
a=${1:?usage: compare-outputs.sh DIR_A DIR_B}
b=${2:?usage: compare-outputs.sh DIR_A DIR_B}
list() { (cd "$1" && find . -type f ! -name '.*.tmp' | sort); }
status=0
diff <(list "$a") <(list "$b") >/dev/null || {
  echo "the two directories hold different files:"
  diff <(list "$a") <(list "$b") | grep '^[<>]' || true
  status=1
}
strip() {
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.pop("timings_ms",None); print(json.dumps(m,indent=1,sort_keys=True))' "$1"
}
n=0
while read -r f; do
  [ -f "$b/$f" ] || continue
  n=$((n + 1))
  if [ "$(basename "$f")" = manifest.json ]; then
    if ! diff <(strip "$a/$f") <(strip "$b/$f") >/dev/null; then echo "differs: $f"; status=1; fi
  elif ! cmp -s "$a/$f" "$b/$f"; then
    if [ "$(basename "$f")" = report.xlsx ] && [ -z "${STRICT_XLSX:-}" ] \
      && python3 "$(dirname "$0")/compare_xlsx.py" "$a/$f" "$b/$f"; then
      echo "same values: $f (cells equal by value; bytes differ)"
    else
      echo "differs: $f"; status=1
    fi
  fi
done < <(list "$a")
[ $status -eq 0 ] && echo "identical: $n files compared (see any \"same values\" line above)"
exit $status
