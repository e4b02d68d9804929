#!/usr/bin/env bash
# Run every test. Usage: scripts/test.sh [go test args...]  (e.g. -run TestFoo ./internal/store)
# Starts a throwaway PostgreSQL so the Postgres-backed tests run too; set
# GONGJIAN_TEST_POSTGRES yourself to use an existing server instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh

# Signals would otherwise skip the EXIT trap and leak the cluster.
trap pg_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${GONGJIAN_TEST_POSTGRES:-}" ]; then
	echo "test.sh: using existing GONGJIAN_TEST_POSTGRES" >&2
elif ! pg_start; then
	if [ "${CI:-}" = true ]; then
		echo "test.sh: ERROR: PostgreSQL is required in CI but could not be installed/started" >&2
		exit 1
	fi
	echo "test.sh: WARNING: running WITHOUT PostgreSQL; Postgres tests will be skipped" >&2
fi

status=0
go test -count=1 -timeout 30m "$@" ./... || status=$?
if [ "$status" -ne 0 ]; then
	pg_log_tail 50
fi
# The browser journeys run with the full suite (no arguments), or when asked.
if [ $# -eq 0 ] || [ "${GONGJIAN_E2E:-}" = 1 ]; then
	bash scripts/e2e.sh || status=1
fi
exit "$status"
