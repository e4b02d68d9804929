#!/usr/bin/env bash
# Browser end-to-end tests of the web UI: builds the binary (with the
# committed UI bundle embedded), starts `gongjian demo` on a free loopback
# port with a throwaway SQLite database, and runs web/e2e/*.test.mjs with
# Node's test runner, driving Debian's Chromium through playwright-core.
# The server is always stopped; the exit status is the tests'.
#
#   bash scripts/e2e.sh            # screenshots go to /tmp/gj-shots (GONGJIAN_SHOTS)
#   bash scripts/e2e.sh cases      # only web/e2e/cases.test.mjs
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gongjian-e2e.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Chromium (and CJK fonts, so that screenshots are legible) from Debian.
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
if ! { command -v fc-list >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; }; then need+=(fonts-noto-cjk); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "e2e: installing ${need[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
  elif [ ! -x "$CHROMIUM" ]; then
    echo "e2e: $CHROMIUM is missing; install Debian's chromium (apt-get install chromium)" >&2
    exit 1
  fi
fi

echo "e2e: building gongjian"
go build -o "$WORK/gongjian" ./cmd/gongjian

PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export GONGJIAN_URL="http://127.0.0.1:$PORT"
"$WORK/gongjian" demo --db "$WORK/e2e.db" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

ready=""
for _ in $(seq 1 120); do
  if node -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" "$GONGJIAN_URL/readyz"; then
    ready=1
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "e2e: the server did not become ready" >&2
  cat "$WORK/server.log" >&2
  exit 1
fi
echo "e2e: server ready at $GONGJIAN_URL"

if [ ! -d web/e2e/node_modules ]; then
  npm --prefix web/e2e ci --no-audit --no-fund
fi

status=0
targets=(web/e2e/)
if [ $# -gt 0 ]; then
  targets=()
  for n in "$@"; do targets+=("web/e2e/$n.test.mjs"); done
fi
node --test --test-concurrency=1 "${targets[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "e2e: failed; last lines of the server log:" >&2
  tail -n 40 "$WORK/server.log" >&2
fi
exit "$status"
