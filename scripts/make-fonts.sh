#!/usr/bin/env bash
# Rebuild the fonts embedded in kam's charts (assets/fonts/), from Debian's font packages:
#   apt-get install fonts-dejavu-core fonts-wqy-microhei
# and fonttools' pyftsubset (pip install fonttools==4.55.3).
#  - kam-latin.ttf: DejaVu Sans subset to Latin, Latin-1, Latin Extended-A, punctuation,
#    arrows and maths symbols (licence: assets/fonts/LICENSE-DejaVu.txt).
#  - kam-cjk.ttf: WenQuanYi Micro Hei (which has Latin glyphs too) subset to ASCII, Latin-1,
#    CJK punctuation, full-width forms, the 3,755 GB2312 level-1 hanzi and every character of
#    src/report/i18n.rs (Apache-2.0, assets/fonts/LICENSE-WenQuanYi.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
PYFTSUBSET=${PYFTSUBSET:-pyftsubset}
OUT=assets/fonts
mkdir -p "$OUT"
"$PYFTSUBSET" /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
  --unicodes="U+0020-007E,U+00A0-017F,U+2000-206F,U+20AC,U+2190-21FF,U+2200-22FF,U+25A0-25FF" \
  --layout-features='kern' --no-hinting --output-file="$OUT/kam-latin.ttf"
chars=$(mktemp)
python3 - "$chars" <<'PY'
import sys
hanzi = []
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            hanzi.append(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
text = open('src/report/i18n.rs', encoding='utf-8').read()
extra = [c for c in text if ord(c) > 0x7F]
open(sys.argv[1], 'w', encoding='utf-8').write(''.join(sorted(set(hanzi + extra))))
PY
"$PYFTSUBSET" /usr/share/fonts/truetype/wqy/wqy-microhei.ttc --font-number=0 \
  --unicodes="U+0020-007E,U+00A0-00FF,U+2000-206F,U+3000-303F,U+FF00-FFEF" \
  --text-file="$chars" --no-hinting --output-file="$OUT/kam-cjk.ttf"
rm -f "$chars"
ls -l "$OUT"/*.ttf
