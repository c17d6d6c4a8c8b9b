"""Compare two kam output directories: `kam run` on raw transactions (RAW_OUT) and `kam run
--features JOB/features` on the Spark job's features and orders (FEAT_OUT).

    python spark/tests/kam_parity.py RAW_OUT FEAT_OUT
    python spark/tests/kam_parity.py --selftest RAW_OUT FEAT_OUT

- every *.csv under RAW_OUT (recursively) except rejects/transactions.csv (the feature run's
  are the Spark job's, with the original file's columns; the raw run reads a copy without
  product and channel) against the same file in FEAT_OUT, and no
  other *.csv in FEAT_OUT: the same header, the same number of rows, cell by cell text equal
  or, when both are numbers, |a - b| <= 1e-6 + 1e-9 |a| (kam prints floats at 6 decimals;
  sums added from pre-aggregated rows can differ in the last printed digit);
- models/*.json: the same keys, numbers within the same tolerance, lists of equal length,
  other values equal; keys named like timings skipped;
- manifest.json: `as_of` and `tables` equal.

Prints a line per file and the mismatches (file, row, column, both values; at most 20) and
exits 1 on any mismatch or a missing file. --selftest requires the comparison to pass on the
real outputs and to fail on copies of FEAT_OUT with one number changed (a CSV cell and a
model value, x 1.001) and with one file removed.
"""

import csv
import json
import math
import os
import shutil
import sys
import tempfile

SHOW = 20
ABS_TOL, REL_TOL = 1e-6, 1e-9
SKIPPED = {os.path.join("rejects", "transactions.csv")}


def number(text):
    """The float a cell holds, or None for text (ids, dates, words)."""
    try:
        x = float(text)
    except ValueError:
        return None
    return x if "_" not in text else None  # float() reads 1_000; kam never writes it


def close(a, b):
    return abs(a - b) <= ABS_TOL + REL_TOL * abs(a)


class Report:
    def __init__(self):
        self.mismatches = []   # (file, where, raw value, feat value)
        self.lines = []        # one summary line per file
        self.files = self.cells = 0
        self.near = 0          # numbers equal within the tolerance, not as text

    def bad(self, file, where, raw, feat):
        self.mismatches.append((file, where, raw, feat))

    def print(self):
        for line in self.lines:
            print(line)
        for file, where, raw, feat in self.mismatches[:SHOW]:
            print(f"  MISMATCH {file} {where}: raw {raw!r} feat {feat!r}")
        if len(self.mismatches) > SHOW:
            print(f"  ... and {len(self.mismatches) - SHOW} more")
        ok = not self.mismatches
        print(f"{'PASS' if ok else 'FAIL'}: {self.files} files, {self.cells} cells and values "
              f"compared ({self.near} numbers equal within the tolerance, not exactly); "
              f"{len(self.mismatches)} mismatches")
        return ok


def csv_files(root):
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(".csv"):
                rel = os.path.relpath(os.path.join(d, n), root)
                if rel not in SKIPPED:
                    out.append(rel)
    return sorted(out)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def compare_csv(raw_dir, feat_dir, rel, r):
    raw, feat = read_csv(os.path.join(raw_dir, rel)), read_csv(os.path.join(feat_dir, rel))
    before = len(r.mismatches)
    header = raw[0] if raw else []
    if header != (feat[0] if feat else []):
        r.bad(rel, "header", header, feat[0] if feat else [])
    elif len(raw) != len(feat):
        r.bad(rel, "rows", len(raw) - 1, len(feat) - 1)
    else:
        for i, (a_row, b_row) in enumerate(zip(raw[1:], feat[1:]), 1):
            if len(a_row) != len(b_row):
                r.bad(rel, f"row {i} fields", len(a_row), len(b_row))
                continue
            for col, a, b in zip(header, a_row, b_row):
                r.cells += 1
                if a == b:
                    continue
                x, y = number(a), number(b)
                if x is None or y is None or not close(x, y):
                    r.bad(rel, f"row {i} column {col}", a, b)
                else:
                    r.near += 1
    n = len(r.mismatches) - before
    r.lines.append(f"{rel}: {max(len(raw) - 1, 0)} rows x {len(header)} columns, "
                   f"{'ok' if n == 0 else f'{n} mismatches'}")


def timing_key(k):
    return "timing" in k.lower()


