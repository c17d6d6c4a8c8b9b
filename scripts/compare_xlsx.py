#!/usr/bin/env python3
"""Compare two report.xlsx workbooks cell by cell, by value: the same sheets, the same cells,
the same text, numbers equal at the 6 decimals kam writes, and a date cell equal to the same
date written as text. Used by compare-outputs.sh, because the workbook's bytes changed on
purpose when the report began to take its tables typed from memory instead of re-reading
its own CSVs (dates became date cells; customers' numbers are rounded as in customers.csv).
Exit 0 when equal, 1 with the first differences otherwise."""
import datetime
import re
import sys
import zipfile

CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def cells(path):
    z = zipfile.ZipFile(path)
    shared = [
        re.sub(r"<[^>]+>", "", si)
        for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)
    ] if "xl/sharedStrings.xml" in z.namelist() else []
    book = {}
    for name in sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet")):
        sheet = {}
        for ref, attrs, body in CELL.findall(z.read(name).decode()):
            v = re.search(r"<v>(.*?)</v>", body or "")
            t = re.search(r't="(\w+)"', attrs)
            if v is None:
                continue
            sheet[ref] = shared[int(v.group(1))] if t and t.group(1) == "s" else v.group(1)
        book[name] = sheet
    return book


def same(a, b):
    if a == b:
        return True
    try:
        fa, fb = float(a), float(b)
        # kam rounds half to even at 6 decimals; allow the last digit's rounding
        return abs(fa - fb) <= 1e-6 + 1e-9
    except ValueError:
        pass
    for num, text in ((a, b), (b, a)):
        try:
            day = datetime.date(1899, 12, 30) + datetime.timedelta(days=float(num))
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and day.isoformat() == text:
                return True
        except (ValueError, OverflowError):
            pass
    return False


def main(a, b):
    ba, bb = cells(a), cells(b)
    bad = []
    if sorted(ba) != sorted(bb):
        bad.append(f"sheets differ: {sorted(ba)} vs {sorted(bb)}")
    for name in sorted(set(ba) & set(bb)):
        sa, sb = ba[name], bb[name]
        for ref in sorted(set(sa) | set(sb)):
            if not same(sa.get(ref, ""), sb.get(ref, "")):
                bad.append(f"{name} {ref}: {sa.get(ref)!r} vs {sb.get(ref)!r}")
    for line in bad[:10]:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
