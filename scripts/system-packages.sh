#!/usr/bin/env bash
# The one set-up step for the system packages gi-registry needs, used by `make run`, `make test`,
# `make test-postgis`, `make bench` and .ci/run, so that they cannot drift apart.
#
#   scripts/system-packages.sh run     python3-venv (to build .venv), fonts-noto-cjk (the Chinese text of
#                                      the map images, PNG, the site serves)
#   scripts/system-packages.sh test    + chromium (browser tests, through Playwright)
#                                      + postgresql-15, postgresql-15-postgis-3 (the production backend;
#                                        the tests start throwaway servers)
#   scripts/system-packages.sh bench   + wrk, libsqlite3-mod-spatialite (the load generator, pygeoapi's peer)
#
# What is present is checked by the files the project uses, so a second run does nothing and takes
# milliseconds. As root with apt-get it installs what is missing (Debian 12); otherwise it prints, once,
# what is missing and the command to install it, and exits 0: the tests that need a missing program then
# skip with the reason (and under CI=true a skipped test fails the run).
set -euo pipefail

profile=${1:-run}
case "$profile" in
  run | test | bench) ;;
  *)
    echo "usage: $0 [run|test|bench]" >&2
    exit 2
    ;;
esac

pg_bin=${GI_PG_BIN:-/usr/lib/postgresql/15/bin}
pg_share=${GI_PG_SHARE:-/usr/share/postgresql/15}
chromium=${GI_CHROMIUM:-/usr/bin/chromium}

missing=()
need() { # need PACKAGE WHY: PACKAGE is missing
  missing+=("$1")
  reasons+=("  $1 - $2")
}
reasons=()

command -v make >/dev/null 2>&1 || need make "runs the Makefile"
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need python3-venv "builds .venv"
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 \
  || need fonts-noto-cjk "Chinese text in the map images (PNG) and in screenshots"
if [ "$profile" != run ]; then
  [ -x "$chromium" ] || need chromium "the browser tests (tests/browser)"
  [ -x "$pg_bin/initdb" ] || need postgresql-15 "the PostgreSQL tests and make test-postgis"
  [ -f "$pg_share/extension/postgis.control" ] || need postgresql-15-postgis-3 "PostGIS for those tests"
fi
if [ "$profile" = bench ]; then
  command -v wrk >/dev/null 2>&1 || need wrk "the benchmark's load generator"
  ls /usr/lib/*/mod_spatialite.so* >/dev/null 2>&1 || need libsqlite3-mod-spatialite "pygeoapi's SQLite peer"
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the system packages gi-registry's $profile step needs: ${missing[*]}"
  echo "(a first run downloads about 300 MB and takes a few minutes; later runs skip this)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

cat <<MSG
------------------------------------------------------------------------------------------------
gi-registry: system packages missing for '$profile' (not installed: this is not root with apt-get):
$(printf '%s\n' "${reasons[@]}")
Install them with:
  sudo apt-get install -y --no-install-recommends ${missing[*]}
The tests that need them are skipped, each with its reason, until then.
------------------------------------------------------------------------------------------------
MSG
