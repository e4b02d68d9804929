# shellcheck shell=bash
# Throwaway PostgreSQL cluster for tests and benchmarks. Source this file, then:
#   pg_start || ...      # starts a cluster, exports GONGJIAN_TEST_POSTGRES
#   trap pg_stop EXIT    # always tear it down
# pg_start returns non-zero (without exiting) when PostgreSQL is unavailable,
# so each caller decides whether that is fatal.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR=""

# Install Debian packages only when we can (root); callers stay usable on dev boxes.
apt_install() {
	[ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || return 1
	export DEBIAN_FRONTEND=noninteractive
	# CI runs without stdin; keep apt quiet and never prompt.
	apt-get update -qq </dev/null && apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

pg_find_bin() {
	[ -x "$PG_BIN/initdb" ] && return 0
	echo "pg.sh: $PG_BIN/initdb not found, trying to install PostgreSQL 15" >&2
	apt_install postgresql-15 || apt_install postgresql || true
	[ -x "$PG_BIN/initdb" ] && return 0
	# The generic "postgresql" package may bring another major version; any will do.
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && PG_BIN="$d" && return 0
	done
	return 1
}

# Run as the postgres user when root: initdb/postgres refuse to run as root.
# cd into the cluster dir so postgres never needs access to the caller's cwd.
_pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd "$PG_DIR" && runuser -u postgres -- "$@")
	else
		(cd "$PG_DIR" && "$@")
	fi
}

_pg_port_free() {
	# A successful connect means something is listening already.
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_start() {
	pg_find_bin || return 1
	PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gongjian-pg.XXXXXX")"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
	_pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2
		return 1
	}
	# Probing then binding is racy when several runs start at once, so retry
	# on the next port if the server fails to start.
	local port tries=0
	for port in $(seq 55432 55631); do
		_pg_port_free "$port" || continue
		if _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
			-o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
			start >/dev/null; then
			export GONGJIAN_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			echo "pg.sh: PostgreSQL ($("$PG_BIN/postgres" --version)) on port $port, dir $PG_DIR" >&2
			return 0
		fi
		tries=$((tries + 1))
		[ "$tries" -ge 5 ] && break
	done
	echo "pg.sh: could not start PostgreSQL; log follows" >&2
	tail -n 30 "$PG_DIR/log" >&2 2>/dev/null || true
	return 1
}

# Safe to call more than once and when nothing was started; never fails,
# so it cannot mask the caller's exit status from inside an EXIT trap.
pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		_pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	fi
	rm -rf "$PG_DIR" || true
	PG_DIR=""
}

pg_log_tail() {
	[ -n "$PG_DIR" ] && [ -f "$PG_DIR/log" ] || return 0
	echo "---- PostgreSQL log (last ${1:-50} lines) ----" >&2
	tail -n "${1:-50}" "$PG_DIR/log" >&2 || true
}
