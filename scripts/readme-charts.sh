#!/usr/bin/env bash
# Regenerate the README's charts (docs/charts/*.png) from the demo company:
# runs `kam run` on data/demo into target/readme-charts and copies three of its charts.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet -- run --out target/readme-charts >/dev/null
mkdir -p docs/charts
for c in segment_map segment_profiles clv_concentration; do
  cp "target/readme-charts/charts/$c.png" "docs/charts/$c.png"
done
ls -l docs/charts
