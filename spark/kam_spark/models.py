"""kam's fitted models and the settings they were scored with, read from a kam run's output:
models/{bgnbd,mbgnbd,pareto_nbd}.json, models/gamma_gamma.json, models/kmeans.json, and the
run's manifest.json (`config.time_unit`, `config.value`: horizon_days, clv_months,
discount_rate, margin). Builds the settings dict scores.py takes.

What kam's own scoring needs and this refuses (Refused, exit 2) rather than guess: no purchase
model, a kmeans.json written before it recorded its `scaling` and `centroids_scaled`.
"""

import json
import os

from .config import Refused

PURCHASE_FILES = [("bgnbd", "bgnbd.json"), ("mbgnbd", "mbgnbd.json"),
                  ("pareto", "pareto_nbd.json")]
DAYS_PER_MONTH = 30.0  # src/value/clv.rs DAYS_PER_MONTH
UNIT_DAYS = {"weeks": 7.0, "days": 1.0}  # src/schema/units.rs TimeUnit::days


def read_json(path):
    """A JSON file, or Refused naming it."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise Refused(f"{path}: cannot read: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise Refused(f"{path}: not JSON: {e}") from None


def _purchase(models_dir):
    found = [(k, f) for k, f in PURCHASE_FILES if os.path.exists(os.path.join(models_dir, f))]
    if not found:
        raise Refused(f"{models_dir}: no purchase model (bgnbd.json, mbgnbd.json or "
                      "pareto_nbd.json): kam's value stage did not run")
    if len(found) > 1:
        raise Refused(f"{models_dir}: more than one purchase model ({', '.join(f for _, f in found)})")
    kind, name = found[0]
    j = read_json(os.path.join(models_dir, name))
    keys = ["r", "alpha", "s", "beta"] if kind == "pareto" else ["r", "alpha", "a", "b"]
    missing = [k for k in keys if not isinstance(j.get(k), (int, float))]
    if missing:
        raise Refused(f"{models_dir}/{name}: lacks {', '.join(missing)}")
    # kam writes no value scores when the purchase model did not converge (stage.rs `score`)
    model = {"kind": kind, **{k: float(j[k]) for k in keys}} if j.get("converged") else None
    return model, name


def _spend(models_dir):
    path = os.path.join(models_dir, "gamma_gamma.json")
    if not os.path.exists(path):
        return None  # kam: no spend model -> the observed average
    j = read_json(path)
    if not j.get("converged"):
        return None
    return float(j["p"]), float(j["q"]), float(j["gamma"])


def _kmeans(models_dir):
    path = os.path.join(models_dir, "kmeans.json")
    if not os.path.exists(path):
        return None  # segmentation not computed: kam writes no segment
    j = read_json(path)
    if "scaling" not in j or "centroids_scaled" not in j:
        raise Refused(f"{path}: written by a kam without `scaling` and `centroids_scaled`; "
                      "rerun kam to record how customers are placed")
    return {"features": j["features"], "transform": j["transform"],
            "scaling": j["scaling"], "centroids_scaled": j["centroids_scaled"]}


def load(models_dir, manifest_path=None):
    """The settings dict of scores.py, and a description for the output manifest."""
    manifest_path = manifest_path or os.path.join(os.path.dirname(
        os.path.abspath(models_dir.rstrip("/"))), "manifest.json")
    man = read_json(manifest_path)
    cfg = man.get("config") or {}
    unit = cfg.get("time_unit", "weeks")
    if unit not in UNIT_DAYS:
        raise Refused(f"{manifest_path}: time_unit {unit!r} is not weeks or days")
    v = cfg.get("value")
    if not v:
        raise Refused(f"{manifest_path}: no config.value (horizon_days, clv_months, ...)")
    days = UNIT_DAYS[unit]
    months = int(v["clv_months"])
    # src/value/stage.rs score_columns: the horizon, a year, then src/value/clv.rs
    # clv_horizons (i * 30 / days_per_unit) and discounts ((1 + d)^i)
    month = DAYS_PER_MONTH / days
    horizons = [float(v["horizon_days"]) / days, 365.0 / days]
    horizons += [float(i) * month for i in range(1, months + 1)]
    discounts = [(1.0 + float(v["discount_rate"])) ** float(i) for i in range(1, months + 1)]
    model, model_file = _purchase(models_dir)
    st = {"purchase": model, "spend": _spend(models_dir), "horizons": horizons,
          "discounts": discounts, "margin": float(v["margin"]), "kmeans": _kmeans(models_dir)}
    about = {"models": os.path.abspath(models_dir), "manifest": os.path.abspath(manifest_path),
             "as_of": man.get("as_of"), "time_unit": unit, "purchase_model": model_file,
             "purchase_converged": model is not None, "spend_model": st["spend"] is not None,
             "segments": st["kmeans"] is not None,
             "value_settings": {k: v[k] for k in ("horizon_days", "clv_months",
                                                  "discount_rate", "margin")}}
    return st, about
