#!/usr/bin/env bash
# The README's screenshot of report.html's first screen (docs/charts/report-first-screen.png):
# runs the demo into target/report-shot and opens report.html in headless Chromium
# (Debian's `chromium`; KAM_CHROMIUM overrides the path), with no network and a fresh profile.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -- run --quiet --out target/report-shot
chromium=${KAM_CHROMIUM:-/usr/bin/chromium}
profile=$(mktemp -d)
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --window-size=1280,1500 --user-data-dir="$profile" \
  --screenshot="$PWD/docs/charts/report-first-screen.png" \
  "file://$PWD/target/report-shot/report.html" >/dev/null 2>&1
rm -rf "$profile"
ls -l docs/charts/report-first-screen.png
