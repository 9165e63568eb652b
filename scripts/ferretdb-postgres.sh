#!/usr/bin/env bash
# Starts PostgreSQL (Debian's package) and FerretDB on its PostgreSQL backend in a new
# temporary directory, prints the MONGODB_URI to use, and stops both (and deletes the
# directory) on Ctrl-C or SIGTERM.
#
# Why: FerretDB's SQLite backend (the embedded default) finds even an `_id` by scanning
# the whole collection; on PostgreSQL it uses the `_id` index, as MongoDB does. Benchmarks
# run against it show the cost of Warden itself rather than of the scans:
#   scripts/ferretdb-postgres.sh 27018        (in one terminal)
#   MONGODB_URI=mongodb://127.0.0.1:27018/ npm run bench:block        (in another)
#
# Like the embedded store, it trades durability for speed (synchronous_commit=off, data in
# a temporary directory): for measurements, not for data.
set -euo pipefail

port="${1:-27018}"
pg_port=$((port + 10000))
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [[ -z "$pg_bin" ]]; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
  exit 1
fi
ferretdb="$(command -v ferretdb || echo "$(go env GOPATH 2>/dev/null)/bin/ferretdb")"
if [[ ! -x "$ferretdb" ]]; then
  echo "ferretdb was not found: run npm run provision" >&2
  exit 1
fi

dir="$(mktemp -d /tmp/warden-ferretdb-pg-XXXXXX)"
as_postgres=()
if [[ "$(id -u)" == 0 ]]; then
  chown postgres "$dir"
  as_postgres=(runuser -u postgres --)
fi
cleanup() {
  kill "${ferret_pid:-}" 2>/dev/null || true
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_postgres[@]}" "$pg_bin/initdb" -D "$dir/pg" -A trust >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
  -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c synchronous_commit=off" start >/dev/null
"${as_postgres[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" ferretdb

mkdir -p "$dir/state"
"$ferretdb" --handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:$pg_port/ferretdb" \
  --listen-addr="127.0.0.1:$port" --state-dir="$dir/state" --debug-addr=- --telemetry=disable \
  --log-level=warn &
ferret_pid=$!
echo "MONGODB_URI=mongodb://127.0.0.1:$port/"
wait "$ferret_pid"
