#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, type check, unit + API + integration tests on
# SQLite (and the PWA's own node tests), the database tests again on PostgreSQL, then the
# browser tests in Chromium.
# Tests marked `slow` run here too; only `make test-fast` leaves them out.
#
#   ROUNDS_TEST_POSTGRES_URL  PostgreSQL for the second run
#                             (default postgres://postgres@127.0.0.1:5432/test)
#   ROUNDS_TEST_SKIP_POSTGRES=1  skip that run on a machine without PostgreSQL (never in CI)
#   ROUNDS_TEST_SKIP_E2E=1       skip the browser tests on a machine without Chromium
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${ROUNDS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
failed=()

# pytest exits 5 when a selection holds no test: that is not a failure of the suite.
# Each run prints its wall time: the README's test timings come from these lines.
run_pytest() {
  local label="$1"; shift
  echo "=== $label"
  local start=$SECONDS
  "$BIN/pytest" "$@"
  local rc=$?
  echo "=== $label: $((SECONDS - start)) s"
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then failed+=("$label (exit $rc)"); fi
}

echo "=== lint (ruff)"
"$BIN/ruff" check backend sync geo notifications tests benchmarks || failed+=("ruff")

echo "=== type check (mypy)"
"$BIN/mypy" backend sync geo notifications || failed+=("mypy")

echo "=== PWA unit tests (node --test pwa/test/)"
(cd pwa && node --test test/) || failed+=("PWA unit tests")

run_pytest "unit, API and integration tests on SQLite" -q -m "not e2e" -p no:cacheprovider

if [ "${ROUNDS_TEST_SKIP_POSTGRES:-}" = "1" ] && [ "${CI:-}" != "true" ]; then
  echo "=== PostgreSQL run skipped (ROUNDS_TEST_SKIP_POSTGRES=1)"
else
  if ! "$BIN/python" - "$PG_URL" <<'PY'
import asyncio, sys
import asyncpg
async def main():
    conn = await asyncpg.connect(sys.argv[1], timeout=5)
    await conn.close()
asyncio.run(main())
PY
  then
    echo "PostgreSQL is not reachable at $PG_URL." >&2
    echo "Start it, set ROUNDS_TEST_POSTGRES_URL, or ROUNDS_TEST_SKIP_POSTGRES=1 to skip." >&2
    failed+=("PostgreSQL unreachable")
  else
    ROUNDS_TEST_DATABASE_URL="$PG_URL" run_pytest "API and integration tests on PostgreSQL" \
      -q -m "not e2e" -p no:cacheprovider tests/api tests/integration
  fi
fi

if [ "${ROUNDS_TEST_SKIP_E2E:-}" = "1" ] && [ "${CI:-}" != "true" ]; then
  echo "=== browser tests skipped (ROUNDS_TEST_SKIP_E2E=1)"
else
  if [ ! -x /usr/bin/chromium ]; then
    echo "=== installing Debian's chromium for the browser tests"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq chromium >/dev/null || failed+=("chromium install")
  fi
  run_pytest "browser end-to-end tests (Chromium)" -q -m e2e -p no:cacheprovider tests/e2e
fi

if [ "${#failed[@]}" -ne 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all test runs passed"
