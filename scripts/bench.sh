#!/usr/bin/env bash
# Benchmarks against SQLite and, if it can be started, PostgreSQL.
# Output goes to bench.out with "backend: X" config lines, so it can be
# compared with: benchstat -col backend bench.out
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh

trap pg_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench() { go test -run '^$' -bench . -benchmem -count 5 "$@" ./...; }

# SQLite run: make sure no Postgres URL leaks in from the environment.
echo "backend: sqlite" | tee bench.out
(unset GONGJIAN_TEST_POSTGRES; bench "$@") | tee -a bench.out

if [ -n "${GONGJIAN_TEST_POSTGRES:-}" ] || pg_start; then
	echo "backend: postgres" | tee -a bench.out
	bench "$@" | tee -a bench.out
else
	echo "bench.sh: PostgreSQL unavailable, skipped Postgres benchmarks" >&2
fi
