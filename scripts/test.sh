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

# The spreadsheet round-trip tests read files written by LibreOffice and by
# openpyxl (an independent library); briefings convert .docx with
# `soffice --headless --convert-to pdf`. Install them when missing (as root,
# like scripts/e2e.sh does for chromium); the tests fail, never skip, without them.
need=()
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || need+=(python3-openpyxl)
command -v pdftotext >/dev/null && [ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need+=(poppler-utils fonts-droid-fallback)
# The arm64 release binary is started under qemu-user (cmd/gongjian/arch_test.go).
command -v qemu-aarch64 >/dev/null || command -v qemu-aarch64-static >/dev/null || need+=(qemu-user)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "test.sh: installing ${need[*]}" >&2
		apt-get update -q >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
	else
		echo "test.sh: WARNING: missing ${need[*]}; the spreadsheet and document tests will fail" >&2
	fi
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
