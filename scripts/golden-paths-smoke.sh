#!/usr/bin/env bash
# Proves each golden path's skeleton is a service that works: renders it as the scaffolder would
# (scripts/render-golden-path.ts: sample parameters, database none), runs its own test command,
# then starts it, asks its routes and probes, and stops it with SIGTERM (it must exit 0). Node
# (npm ci, npm test) and Python (python3 -m unittest) need no downloads; Go (go vet, go test) runs
# when go is on PATH, with the module proxy off. Last, the Node service with PostgreSQL: npm ci
# installs pg from its lockfile, and its tests include the database check against no database.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

render() { # <golden-path> <database>: renders into $work/<golden-path>-<database> and prints that directory
  local dir="$work/$1-$2"
  node --require "$root/scripts/register-ts.js" "$root/scripts/render-golden-path.ts" "$1" "$2" "$dir"
  echo "$dir"
}

free_port() { node -e 'const s = require("node:net").createServer().listen(0, () => { console.log(s.address().port); s.close(); })'; }

# GET a path of the running service; prints "<status> <body>".
get() { node -e 'fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text())).catch(() => { console.log("000"); })' "http://127.0.0.1:$1$2"; }

serve_and_stop() { # <label> <command...>: starts the service on a free port, checks its routes, stops it with SIGTERM
  local label=$1; shift
  local port; port=$(free_port)
  PORT=$port "$@" >"$work/server.log" 2>&1 &
  server=$!
  local answer="000"
  for _ in $(seq 1 50); do
    answer=$(get "$port" /)
    [ "${answer%% *}" = 200 ] && break
    sleep 0.2
  done
  case "$answer" in
    "200 "*'Hello from sample-service'*) ;;
    *) echo "$label: GET / answered \"$answer\"" >&2; cat "$work/server.log" >&2; exit 1 ;;
  esac
  for probe in /healthz/live /healthz/ready; do
    answer=$(get "$port" "$probe")
    if [ "${answer%% *}" != 200 ]; then echo "$label: GET $probe answered \"$answer\"" >&2; exit 1; fi
  done
  answer=$(get "$port" /nothing)
  if [ "${answer%% *}" != 404 ]; then echo "$label: GET /nothing answered \"$answer\"" >&2; exit 1; fi
  kill -TERM "$server"
  local status=0
  wait "$server" || status=$?
  server=""
  if [ "$status" != 0 ]; then echo "$label: exited $status on SIGTERM" >&2; cat "$work/server.log" >&2; exit 1; fi
}

check_gofmt() { # <label...>: the Go files in the current directory are gofmt-formatted
  if [ -n "$(gofmt -l .)" ]; then echo "$*: gofmt would change:" >&2; gofmt -d . >&2; exit 1; fi
}

pass() { printf 'PASS golden path %-15s database %-8s %s\n' "$1" "$2" "$3"; }

# Runs a test command in the current directory, its output kept for failures; prints what ran.
run_tests() { # <summary pattern> <command...>
  local pattern=$1; shift
  if ! "$@" >"$work/test.log" 2>&1; then cat "$work/test.log" >&2; exit 1; fi
  { grep -E -o "$pattern" "$work/test.log" || true; } | tail -1
}

cd "$(render node-service none)"
npm ci --no-audit --no-fund --silent
tests=$(run_tests '# pass [0-9]+' npm test)
serve_and_stop node-service node src/server.js
pass node-service none "npm ci, npm test (${tests#\# }), served and stopped on SIGTERM"

cd "$(render python-service none)"
export PYTHONDONTWRITEBYTECODE=1
tests=$(run_tests 'Ran [0-9]+ tests' python3 -m unittest)
serve_and_stop python-service python3 -m service
pass python-service none "python3 -m unittest ($tests), served and stopped on SIGTERM"

cd "$(render python-service postgres)"
run_tests '' python3 -m unittest >/dev/null
pass python-service postgres "python3 -m unittest ($(grep -E -o 'Ran [0-9]+ tests' "$work/test.log"), $(tail -1 "$work/test.log"): without psycopg its database check is skipped)"

if command -v go >/dev/null; then
  cd "$(render go-api none)"
  # Nothing to download: the module proxy is off.
  export GOPROXY=off GOCACHE="$work/go-cache" GOPATH="$work/go"
  check_gofmt go-api none
  run_tests '' go vet ./... >/dev/null
  run_tests '' go test -count=1 -v ./... >/dev/null
  go build -o "$work/go-api-server" .
  serve_and_stop go-api "$work/go-api-server"
  pass go-api none "gofmt, go vet, go test ($(grep -c '^--- PASS' "$work/test.log") tests, $(go env GOVERSION)), served and stopped on SIGTERM"
  # With PostgreSQL it needs pgx from the module proxy: here only parsed and format-checked.
  cd "$(render go-api postgres)"
  check_gofmt go-api postgres
  pass go-api postgres "gofmt (pgx is not downloaded here)"
else
  echo "SKIP golden path go-api: go is not on PATH (apt-get install golang-go)"
fi

cd "$(render node-service postgres)"
npm ci --no-audit --no-fund --silent
tests=$(run_tests '# pass [0-9]+' npm test)
pass node-service postgres "npm ci (pg from the lockfile), npm test (${tests#\# }, the database check against no database)"
