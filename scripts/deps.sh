#!/usr/bin/env bash
# Installs what building and testing Kehu needs from Debian's packages, only
# when missing: a C compiler and OpenSSL headers (bundled libpq links OpenSSL),
# binaryen (wasm-opt), Chromium and a CJK font (browser tests), psql (PostgreSQL check), and
# the rustup wasm32 target.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || missing+=(libssl-dev)
command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Chinese glyphs for the browser tests' screenshots (else they show boxes)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing ${missing[*]} (apt)" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
