#!/usr/bin/env python3
"""Regenerates crates/web-ui/locales/zh-TW/*.ftl from zh-CN with OpenCC
(s2twp: Traditional characters with Taiwan phrasing), for a translator to review.

    pip install opencc-python-reimplemented && scripts/zh-tw.py

Run after changing a zh-CN file; commit the result. Message keys and
`{ $placeholders }` are left as they are."""
import pathlib
import re

import opencc

root = pathlib.Path(__file__).resolve().parent.parent / "crates/web-ui/locales"
conv = opencc.OpenCC("s2twp")
for src in sorted((root / "zh-CN").glob("*.ftl")):
    out = []
    for line in src.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\s*[A-Za-z][\w-]*\s*=\s*|\s*\.[\w-]+\s*=\s*|\s*)(.*)$", line)
        head, text = m.group(1), m.group(2)
        if line.lstrip().startswith("#"):
            out.append(line)
            continue
        # keep placeables such as { $seconds } untouched
        parts = re.split(r"(\{[^}]*\})", text)
        out.append(head + "".join(p if p.startswith("{") else conv.convert(p) for p in parts))
    (root / "zh-TW" / src.name).write_text("\n".join(out) + "\n", encoding="utf-8")
    print("wrote", (root / "zh-TW" / src.name).relative_to(root.parent.parent.parent))
