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
log "cargo build -p $NAME --target $TARGET --profile $PROFILE (every module)"
cargo build -p "$NAME" --bins --target "$TARGET" --profile "$PROFILE" --config "$REMAP"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kehu-ui.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

hash16() { sha256sum "$1" | cut -c1-16; }
STAGE="$WORK/dist"
mkdir -p "$STAGE"

# Two stylesheets per page: the one every page loads (base.css, then
# customers.css, whose pieces every screen uses, and shell.css: the top bar
# and what several areas share), linked from index.html; and the area's own,
# which the boot script adds for the module it loads, so a customer page does
# not download the administration's, the pipeline's and the work screens'.
# Comments and layout whitespace cost bytes on every phone: drop them (the
# sources keep them). JSDoc blocks in wasm-bindgen's glue likewise.
STYLES="$CRATE_DIR/styles"
cat "$STYLES/base.css" "$STYLES/customers.css" "$STYLES/shell.css" >"$WORK/style.src.css"
python3 "$ROOT/scripts/minify.py" css <"$WORK/style.src.css" >"$WORK/style.css"
CSS_FILE="style-$(hash16 "$WORK/style.css").css"
cp "$WORK/style.css" "$STAGE/$CSS_FILE"
CSS_GZIP="$(gzip -9c "$STAGE/$CSS_FILE" | wc -c)"

# each module's area sheet (the customers module has none of its own)
declare -A AREA_OF=([customers]="" [work]=work [admin]=admin [tools]=admin [leads]=leads [sales]=sales [deal]=sales [insight]=sales)
declare -A AREA_FILE AREA_GZIP
for AREA in work admin leads sales; do
  python3 "$ROOT/scripts/minify.py" css <"$STYLES/$AREA.css" >"$WORK/$AREA.css"
  AREA_FILE[$AREA]="style-$AREA-$(hash16 "$WORK/$AREA.css").css"
  cp "$WORK/$AREA.css" "$STAGE/${AREA_FILE[$AREA]}"
  AREA_GZIP[$AREA]="$(gzip -9c "$STAGE/${AREA_FILE[$AREA]}" | wc -c)"
done
# the area sheet's address for the boot script, "" for none
css_of() { local a="${AREA_OF[$1]}"; if [ -n "$a" ]; then echo "/${AREA_FILE[$a]}"; fi; }

# One module per entry point (src/bin): customers, work, admin, tools, leads, sales, deal
# and insight. For each:
# wasm-opt, wasm-bindgen, minified glue, content-hashed names.
#
# wasm-opt runs on rustc's output, BEFORE wasm-bindgen: Debian's wasm-opt 108
# silently breaks wasm-bindgen's output (blank page, WebAssembly.Table.set()
# TypeError). The features are the ones rustc enables for this target; wasm-opt
# also reads them from the module's target_features section, but stating them
# keeps it working if that section goes away.
# -Os, not -Oz: at -Oz wasm-opt 108 inlines the closure descriptors that
# wasm-bindgen reads ("failed to find `0` in function table"); -Os costs <1 %.
declare -A JS_OF WASM_OF
for MODULE in customers work admin tools leads sales deal insight; do
  BIN="kehu-$MODULE"
  log "$MODULE: wasm-opt -Os, wasm-bindgen --target web"
  wasm-opt -Os \
    --enable-bulk-memory \
    --enable-nontrapping-float-to-int \
    --enable-sign-ext \
    --enable-mutable-globals \
    --enable-reference-types \
    --enable-multivalue \
    "$TARGET_DIR/$TARGET/$PROFILE/$BIN.wasm" -o "$WORK/$BIN.opt.wasm"
  "$WASM_BINDGEN" --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$WORK/bindgen" --out-name "$BIN" "$WORK/$BIN.opt.wasm"
  python3 "$ROOT/scripts/minify.py" js <"$WORK/bindgen/$BIN.js" >"$WORK/$BIN.js"
  WASM_OF[$MODULE]="${BIN}_bg-$(hash16 "$WORK/bindgen/${BIN}_bg.wasm").wasm"
  JS_OF[$MODULE]="$BIN-$(hash16 "$WORK/$BIN.js").js"
  cp "$WORK/bindgen/${BIN}_bg.wasm" "$STAGE/${WASM_OF[$MODULE]}"
  cp "$WORK/$BIN.js" "$STAGE/${JS_OF[$MODULE]}"
