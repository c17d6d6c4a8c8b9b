"""Copy a company directory without the transactions' product and channel columns, for the
kam-vs-kam parity test: `kam run` on raw rows uses products and channels when the
transactions have them, `kam run --features` reads the Spark job's orders table, which
carries none, so the raw run must read transactions without them to be comparable.

    python spark/tests/strip_products.py DIR_IN DIR_OUT

DIR_IN holds kam.toml. Every input file it names ([input.<table>] path: a file or a
directory of Parquet parts) is copied to DIR_OUT, the transactions without the file columns
that are product and channel (under their own names, or the names `columns` maps them to):
CSV through Python's csv module (the same values and rows, blank lines included; the quoting
may differ; a row kam rejects for its field count stays rejected), Parquet through pyarrow. kam.toml is copied byte for byte unless it must change:
an input outside DIR_IN (copied into DIR_OUT, its path rewritten) or a `columns` mapping of
product or channel (removed, as its column is); a rewritten kam.toml loses its comments.
Prints what it dropped, and how many rows repeat an earlier row in every column before and
after (stripping columns can make rows repeats, which kam rejects: the two runs would not be
comparable then).
"""

import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import sys
import tomllib

DROPPED = ("product", "channel")


def fail(msg):
    print(f"strip_products.py: {msg}", file=sys.stderr)
    sys.exit(2)


def inside(rel):
    return not os.path.isabs(rel) and not os.path.normpath(rel).startswith("..")


def repeats(rows):
    seen, n = set(), 0
    for r in rows:
        key = tuple(r)
        n += key in seen
        seen.add(key)
    return n


def strip_csv(src, dst, spec, drop):
    """The CSV without the columns named in `drop`; returns (dropped names, repeats before,
    repeats after)."""
    delim = spec.get("delimiter", ",")
    delim = {"tab": "\t"}.get(delim, delim)
    if len(delim) != 1:
        fail(f"{src}: delimiter {delim!r} is not supported here")
    enc = spec.get("encoding", "utf-8").lower()
    read_enc = "utf-8-sig" if enc in ("utf-8", "utf8") else enc  # kam strips a BOM
    with open(src, newline="", encoding=read_enc) as f:
        raw = f.read()
    eol = "\r\n" if "\r\n" in raw else "\n"
    rows = list(csv.reader(io.StringIO(raw, newline=""), delimiter=delim))
    header = spec.get("has_header", True)
    width = len(rows[0]) if rows else 0
    names = rows[0] if header and rows else [f"column_{i + 1}" for i in range(width)]
    idx = sorted(i for i, n in enumerate(names) if n in drop)
    body = rows[1:] if header else rows
    before = repeats(body)
    out = [[v for i, v in enumerate(r) if i not in idx] for r in rows]
    # kam's ragged rows: when a row has more fields than the header, every row of another
    # count is rejected. Stripping must not bring such a row to the new header's count (a
    # 7-field row of an 8-column file would become a kept 6-field row), so it gets one more
    # (empty) field and stays rejected; its values are never used.
    if any(len(r) > width for r in body):
        for r, o in zip(rows[1:] if header else rows, out[1:] if header else out):
            if r and len(r) != width and len(o) == width - len(idx):
                o.append("")
    after = repeats(out[1:] if header else out)
    with open(dst, "w", newline="", encoding="utf-8" if read_enc == "utf-8-sig" else enc) as f:
        csv.writer(f, delimiter=delim, lineterminator=eol).writerows(out)
    return [names[i] for i in idx], before, after


