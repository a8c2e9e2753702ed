#!/usr/bin/env bash
# Runs the browser tests (e2e/, Playwright) against a fresh `kehu serve --demo`
# on a temporary SQLite database and a free local port.
#
# Needs an already-built server and UI:
#   cargo build -p kehu-api && scripts/build-ui.sh && scripts/e2e.sh
# Environment: KEHU_BIN (default <target dir>/debug/kehu). Extra arguments go
# to `playwright test`, e.g. `scripts/e2e.sh --project desktop`.
# Exit code: Playwright's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_DIR="$ROOT/e2e"
UI_DIR="$ROOT/crates/web-ui/dist"
KEHU_BIN="${KEHU_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/kehu}"
READY_TIMEOUT_SECS=60

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# Resolve a relative KEHU_BIN against the caller's directory before we cd.
case "$KEHU_BIN" in
  /*) ;;
  *) KEHU_BIN="$PWD/$KEHU_BIN" ;;
esac
[ -x "$KEHU_BIN" ] || die "no kehu binary at $KEHU_BIN (build it, or set KEHU_BIN)"
[ -f "$UI_DIR/index.html" ] || die "no UI in $UI_DIR (run scripts/build-ui.sh)"

# --- browser and test runner -------------------------------------------------

if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

command -v node >/dev/null 2>&1 || die "node (>= 20) is needed for Playwright"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || die "Playwright needs node >= 20, found $(node --version)"

cd "$E2E_DIR"
LOCK_SUM="$(sha256sum package-lock.json | cut -d' ' -f1)"
STAMP=node_modules/.kehu-package-lock.sha256
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$LOCK_SUM" ]; then
  log "npm ci (e2e)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$LOCK_SUM" >"$STAMP"
fi

# --- server ------------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kehu-e2e.XXXXXX")"
SERVER_LOG="$WORK/server.log"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(node -e '
  const s = require("net").createServer();
  s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
')"
BASE_URL="http://127.0.0.1:$PORT"

log "starting $KEHU_BIN serve --demo on $BASE_URL"
# The reminder scheduler ticks every second, so a reminder a test sets for
# now rings within the test's usual waits instead of a minute later.
DATABASE_URL="sqlite://$WORK/e2e.db" \
  KEHU_ADDR="127.0.0.1:$PORT" \
  KEHU_REMIND_EVERY_SECS=1 \
  KEHU_UI_DIR="$UI_DIR" \
  "$KEHU_BIN" serve --demo >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

ready() {
  node -e '
    fetch(process.argv[1]).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1));
  ' "$BASE_URL/readyz"
}

deadline=$((SECONDS + READY_TIMEOUT_SECS))
until ready; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "the server exited before it was ready; its log:"
    cat "$SERVER_LOG" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "the server was not ready after ${READY_TIMEOUT_SECS}s; its log:"
    cat "$SERVER_LOG" >&2
    exit 1
  fi
  sleep 0.25
done
log "server ready"

# --- tests -------------------------------------------------------------------

rc=0
KEHU_E2E_URL="$BASE_URL" npx --no-install playwright test "$@" || rc=$?
if [ "$rc" -ne 0 ]; then
  log "playwright failed (exit $rc); last lines of the server log:"
  tail -n 50 "$SERVER_LOG" >&2 || true
  log "screenshots and traces: e2e/test-results/"
fi
exit "$rc"