done

# A separate boot script instead of an inline one, so a strict CSP
# (script-src 'self' 'wasm-unsafe-eval') needs no exception for index.html.
# It loads the module the address belongs to, and its area's stylesheet
# (the app draws once both are there); the glue would look for
# "<name>_bg.wasm" next to itself, so it is given the hashed URL.
m() { echo "[\"/${JS_OF[$1]}\", \"/${WASM_OF[$1]}\", \"$(css_of "$1")\"]"; }
cat >"$WORK/boot.js" <<BOOT
const path = location.pathname;
const [js, wasm, css] = /^\/admin(\/|$)/.test(path)
  ? $(m admin)
  : /^\/leads(\/|$)/.test(path)
  ? $(m leads)
  : /^\/(merge|import)(\/|$)/.test(path)
  ? $(m tools)
  : /^\/opportunities\/(?!new\/?$)[^/]+\/?$/.test(path)
  ? $(m deal)
  : /^\/(pipeline|opportunities)(\/|$)/.test(path)
  ? $(m sales)
  : /^\/(forecast|performance|sales)(\/|$)/.test(path)
  ? $(m insight)
  : /^\/($|(day|notifications|settings|activities)(\/|$)|customers\/[^/]+\/(log|timeline)\/?$)/.test(path)
  ? $(m work)
  : $(m customers);
const styled = new Promise((done) => {
  if (!css) return done();
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = css;
  link.onload = link.onerror = done;
  document.head.append(link);
});
const { default: init } = await import(js);
await styled;
init({ module_or_path: wasm });
BOOT
BOOT_FILE="boot-$(hash16 "$WORK/boot.js").js"
cp "$WORK/boot.js" "$STAGE/$BOOT_FILE"
BOOT_GZIP="$(gzip -9c "$STAGE/$BOOT_FILE" | wc -c)"

# index.html is the only file without a hash: serve it with no-cache.
cat >"$STAGE/index.html" <<HTML
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kehu</title>
<link rel="stylesheet" href="/$CSS_FILE">
<script type="module" src="/$BOOT_FILE"></script>
</head>
<body>
<noscript>Kehu needs JavaScript. 客户 Kehu 需要启用 JavaScript。</noscript>
</body>
</html>
HTML

# Replace dist/ as a whole so no stale hashed files survive.
rm -rf "$DIST.new"
mv "$STAGE" "$DIST.new"
rm -rf "$DIST"
mv "$DIST.new" "$DIST"
log "wrote ${DIST#"$ROOT"/}/: $(cd "$DIST" && echo *)"

# The budget (issue 3) is 350 KB (KiB) gzip for what a browser downloads to
# show a page: the stylesheets (every page's and the area's), the boot
# script, and one module's glue and wasm. The build fails above it, so a change that grows the UI has to pay
# for itself (see docs/ARCHITECTURE.md for where the bytes go).
CEILING="${KEHU_UI_CEILING:-358400}"
over=0
for MODULE in customers work admin tools leads sales deal insight; do
  WASM_GZIP="$(gzip -9c "$DIST/${WASM_OF[$MODULE]}" | wc -c)"
  JS_GZIP="$(gzip -9c "$DIST/${JS_OF[$MODULE]}" | wc -c)"
  AREA="${AREA_OF[$MODULE]}"
  AREA_CSS_GZIP=0
  if [ -n "$AREA" ]; then AREA_CSS_GZIP="${AREA_GZIP[$AREA]}"; fi
  TOTAL_GZIP=$((WASM_GZIP + JS_GZIP + CSS_GZIP + AREA_CSS_GZIP + BOOT_GZIP))
  printf '%s page load (wasm + js + css), gzip: %d bytes; budget %d, %d left\n' \
    "$MODULE" "$TOTAL_GZIP" "$CEILING" "$((CEILING - TOTAL_GZIP))"
  if [ "$TOTAL_GZIP" -gt "$CEILING" ]; then
    echo "error: the $MODULE module is $((TOTAL_GZIP - CEILING)) bytes over its budget of $CEILING bytes gzip" >&2
    over=1
  fi
done
exit "$over"
