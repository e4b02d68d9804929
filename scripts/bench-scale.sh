#!/usr/bin/env bash
# Issue 12: a generated district (SQLite) or city (PostgreSQL) under an HTTP
# load run. Generates the data with `gongjian gen --scale`, starts a real
# `gongjian serve` on 127.0.0.1 (a free port), measures cold start to ready,
# runs `gongjian load` over every scenario with each read's raw SQL twin,
# and prints a Markdown report (also written to bench-scale-<scale>.md).
#
# Usage: scripts/bench-scale.sh district|city      (make bench runs "district")
# Env:   GONGJIAN_BIN (a built binary; default: build one), LOAD_SECONDS (10), LOAD_REQUESTS (3000) per scenario; CLIENTS (50 for
#        a district, 100 for a city); city needs GONGJIAN_TEST_POSTGRES (a
#        server where it may create databases; scripts/bench.sh starts one).
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-district}"
secs="${LOAD_SECONDS:-10}"
reqs="${LOAD_REQUESTS:-3000}"
report="bench-scale-$scale.md"
work="$(mktemp -d "${TMPDIR:-/tmp}/gongjian-scale.XXXXXX")"
pids=()
dbs=()

cleanup() {
	local p d
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	for d in "${dbs[@]}"; do psql -q "$GONGJIAN_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# pgdb NAME: a fresh database on the test server; prints its URL.
pgdb() {
	psql -q "$GONGJIAN_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
	dbs+=("$1")
	echo "$GONGJIAN_TEST_POSTGRES" | sed -E "s#^(postgres(ql)?://[^/]*)/[^?]*#\1/$1#"
}

bin="${GONGJIAN_BIN:-}"
if [ -z "$bin" ]; then
	bin="$work/gongjian"
	CGO_ENABLED=0 go build -o "$bin" ./cmd/gongjian
fi

case "$scale" in
district)
	db="$work/district.db"
	clients="${CLIENTS:-50}"
	;;
city)
	if [ -z "${GONGJIAN_TEST_POSTGRES:-}" ]; then
		echo "bench-scale.sh: city needs PostgreSQL (GONGJIAN_TEST_POSTGRES)" >&2
		exit 1
	fi
	db="$(pgdb "gj_bench_city_$$")"
	clients="${CLIENTS:-100}"
	;;
*)
	echo "usage: $0 district|city" >&2
	exit 2
	;;
esac

# serve DB [FLAG…]: starts a server; sets url, pid and cold (start to ready, in ms).
serve() {
	local log="$work/serve-$RANDOM.log" t0 t1
	t0=$(date +%s%N)
	"$bin" serve --db "$1" --addr 127.0.0.1:0 --job-interval 0 "${@:2}" >"$log" 2>&1 &
	pid=$!
	pids+=("$pid")
	url=""
	for _ in $(seq 3000); do
		if [ -z "$url" ]; then
			url="$(grep -o 'msg=serving url=http://[^ ]*' "$log" | head -1 | sed 's/.*url=//')" || true
		fi
		if [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null 2>&1; then
			t1=$(date +%s%N)
			cold=$(((t1 - t0) / 1000000))
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
		sleep 0.01
	done
	echo "bench-scale.sh: server not ready" >&2
	return 1
}

started=$(date +%s)
{
	echo "### Scale: $scale ($("$bin" version), $(date -u +%Y-%m-%dT%H:%M:%SZ))"
	echo
	echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo +dirty)"
	echo "- machine: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load before $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- command: \`scripts/bench-scale.sh $scale\` (part of \`make bench\`; LOAD_SECONDS=$secs, LOAD_REQUESTS=$reqs, $clients clients)"
	echo
	echo '```'
} >"$report"

echo "== gen --scale $scale" | tee -a "$report"
"$bin" gen --db "$db" --scale "$scale" --log-level warn 2>&1 | tee -a "$report"
echo '```' >>"$report"

serve "$db"
echo "cold start to ready: $cold ms (server pid $pid, $url)" | tee -a "$report"
# Warm the caches the way a first user would, then load.
"$bin" load --url "$url" --user gen1-supervisor --clients 2 --requests 8 --duration 60s \
	--scenario cockpit,rollups,rollups_as_of,items,item_page,cases_overdue,ledger_figures,indicator_table >/dev/null 2>&1 || true
echo "peak RSS after warm-up: $(awk '/VmHWM/ {printf "%d MiB", $2/1024}' "/proc/$pid/status")" | tee -a "$report"
echo >>"$report"
echo "== load: $clients clients, at most $reqs requests or $secs s per scenario" >&2
status=0
"$bin" load --url "$url" --user gen1-supervisor --clients "$clients" --requests "$reqs" --duration "${secs}s" \
	--pid "$pid" --db "$db" --raw --markdown "$work/table.md" >/dev/null || status=$?
cat "$work/table.md" >>"$report"
echo >>"$report"

# The same reads with the read cache off: what each costs when computed (as
# after every write), under the same load.
reads=cockpit,rollups,rollups_as_of,items,item_page,cases_overdue,ledger_figures,indicator_table
kill "$pid" && wait "$pid" 2>/dev/null || true
serve "$db" --read-cache=off
echo "== load, read cache off" >&2
"$bin" load --url "$url" --user gen1-supervisor --clients "$clients" --requests "$reqs" --duration "${secs}s" \
	--pid "$pid" --scenario "$reads" --markdown "$work/uncached.md" >/dev/null || status=$?
{
	echo "the reads with the read cache off (\`serve --read-cache=off\`: each computed, as after a write):"
	echo
	cat "$work/uncached.md"
	echo
} >>"$report"

if [ "$scale" = city ]; then
	# The cockpit of one district, alone in its database and among 15,
	# computed each time (the server above runs with the read cache off).
	echo "cockpit of one district computed each time: alone vs in the city database ($clients clients)" >>"$report"
	echo >>"$report"
	alone="$(pgdb "gj_bench_alone_$$")"
	"$bin" gen --db "$alone" --scale district --log-level warn >/dev/null 2>&1
	"$bin" load --url "$url" --user gen1-supervisor --clients "$clients" --requests "$reqs" --duration "${secs}s" \
		--scenario cockpit --db "$db" --raw --markdown "$work/city-cockpit.md" >/dev/null || status=$?
	kill "$pid" && wait "$pid" 2>/dev/null || true
	serve "$alone" --read-cache=off
	"$bin" load --url "$url" --user gen1-supervisor --clients "$clients" --requests "$reqs" --duration "${secs}s" \
		--scenario cockpit --db "$alone" --raw --markdown "$work/alone-cockpit.md" >/dev/null || status=$?
	{
		echo "in the city database:"
		echo
		cat "$work/city-cockpit.md"
		echo
		echo "alone:"
		echo
		cat "$work/alone-cockpit.md"
		echo
	} >>"$report"
fi
echo "- load after: $(cut -d' ' -f1-3 /proc/loadavg); wall time of this part: $(($(date +%s) - started)) s" >>"$report"
echo
cat "$report"
exit "$status"
