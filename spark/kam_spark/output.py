"""What the job writes: DIR/features/, DIR/orders/ and DIR/rejects/<table>/ as Parquet, and
DIR/manifest.json with kam's `tables.<name>` counts (src/pipeline/emit.rs
`record_validation`, src/validate/mod.rs `Counts`)."""

import json
import os

from . import contract


def write_parquet(df, path):
    df.write.mode("overwrite").parquet(path)


def manifest(cfg, tables, as_of, features_rows, orders_rows, timings, spark_version):
    notes = []
    for t in tables.values():
        notes.extend(f"{t.name}: {n}" for n in t.notes)
    if cfg.not_read:
        notes.append("not read by the feature job (kam reads them): " + ", ".join(cfg.not_read))
    return {
        "job": "kam_features.py (Apache Spark " + spark_version + ")",
        "config_path": cfg.path,
        "as_of": as_of.isoformat() if as_of else None,
        "time_unit": cfg.time_unit,
        "inputs": {i.table.name: {"path": i.path, "format": i.format} for i in cfg.inputs},
        "tables": {name: t.counts for name, t in sorted(tables.items())},
        "notes": notes,
        "outputs": {"features": features_rows, "orders": orders_rows,
                    **{f"rejects/{n}": t.counts["rejected"] for n, t in tables.items()}},
        "feature_columns": ["customer_id", *contract.FEATURES],
        "timings_ms": timings,
    }


def write_manifest(out_dir, m):
    if "://" not in out_dir:
        os.makedirs(out_dir, exist_ok=True)
        tmp = os.path.join(out_dir, ".manifest.json.tmp")
        with open(tmp, "w") as f:
            json.dump(m, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, os.path.join(out_dir, "manifest.json"))
        return
    raise RuntimeError("manifest to a remote --out is written by the caller")
