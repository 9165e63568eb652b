#!/usr/bin/env bash
# Installs the servers the tests and `npm start` spawn: redis-server (apt-get) unless REDIS_URL
# is set, SecantusDB (pip, in a virtual environment of its own) when neither MONGODB_URI nor
# mongod is available, and Debian's Chromium for the browser tests. Idempotent; instant when
# everything is present.
# Usage: scripts/provision.sh [--quiet] [--browser] [--reinstall-secantus]
#   (--quiet prints nothing unless it has work to do)
set -euo pipefail

SECANTUS_VERSION=0.7.0b3
quiet=false
reinstall=false
browser=false
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=true ;;
    --reinstall-secantus) reinstall=true ;;
    --browser) browser=true ;;
    *) echo "usage: $0 [--quiet] [--browser] [--reinstall-secantus]" >&2; exit 2 ;;
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

# Same location as secantusHome() in infrastructure/services/secantus-server.ts.
secantus_home() {
  if [[ -n ${WARDEN_SECANTUS_HOME:-} ]]; then echo "$WARDEN_SECANTUS_HOME"; return; fi
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/warden/secantusdb-$SECANTUS_VERSION"
}

# Accepted only if it runs: a half-built environment is rebuilt, never taken as present.
secantus_runs() { "$1/bin/secantusd-py" --help >/dev/null 2>&1 && "$1/bin/python" -c 'import secantus' 2>/dev/null; }

find_python() {
  local candidate
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  return 1
}

ensure_python() {
  find_python >/dev/null && return
  local fix='install Python 3.10+ with venv (`sudo apt-get install -y python3 python3-venv`), or set MONGODB_URI'
  command -v apt-get >/dev/null || die "SecantusDB needs Python 3.10+ with venv and there is no apt-get: $fix"
  can_be_root || die "SecantusDB needs Python 3.10+ with venv and this user cannot install it: $fix"
  announce "installing python3 and python3-venv with apt-get"
  if ! apt_install python3 python3-venv; then
    as_root apt-get update -qq || die "apt-get update failed: $fix"
    apt_install python3 python3-venv || die "apt-get could not install python3-venv: $fix"
  fi
  find_python >/dev/null || die "python3 with venv is still missing: $fix"
}

ensure_mongo() {
  if [[ -n ${MONGODB_URI:-} ]]; then say "mongo: MONGODB_URI is set"; return; fi
  if command -v mongod >/dev/null; then say "mongo: $(command -v mongod)"; return; fi
  local home
  home=$(secantus_home)
  if [[ $reinstall != true ]] && secantus_runs "$home"; then say "mongo: SecantusDB $SECANTUS_VERSION at $home"; return; fi
  ensure_python
  announce "installing SecantusDB $SECANTUS_VERSION into $home (pip, about half a minute)"
  rm -rf "$home"
  mkdir -p "$(dirname "$home")"
  "$(find_python)" -m venv "$home" || { rm -rf "$home"; die "could not create a virtual environment at $home; or set MONGODB_URI"; }
  "$home/bin/pip" install --quiet --disable-pip-version-check "secantusdb==$SECANTUS_VERSION" ||
    { rm -rf "$home"; die "pip could not install secantusdb==$SECANTUS_VERSION (check the PyPI mirror); or set MONGODB_URI"; }
  secantus_runs "$home" || die "SecantusDB was installed at $home but does not run; or set MONGODB_URI"
  announce "SecantusDB $SECANTUS_VERSION installed at $home"
}

# Debian's Chromium for the browser tests (playwright-core is pinned to its major; no test tool
# downloads a browser). Only with --browser: `npm start` does not need it.
ensure_chromium() {
  if [[ -n ${CHROMIUM_PATH:-} ]]; then say "chromium: CHROMIUM_PATH is set"; return; fi
  if command -v chromium >/dev/null; then say "chromium: $(command -v chromium)"; return; fi
  local fix='run `sudo apt-get install -y chromium` or set CHROMIUM_PATH'
  command -v apt-get >/dev/null || die "chromium is missing and there is no apt-get to install it: $fix"
  can_be_root || die "chromium is missing and this user cannot install it: $fix"
  announce "installing chromium with apt-get"
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [^(]' || ! apt_install chromium; then
    announce "running apt-get update"
    as_root apt-get update -qq || die "apt-get update failed: $fix"
    apt_install chromium || die "apt-get could not install chromium: $fix"
  fi
  command -v chromium >/dev/null || die "chromium was installed but is not on PATH: $fix"
}

ensure_redis
ensure_mongo
if [[ $browser == true ]]; then ensure_chromium; fi
