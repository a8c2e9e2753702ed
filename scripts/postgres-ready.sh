#!/usr/bin/env bash
# Exit 0 when the test PostgreSQL (TEST_DATABASE_URL, default the local
# server) accepts connections.
set -euo pipefail
url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
command -v psql >/dev/null 2>&1 || { echo "psql not found; cannot check PostgreSQL" >&2; exit 1; }
psql "$url" -qtAc 'SELECT 1' >/dev/null 2>&1
