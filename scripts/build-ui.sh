#!/usr/bin/env bash
# Builds the wasm UI (crates/web-ui) into crates/web-ui/dist/ with
# content-hashed file names, ready to be served by `kehu` (KEHU_UI_DIR).
#
# Runnable from any directory and idempotent. Missing tools are installed:
# the wasm32 target (rustup), wasm-bindgen-cli at exactly the version in
# Cargo.lock (into $KEHU_TOOLS_DIR, default ~/.cache/kehu/tools, so fresh
# clones and CI reuse it), and wasm-opt (Debian's binaryen).
#
# Environment: CARGO_TARGET_DIR is respected; KEHU_TOOLS_DIR overrides the tool cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CRATE_DIR="$ROOT/crates/web-ui"
DIST="$CRATE_DIR/dist"
TOOLS="${KEHU_TOOLS_DIR:-$HOME/.cache/kehu/tools}"
TARGET=wasm32-unknown-unknown
PROFILE=wasm-release
NAME=kehu-web-ui

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

apt_install() {
  log "installing $* (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# --- tools -------------------------------------------------------------------

if ! rustup target list --installed | grep -qx "$TARGET"; then
  log "adding rust target $TARGET"
  rustup target add "$TARGET"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly, or the generated
# JS and the module disagree.
BINDGEN_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)"
if [ -z "$BINDGEN_VERSION" ]; then
  echo "error: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
