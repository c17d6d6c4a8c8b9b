#!/usr/bin/env python3
"""Print Rust functions longer than a limit and source files longer than a limit.

Usage: scripts/sizes.py [--fn-lines 80] [--file-lines 400] [ROOT ...]   (ROOT defaults to src/)

A function's length runs from its `fn` line to its closing brace, both included (doc comments
and attributes above it are not counted). A file's length is its line count. Test files
(`*_tests.rs`, `tests.rs`) are skipped; functions inside them are not listed either.
Exits 1 when anything is listed, so CI can use it as a gate; 0 otherwise.
"""

import argparse
import os
import re
import sys

FN_RE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?"
                   r"(?:extern\s+\"[^\"]*\"\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)")


def is_test_file(path):
    name = os.path.basename(path)
    return name == "tests.rs" or name.endswith("_tests.rs")


def strip_code(text):
    """Blank out comments, strings and char literals (keeping newlines) so braces can be counted."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif c == "/" and nxt == "*":
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            close = '"' + m.group(1)
            j = text.find(close, i + len(m.group(0)))
            j = n if j < 0 else j + len(close)
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c == "'":
            # char literal ('x', '\n', '\u{..}') vs lifetime ('a)
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'", text[i:i + 12])
            if m:
                out.append("' '")
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def long_functions(path, limit):
    with open(path, encoding="utf-8") as f:
        lines = strip_code(f.read()).split("\n")
    found = []
    for start, line in enumerate(lines):
        m = FN_RE.match(line)
        if not m:
            continue
        # walk to the body's opening brace (or a `;` for a bodiless declaration)
        depth, end, opened = 0, None, False
        for k in range(start, len(lines)):
            for ch in lines[k]:
                if ch == "{":
                    depth += 1
                    opened = True
                elif ch == "}":
                    depth -= 1
                elif ch == ";" and not opened and depth == 0:
                    end = -1
                    break
                if opened and depth == 0:
                    end = k
                    break
            if end is not None:
                break
        if end is None or end < 0:
            continue
        length = end - start + 1
        if length > limit:
            found.append((length, m.group(1), start + 1))
    return found


def rust_files(roots):
    for root in roots:
        if os.path.isfile(root):
            yield root
            continue
        for dirpath, _, files in os.walk(root):
            for name in sorted(files):
                if name.endswith(".rs"):
                    yield os.path.join(dirpath, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fn-lines", type=int, default=80)
    ap.add_argument("--file-lines", type=int, default=400)
    ap.add_argument("roots", nargs="*", default=["src"])
    args = ap.parse_args()

    fns, files = [], []
    for path in sorted(rust_files(args.roots)):
        if is_test_file(path):
            continue
        with open(path, encoding="utf-8") as f:
            count = sum(1 for _ in f)
        if count > args.file_lines:
            files.append((count, path))
        for length, name, line in long_functions(path, args.fn_lines):
            fns.append((length, f"{path}:{line}", name))

    print(f"functions over {args.fn_lines} lines: {len(fns)}")
    for length, where, name in sorted(fns, reverse=True):
        print(f"  {length:4d}  {name:<24} {where}")
    print(f"files over {args.file_lines} lines: {len(files)}")
    for count, path in sorted(files, reverse=True):
        print(f"  {count:4d}  {path}")
    return 1 if fns or files else 0


if __name__ == "__main__":
    sys.exit(main())
