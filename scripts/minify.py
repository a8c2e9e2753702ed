#!/usr/bin/env python3
"""Shrinks the UI's stylesheet and wasm-bindgen's JS glue without changing
what they do (scripts/build-ui.sh; the output is checked by the browser tests).

css: drops comments and the whitespace around punctuation and at line starts.
js:  drops JSDoc blocks and // comments on lines of their own, and indentation;
     the glue has no template literals spanning lines, so indentation is
     never part of a string.

Usage: minify.py css|js < in > out
"""
import re
import sys


def css(src: str) -> str:
    out = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    # Strings and url() in our CSS hold no braces, colons or semicolons that
    # matter, but keep their spaces: only collapse around punctuation.
    out = re.sub(r"\s+", " ", out)
    out = re.sub(r"\s*([{};>,])\s*", r"\1", out)
    out = re.sub(r":\s+", ":", out)
    out = out.replace(";}", "}")
    return out.strip() + "\n"


def js(src: str) -> str:
    out = re.sub(r"^[ \t]*/\*\*.*?\*/[ \t]*\n", "", src, flags=re.S | re.M)
    if any(line.count("`") % 2 for line in out.splitlines()):
        # a template literal spans lines: its indentation is content
        return out
    out = re.sub(r"^[ \t]*//[^\n]*\n", "", out, flags=re.M)
    return re.sub(r"^[ \t]+", "", out, flags=re.M)


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    text = sys.stdin.read()
    if kind == "css":
        sys.stdout.write(css(text))
    elif kind == "js":
        sys.stdout.write(js(text))
    else:
        sys.exit("usage: minify.py css|js < in > out")
