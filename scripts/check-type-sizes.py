#!/usr/bin/env python3
"""Fails when a hand-written type in Sources/ spans more than LIMIT lines counting all its extensions.

A type that grows past that holds more than one concern and should be split into rooms (see
docs/architecture.md). The count is the lines of every top-level `class`/`struct`/`enum`/`actor`/`protocol`
body and every top-level `extension` of it, across all files; nested types count toward the type that holds
them. Generated code and the C shims are skipped. `make test` runs it; `--list N` prints the N largest.
"""
import os
import re
import sys
from collections import defaultdict

LIMIT = 600
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources")
SKIP_PARTS = ("/C/", "/Generated/")
DECL = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|private|fileprivate|package|open|final|indirect|"
    r"nonisolated|dynamic)\s+)*(class|struct|enum|actor|protocol|extension)\s+([A-Za-z_][\w.]*)")


def strip_code(text):
    """Returns the text with comments and string literals blanked (newlines kept), so braces can be counted."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    out.append("\n" if text[i] == "\n" else "")
                    i += 1
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == '"':
            i += 1
            depth = 0
            while i < n:
                if text[i] == "\\" and text.startswith("\\(", i):
                    depth, i = depth + 1, i + 2
                    continue
                if text[i] == "\\":
                    i += 2
                    continue
                if depth and text[i] == ")":
                    depth -= 1
                elif depth and text[i] == "(":
                    depth += 1
                elif not depth and text[i] == '"':
                    i += 1
                    break
                elif text[i] == "\n":
                    break
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def measure(path, totals, places):
    with open(path, encoding="utf-8") as handle:
        lines = strip_code(handle.read()).split("\n")
    depth, current, start = 0, None, 0
    for number, line in enumerate(lines, 1):
        if depth == 0 and current is None:
            match = DECL.match(line.strip())
            if match:
                current, start = match.group(2).split("<")[0], number
        opened, closed = line.count("{"), line.count("}")
        depth += opened - closed
        if current is not None and depth == 0 and (opened or closed):
            span = number - start + 1
            totals[current] += span
            places[current].append(f"{os.path.relpath(path, ROOT)}:{start} ({span})")
            current = None


def main():
    totals, places = defaultdict(int), defaultdict(list)
    for folder, _, files in os.walk(ROOT):
        if any(part in folder + "/" for part in SKIP_PARTS):
            continue
        for name in files:
            if name.endswith(".swift"):
                measure(os.path.join(folder, name), totals, places)
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    if len(sys.argv) == 3 and sys.argv[1] == "--list":
        for name, total in ranked[: int(sys.argv[2])]:
            print(f"{total:6d}  {name}  ({len(places[name])} parts)")
        return 0
    over = [(name, total) for name, total in ranked if total > LIMIT]
    for name, total in over:
        print(f"error: {name} spans {total} lines counting its extensions (limit {LIMIT}):", file=sys.stderr)
        for place in places[name]:
            print(f"  {place}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