def strip_parquet(src, dst, drop):
    """The Parquet file, or each part of a directory, without the columns in `drop`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = ([os.path.join(src, n) for n in sorted(os.listdir(src)) if not n.startswith((".", "_"))]
             if os.path.isdir(src) else [src])
    tables, dropped = [], set()
    for path in files:
        t = pq.read_table(path)
        gone = [n for n in t.column_names if n in drop]
        dropped.update(gone)
        t = t.drop_columns(gone)
        tables.append(t)
        out = os.path.join(dst, os.path.basename(path)) if os.path.isdir(src) else dst
        os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        pq.write_table(t, out)
    everything = pa.concat_tables([pq.read_table(p) for p in files]) if files else None
    stripped = pa.concat_tables(tables) if tables else None
    rows = lambda t: list(zip(*[c.to_pylist() for c in t.columns])) if t else []  # noqa: E731
    return sorted(dropped), repeats(rows(everything)), repeats(rows(stripped))


def toml_key(k):
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"no TOML for {v!r}")


def toml_text(d, prefix=()):
    """A TOML document for `d` (what tomllib gives back): a table's plain values, then its
    sub-tables under [dotted.headers]."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in d.items() if not isinstance(v, dict)]
    for k, v in d.items():
        if isinstance(v, dict):
            sub = prefix + (k,)
            body = toml_text(v, sub)
            lines += ["", "[" + ".".join(toml_key(p) for p in sub) + "]", body]
    return "\n".join(x for x in lines if x is not None).strip("\n") + ("\n" if not prefix else "")


def main(dir_in, dir_out):
    cfg_path = os.path.join(dir_in, "kam.toml")
    with open(cfg_path, "rb") as f:
        text = f.read()
    cfg = tomllib.loads(text.decode("utf-8"))
    os.makedirs(dir_out, exist_ok=True)
    rewrite = False
    for table, spec in (cfg.get("input") or {}).items():
        rel = spec.get("path")
        if not rel or "://" in rel:
            fail(f"[input.{table}] path {rel!r}: a local file is needed")
        src = rel if os.path.isabs(rel) else os.path.join(dir_in, rel)
        if not os.path.exists(src):
            fail(f"[input.{table}] {src}: not found")
        if not inside(rel):  # copied into DIR_OUT, the path rewritten
            rel = f"{table}-{os.path.basename(os.path.normpath(rel))}"
            spec["path"], rewrite = rel, True
        dst = os.path.join(dir_out, rel)
        os.makedirs(os.path.dirname(dst) or dir_out, exist_ok=True)
        if table != "transactions":
            if os.path.isdir(src):
                shutil.copytree(src, dst, dirs_exist_ok=True)
            else:
                shutil.copyfile(src, dst)
            continue
        mapping = spec.get("columns") or {}
        targets = {v for k, v in mapping.items() if k not in DROPPED}
        drop = {mapping.get(c, c) for c in DROPPED} - targets
        if any(c in mapping for c in DROPPED):
            spec["columns"] = {k: v for k, v in mapping.items() if k not in DROPPED}
            if not spec["columns"]:
                del spec["columns"]
            rewrite = True
        fmt = spec.get("format") or os.path.splitext(src)[1].lstrip(".").lower()
        if fmt == "parquet" or os.path.isdir(src):
            dropped, before, after = strip_parquet(src, dst, drop)
        elif fmt in ("csv", "tsv", "txt"):
            dropped, before, after = strip_csv(src, dst, spec, drop)
        else:
            fail(f"[input.transactions] format {fmt!r} is not supported here")
        print(f"strip_products: {rel}: dropped {', '.join(dropped) or 'nothing'}; rows "
              f"repeating an earlier row in every column: {before} before, {after} after")
        if after != before:
            print(f"strip_products: WARNING: stripping made {after - before} more repeated "
                  "rows; kam rejects them, so the raw run differs from the Spark job's")
    out_cfg = os.path.join(dir_out, "kam.toml")
    if rewrite:
        new = toml_text(cfg)
        if tomllib.loads(new) != cfg:
            fail("the rewritten kam.toml does not read back as the config")
        with open(out_cfg, "w", encoding="utf-8") as f:
            f.write("# kam.toml of " + os.path.abspath(dir_in) + " without the transactions' "
                    "product and channel columns (spark/tests/strip_products.py)\n" + new)
        print(f"strip_products: {out_cfg} rewritten")
    else:
        with open(out_cfg, "wb") as f:
            f.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
