#!/usr/bin/env python3
"""Fails when the UI's languages do not have the same messages, or when the
Rust code asks for a message no language has."""
import pathlib
import re
import sys

ui = pathlib.Path(__file__).resolve().parent.parent / "crates/web-ui"
langs = sorted(p.name for p in (ui / "locales").iterdir() if p.is_dir())
keys = {}
for lang in langs:
    ks = set()
    for f in (ui / "locales" / lang).glob("*.ftl"):
        for line in f.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^([A-Za-z][\w-]*)\s*=", line)
            if m:
                if m.group(1) in ks:
                    print(f"{lang}: {m.group(1)} defined twice")
                    sys.exit(1)
                ks.add(m.group(1))
    keys[lang] = ks
ok = True
base = keys["en"]
for lang in langs:
    for k in sorted(base - keys[lang]):
        print(f"{lang} lacks {k}")
        ok = False
    for k in sorted(keys[lang] - base):
        print(f"{lang} has {k}, which en lacks")
        ok = False
# literal keys passed to t("...") / t_args("...") / try_t("...") in the code
used = set()
for f in (ui / "src").rglob("*.rs"):
    used |= set(re.findall(r"\bt(?:_args)?\(\s*\"([A-Za-z][\w-]*)\"", f.read_text(encoding="utf-8")))
for k in sorted(used - base):
    print(f"the code uses {k}, which no .ftl defines")
    ok = False
print(f"locales: {', '.join(langs)}; {len(base)} messages; {len(used)} used literally")
sys.exit(0 if ok else 1)