WASM_BINDGEN="$TOOLS/bin/wasm-bindgen"
if [ "$("$WASM_BINDGEN" --version 2>/dev/null || true)" != "wasm-bindgen $BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $BINDGEN_VERSION into $TOOLS (takes a few minutes once)"
  # No --locked: the registry lacks one of its locked dependencies.
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --root "$TOOLS" --force
fi

if ! command -v wasm-opt >/dev/null 2>&1; then
  apt_install binaryen
fi

# --- build -------------------------------------------------------------------

TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
if [ -z "$TARGET_DIR" ]; then
  echo "error: could not find cargo's target directory" >&2
  exit 1
fi

# Panic locations carry source paths; shorten them to crate-relative ones, so
# the module neither ships this machine's directories nor their bytes. (Added
# to the target's rustflags in .cargo/config.toml: cargo joins the arrays.)
REGISTRY_SRC="${CARGO_HOME:-$HOME/.cargo}/registry/src"
REMAP="target.$TARGET.rustflags=['--remap-path-prefix=$REGISTRY_SRC=', '--remap-path-prefix=$ROOT=kehu']"
log "cargo build -p $NAME --target $TARGET --profile $PROFILE"
cargo build -p "$NAME" --target "$TARGET" --profile "$PROFILE" --config "$REMAP"
RAW_WASM="$TARGET_DIR/$TARGET/$PROFILE/$NAME.wasm"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kehu-ui.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# wasm-opt runs on rustc's output, BEFORE wasm-bindgen: Debian's wasm-opt 108
# silently breaks wasm-bindgen's output (blank page, WebAssembly.Table.set()
# TypeError). The features are the ones rustc enables for this target; wasm-opt
# also reads them from the module's target_features section, but stating them
# keeps it working if that section goes away.
# -Os, not -Oz: at -Oz wasm-opt 108 inlines the closure descriptors that
# wasm-bindgen reads ("failed to find `0` in function table"); -Os costs <1 %.
log "wasm-opt -Os"
wasm-opt -Os \
  --enable-bulk-memory \
  --enable-nontrapping-float-to-int \
  --enable-sign-ext \
  --enable-mutable-globals \
  --enable-reference-types \
  --enable-multivalue \
  "$RAW_WASM" -o "$WORK/opt.wasm"

log "wasm-bindgen --target web"
"$WASM_BINDGEN" --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$WORK/bindgen" --out-name "$NAME" "$WORK/opt.wasm"

# --- dist ----------------------------------------------------------------------

hash16() { sha256sum "$1" | cut -c1-16; }

STAGE="$WORK/dist"
mkdir -p "$STAGE"

WASM_FILE="${NAME}_bg-$(hash16 "$WORK/bindgen/${NAME}_bg.wasm").wasm"
JS_FILE="$NAME-$(hash16 "$WORK/bindgen/$NAME.js").js"
# styles/base.css first, then the area files in name order, as one stylesheet
cat "$CRATE_DIR/styles/base.css" $(ls "$CRATE_DIR"/styles/*.css | grep -v '/base.css$' | sort) >"$WORK/style.src.css"
# Comments and layout whitespace cost bytes on every phone: drop them (the
# sources keep them). JSDoc blocks in wasm-bindgen's glue likewise.
python3 "$ROOT/scripts/minify.py" css <"$WORK/style.src.css" >"$WORK/style.css"
python3 "$ROOT/scripts/minify.py" js <"$WORK/bindgen/$NAME.js" >"$WORK/glue.js"
mv "$WORK/glue.js" "$WORK/bindgen/$NAME.js"
CSS_FILE="style-$(hash16 "$WORK/style.css").css"
cp "$WORK/bindgen/${NAME}_bg.wasm" "$STAGE/$WASM_FILE"
cp "$WORK/bindgen/$NAME.js" "$STAGE/$JS_FILE"
cp "$WORK/style.css" "$STAGE/$CSS_FILE"

# A separate boot script instead of an inline one, so a strict CSP
# (script-src 'self' 'wasm-unsafe-eval') needs no exception for index.html.
# The glue would look for "<name>_bg.wasm" next to itself; pass the hashed URL.
cat >"$WORK/boot.js" <<EOF
import init from "/$JS_FILE";

init({ module_or_path: "/$WASM_FILE" });
EOF
BOOT_FILE="boot-$(hash16 "$WORK/boot.js").js"
cp "$WORK/boot.js" "$STAGE/$BOOT_FILE"

# index.html is the only file without a hash: serve it with no-cache.
cat >"$STAGE/index.html" <<EOF
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kehu</title>
<link rel="stylesheet" href="/$CSS_FILE">
<link rel="modulepreload" href="/$JS_FILE">
<link rel="preload" href="/$WASM_FILE" as="fetch" type="application/wasm" crossorigin>
<script type="module" src="/$BOOT_FILE"></script>
</head>
<body>
<noscript>Kehu needs JavaScript. 客户 Kehu 需要启用 JavaScript。</noscript>
</body>
</html>
EOF

# Replace dist/ as a whole so no stale hashed files survive.
rm -rf "$DIST.new"
mv "$STAGE" "$DIST.new"
rm -rf "$DIST"
mv "$DIST.new" "$DIST"

WASM_BYTES="$(wc -c <"$DIST/$WASM_FILE")"
WASM_GZIP="$(gzip -9c "$DIST/$WASM_FILE" | wc -c)"
log "wrote ${DIST#"$ROOT"/}/: index.html $BOOT_FILE $JS_FILE $WASM_FILE $CSS_FILE"
JS_GZIP="$(cat "$DIST/$JS_FILE" "$DIST/$BOOT_FILE" | gzip -9c | wc -c)"
CSS_GZIP="$(gzip -9c "$DIST/$CSS_FILE" | wc -c)"
TOTAL_GZIP=$((WASM_GZIP + JS_GZIP + CSS_GZIP))
printf 'wasm: %d bytes, %d bytes gzip (%s)\n' "$WASM_BYTES" "$WASM_GZIP" "$WASM_FILE"
# The budget (issue 3) is 350 KB (KiB) gzip for everything a browser
# downloads. The build fails above it, so a change that grows the UI has to
# pay for itself (see docs/ARCHITECTURE.md for where the bytes go).
CEILING="${KEHU_UI_CEILING:-358400}"
printf 'shipped (wasm + js + css), gzip: %d bytes; budget %d, %d left\n' "$TOTAL_GZIP" "$CEILING" "$((CEILING - TOTAL_GZIP))"
if [ "$TOTAL_GZIP" -gt "$CEILING" ]; then
  echo "error: the UI is $((TOTAL_GZIP - CEILING)) bytes over its budget of $CEILING bytes gzip" >&2
  exit 1
fi
