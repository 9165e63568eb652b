#!/usr/bin/env bash
# Installs the servers the tests and `npm start` spawn: redis-server (apt-get) unless REDIS_URL
# is set, and a FerretDB binary (built from source) when neither MONGODB_URI, mongod nor
# ferretdb is available. Idempotent; instant when everything is present.
# Usage: scripts/provision.sh [--quiet]   (--quiet prints nothing unless it has work to do)
set -euo pipefail

FERRETDB_VERSION=v1.24.2
quiet=false
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=true ;;
    *) echo "usage: $0 [--quiet]" >&2; exit 2 ;;
  esac
done

say() { [[ $quiet == true ]] || echo "provision: $*"; }
# Slow work is announced even with --quiet so a long build never looks like a hang.
announce() { echo "provision: $*" >&2; }
die() { echo "provision: $*" >&2; exit 1; }

can_be_root() { [[ $EUID -eq 0 ]] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; }
as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }
apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; }

ensure_redis() {
  if [[ -n ${REDIS_URL:-} ]]; then say "redis: REDIS_URL is set"; return; fi
  if command -v redis-server >/dev/null; then say "redis: $(command -v redis-server)"; return; fi
  local fix='run `sudo apt-get install -y redis-server` or set REDIS_URL'
  command -v apt-get >/dev/null || die "redis-server is missing and there is no apt-get to install it: install Redis (redis-server on PATH) or set REDIS_URL"
  can_be_root || die "redis-server is missing and this user cannot install it: $fix"
  announce "installing redis-server with apt-get"
  # Fresh images have empty package lists and old ones stale lists: update only then.
  if ! apt-cache policy redis-server 2>/dev/null | grep -q 'Candidate: [^(]' || ! apt_install redis-server; then
    announce "running apt-get update"
    as_root apt-get update -qq || die "apt-get update failed: $fix"
    apt_install redis-server || die "apt-get could not install redis-server: $fix"
  fi
  command -v redis-server >/dev/null || die "redis-server was installed but is not on PATH: $fix"
}

go_bin_dir() {
  local gopath
  gopath=$(go env GOPATH) || return 1
  echo "${gopath%%:*}/bin"
}

# Same search order as infrastructure/services/ferretdb-server.ts.
find_ferretdb() {
  command -v ferretdb && return
  local dirs=("$HOME/go/bin") dir
  if command -v go >/dev/null; then dirs=("$(go_bin_dir)" "${dirs[@]}"); fi
  for dir in "${dirs[@]}"; do
    if [[ -x $dir/ferretdb ]]; then echo "$dir/ferretdb"; return; fi
  done
  return 1
}

ensure_mongo() {
  if [[ -n ${MONGODB_URI:-} ]]; then say "mongo: MONGODB_URI is set"; return; fi
  if command -v mongod >/dev/null; then say "mongo: $(command -v mongod)"; return; fi
  local found
  if found=$(find_ferretdb); then say "mongo: FerretDB at $found"; return; fi
  command -v go >/dev/null || die "no MongoDB and no Go to build FerretDB: install Go 1.24+ (https://go.dev/dl), put mongod on PATH, or set MONGODB_URI"
  build_ferretdb
}

# `go install …@version` fails (the proxy refuses the deprecation lookup) and a binary built
# straight from the module cache panics without build/version/version.txt, hence the copy.
build_ferretdb() {
  local bin_dir module_dir
  tmp=$(mktemp -d) # global: the EXIT trap runs after this function has returned
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  bin_dir=$(go_bin_dir)
  announce "building FerretDB $FERRETDB_VERSION into $bin_dir (about a minute the first time)"
  module_dir=$(cd "$tmp" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -d $module_dir ]] || die "could not download the FerretDB $FERRETDB_VERSION module (check GOPROXY); or set MONGODB_URI"
  cp -r "$module_dir/." "$tmp/src"
  chmod -R u+w "$tmp/src"
  echo "$FERRETDB_VERSION" >"$tmp/src/build/version/version.txt"
  (cd "$tmp/src" && GOWORK=off GOFLAGS=-buildvcs=false go build -o "$tmp/ferretdb" ./cmd/ferretdb) ||
    die "building FerretDB failed (see above); or set MONGODB_URI"
  "$tmp/ferretdb" --version | grep -q "version: $FERRETDB_VERSION" || die "the FerretDB build does not report $FERRETDB_VERSION"
  mkdir -p "$bin_dir"
  # Copy then rename, so a concurrent run never sees a half-written binary.
  cp "$tmp/ferretdb" "$bin_dir/.ferretdb.$$"
  mv -f "$bin_dir/.ferretdb.$$" "$bin_dir/ferretdb"
  announce "FerretDB $FERRETDB_VERSION installed at $bin_dir/ferretdb"
}

ensure_redis
ensure_mongo
