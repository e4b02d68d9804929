#!/usr/bin/env bash
# Benchmarks, in three parts:
#  1. Go benchmarks of the HTTP API (internal/api/bench_test.go) on generated
#     districts of 200 and 2,000 items, on SQLite and, if it can be started,
#     PostgreSQL, and of spreadsheets of 100,000 rows (internal/xlsx). The
#     engine and size are part of each name, so one run covers both engines.
#     Raw output goes to bench.out (benchstat reads it as is); Markdown tables
#     of medians and the 2000-vs-200 ratios follow on stdout.
#  2. Issue 12, district scale on SQLite: `gongjian gen --scale district`
#     (2,000 items × 52 weekly reports, 20,000 cases, 10 ledgers × 10,000 rows,
#     12 indicators × 15 regions × 60 months), then a real `gongjian serve` on
#     127.0.0.1 (cold start to ready measured), then `gongjian load` with 50
#     clients per scenario, each read next to its raw SQL. The table goes to
#     stdout and to bench-scale.md with the machine and the commands.
#  3. BENCH_CITY=1: the same at city scale (15 districts) on PostgreSQL with
#     100 clients, and the cockpit of one district alone against the same in
#     the city database. Much longer (generation alone takes many minutes).
#
# Usage: scripts/bench.sh [go test flags...]   e.g. scripts/bench.sh -bench ListItems -count 3
#        scripts/bench.sh --summary            only print the table for an existing bench.out
# Env:   BENCHTIME (default 300ms), COUNT (default 3) for part 1; SCALE=0 skips
#        part 2; LOAD_SECONDS (default 10) and LOAD_REQUESTS (default 3000) bound
#        each load scenario; BENCH_CITY=1 adds part 3. About 12–15 minutes on
#        2 cores (parts 1 and 2).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench.out

# Medians per benchmark (without the -N GOMAXPROCS suffix) over the -count runs,
# with the fastest and slowest run, in milliseconds; p50/p99 are medians of the
# runs' percentiles. Printed as Markdown tables, ready for docs/BENCHMARKS.md.
summary() {
	awk '/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)
		for (i = 3; i < NF; i += 2) print name, $(i + 1), $i
	}' "$out" | LC_ALL=C sort -k1,1 -k2,2 -k3,3g | awk '
	function flush() {
		if (key == "") return
		n = split(vals, v, " ")
		med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		m[key] = med; lo[key] = v[1]; hi[key] = v[n]; cnt[kname] = n
		key = ""; vals = ""
	}
	{
		k = $1 SUBSEP $2
		if (k != key) { flush(); key = k; kname = $1; vals = "" }
		vals = vals " " $3
		if (!($1 in seen)) { seen[$1] = 1; names[++nn] = $1 }
	}
	END {
		flush()
		print "| benchmark | runs | ms/op | min–max ms/op | B/op | allocs/op | p50 ms | p99 ms |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|"
		for (i = 1; i <= nn; i++) {
			b = names[i]
			p50 = ((b SUBSEP "p50-ms") in m) ? sprintf("%.1f", m[b, "p50-ms"]) : ""
			p99 = ((b SUBSEP "p99-ms") in m) ? sprintf("%.1f", m[b, "p99-ms"]) : ""
			printf "| %s | %d | %.3f | %.3f–%.3f | %d | %d | %s | %s |\n", b, cnt[b], m[b, "ns/op"] / 1e6,
				lo[b, "ns/op"] / 1e6, hi[b, "ns/op"] / 1e6, m[b, "B/op"], m[b, "allocs/op"], p50, p99
		}
		print ""
		print "| benchmark at 2,000 items | ms/op 200 → 2000 | ratio |"
		print "|---|---:|---:|"
		for (i = 1; i <= nn; i++) {
			b = names[i]
			if (index(b, "items=2000") == 0) continue
			s = b; sub(/items=2000/, "items=200", s)
			if (!((s SUBSEP "ns/op") in m) || m[s, "ns/op"] == 0) continue
			printf "| %s | %.3f → %.3f | %.1f× |\n", b, m[s, "ns/op"] / 1e6, m[b, "ns/op"] / 1e6, m[b, "ns/op"] / m[s, "ns/op"]
		}
	}'
}
if [ "${1:-}" = --summary ]; then
	summary
	exit 0
fi

source scripts/pg.sh

trap pg_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${GONGJIAN_TEST_POSTGRES:-}" ]; then
	echo "bench.sh: using existing GONGJIAN_TEST_POSTGRES" >&2
elif ! pg_start; then
	echo "bench.sh: PostgreSQL unavailable, benchmarking SQLite only" >&2
fi

{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo +dirty)"
	echo "machine: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
	echo "go: $(go env GOVERSION)"
	if [ -n "${GONGJIAN_TEST_POSTGRES:-}" ]; then
		echo "postgres: $("$PG_BIN/postgres" --version 2>/dev/null || echo "external server")"
	fi
	echo "load-before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"

started=$(date +%s)
status=0
go test -run '^$' -bench . -benchmem -count "${COUNT:-3}" -benchtime "${BENCHTIME:-300ms}" -timeout 60m "$@" ./internal/api/ |
	tee -a "$out" || status=$?
# Spreadsheets: export, import read and excelize's own raw write and read of
# the same 100,000 rows (rows/s and peak heap as custom metrics).
[ "$status" -ne 0 ] || go test -run '^$' -bench . -benchmem -count 1 -benchtime 2x -timeout 30m ./internal/xlsx/ |
	tee -a "$out" || status=$?
echo "load-after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
[ "$status" -eq 0 ] || exit "$status"

echo
summary

[ "${SCALE:-1}" != 0 ] || exit 0
bash scripts/bench-scale.sh district
if [ "${BENCH_CITY:-0}" = 1 ]; then
	bash scripts/bench-scale.sh city
fi
echo "bench.sh: wall time $(($(date +%s) - started)) s"