def compare_json(a, b, file, where, r):
    """Recursive: dicts by key (timing keys skipped), lists by position, numbers within the
    tolerance, everything else equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        ka = {k for k in a if not timing_key(k)}
        kb = {k for k in b if not timing_key(k)}
        for k in sorted(ka ^ kb):
            r.bad(file, f"{where}.{k}", a.get(k, "<absent>"), b.get(k, "<absent>"))
        for k in sorted(ka & kb):
            compare_json(a[k], b[k], file, f"{where}.{k}", r)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            r.bad(file, f"{where} length", len(a), len(b))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            compare_json(x, y, file, f"{where}[{i}]", r)
    else:
        r.cells += 1
        num = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)  # noqa: E731
        if num(a) and num(b):
            if not (a == b or close(a, b)):
                r.bad(file, where, a, b)
            elif a != b:
                r.near += 1
        elif a != b or type(a) is not type(b):
            r.bad(file, where, a, b)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def model_files(d):
    m = os.path.join(d, "models")
    return sorted(n for n in os.listdir(m) if n.endswith(".json")) if os.path.isdir(m) else []


def compare(raw_dir, feat_dir):
    r = Report()
    raw_csv, feat_csv = csv_files(raw_dir), set(csv_files(feat_dir))
    for rel in raw_csv:
        if rel not in feat_csv:
            r.bad(rel, "file", "present", "missing")
            r.lines.append(f"{rel}: MISSING in {feat_dir}")
            continue
        r.files += 1
        compare_csv(raw_dir, feat_dir, rel, r)
    for rel in sorted(feat_csv - set(raw_csv)):
        r.bad(rel, "file", "missing", "present")
        r.lines.append(f"{rel}: only in {feat_dir}")
    raw_models, feat_models = model_files(raw_dir), model_files(feat_dir)
    for n in sorted(set(raw_models) | set(feat_models)):
        rel = os.path.join("models", n)
        if n not in raw_models or n not in feat_models:
            r.bad(rel, "file", "present" if n in raw_models else "missing",
                  "present" if n in feat_models else "missing")
            r.lines.append(f"{rel}: only in {raw_dir if n in raw_models else feat_dir}")
            continue
        r.files += 1
        before = len(r.mismatches)
        compare_json(load_json(os.path.join(raw_dir, rel)), load_json(os.path.join(feat_dir, rel)),
                     rel, "$", r)
        n_bad = len(r.mismatches) - before
        r.lines.append(f"{rel}: {'ok' if n_bad == 0 else f'{n_bad} mismatches'}")
    paths = [os.path.join(d, "manifest.json") for d in (raw_dir, feat_dir)]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        for p in missing:
            r.bad("manifest.json", "file", p, "missing")
    else:
        r.files += 1
        a, b = load_json(paths[0]), load_json(paths[1])
        before = len(r.mismatches)
        for key in ("as_of", "tables"):
            r.cells += 1
            if a.get(key) != b.get(key):
                r.bad("manifest.json", key, a.get(key), b.get(key))
        n_bad = len(r.mismatches) - before
        r.lines.append(f"manifest.json: as_of and tables {'equal' if n_bad == 0 else 'differ'}")
    return r


def main(raw_dir, feat_dir):
    for d in (raw_dir, feat_dir):
        if not os.path.isdir(d):
            print(f"kam_parity.py: no directory {d}", file=sys.stderr)
            return 1
    print(f"comparing {raw_dir} (raw transactions) with {feat_dir} (--features)")
    return 0 if compare(raw_dir, feat_dir).print() else 1


def first_number(path):
    """(row, column) of the first cell of a CSV holding a number of magnitude >= 1 (so that
    x 1.001 is beyond the tolerance)."""
    rows = read_csv(path)
    for i, row in enumerate(rows[1:], 1):
        for j, cell in enumerate(row):
            x = number(cell)
            if x is not None and math.isfinite(x) and abs(x) >= 1:
                return i, j
    raise SystemExit(f"selftest: no number in {path}")


def first_model_number(d):
    """(file, path of keys) of the first number >= 1 in models/*.json, not a timing."""
    def walk(v, keys):
        if isinstance(v, dict):
            for k, x in v.items():
                if not timing_key(k):
                    found = walk(x, keys + [k])
                    if found:
                        return found
        elif isinstance(v, list):
            for i, x in enumerate(v):
                found = walk(x, keys + [i])
                if found:
                    return found
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 1:
            return keys
        return None
    for n in sorted(os.listdir(os.path.join(d, "models"))):
        if n.endswith(".json"):
            keys = walk(load_json(os.path.join(d, "models", n)), [])
            if keys:
                return os.path.join("models", n), keys
    raise SystemExit(f"selftest: no number in {d}/models/*.json")


def perturbed(feat_dir, what):
    """A copy of FEAT_OUT with one thing changed; returns (copy, what to expect in the
    mismatch list: (file, where))."""
    out = tempfile.mkdtemp(prefix="kam-parity-selftest-")
    shutil.copytree(feat_dir, out, dirs_exist_ok=True)
    if what == "csv":
        path = os.path.join(out, "customers.csv")
        rows = read_csv(path)
        i, j = first_number(path)
        rows[i][j] = repr(float(rows[i][j]) * 1.001)
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        return out, ("customers.csv", f"row {i} column {rows[0][j]}")
    if what == "model":
        rel, keys = first_model_number(out)
        m = load_json(os.path.join(out, rel))
        v = m
        for k in keys[:-1]:
            v = v[k]
        v[keys[-1]] = v[keys[-1]] * 1.001
        with open(os.path.join(out, rel), "w", encoding="utf-8") as f:
            json.dump(m, f)
        return out, (rel, "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}"
                                        for k in keys))
    rel = "segments.csv" if os.path.exists(os.path.join(out, "segments.csv")) else \
        next(p for p in csv_files(out) if p != "customers.csv")
    os.remove(os.path.join(out, rel))
    return out, (rel, "file")


def selftest(raw_dir, feat_dir):
    """The comparison passes on the real outputs and fails on each perturbed copy, naming
    the changed file and place."""
    r = compare(raw_dir, feat_dir)
    if r.mismatches:
        r.print()
        print("selftest FAIL: the unperturbed outputs already differ")
        return 1
    print(f"selftest: the unperturbed outputs pass ({r.files} files, {r.cells} cells)")
    for what in ("csv", "model", "removed"):
        out, want = perturbed(feat_dir, what)
        r = compare(raw_dir, out)
        shutil.rmtree(out)
        got = [(f, w) for f, w, _, _ in r.mismatches]
        if want not in got:
            print(f"selftest FAIL: a {what} change at {want} was not caught (got {got[:3]})")
            return 1
        m = next(m for m in r.mismatches if (m[0], m[1]) == want)
        print(f"selftest: caught ({what}): {m[0]} {m[1]}: raw {m[2]!r} feat {m[3]!r}; "
              f"{len(r.mismatches)} mismatch(es) in all")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--selftest":
        sys.exit(selftest(args[1], args[2]))
    if len(args) != 2 or args[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(args[0], args[1]))
