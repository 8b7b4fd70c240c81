# shellcheck shell=bash
# Helpers of the operations tests (tests/ops/*_test.sh), sourced by each:
# a scratch folder removed on exit, failure reporting, the build installed
# into a temporary root (what the Debian package ships, at the same paths),
# and the test stack's environment for the tests that need it.
set -euo pipefail

OPS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The screen list of the local stack (scripts/stack.sh): one name everywhere.
# shellcheck source=scripts/stack.sh
source "$OPS_REPO/scripts/stack.sh"

ops_failures=0
ops_fail() {
  printf 'FAIL: %s\n' "$*" >&2
  ops_failures=$((ops_failures + 1))
}
ops_ok() { printf 'ok: %s\n' "$*"; }
ops_die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}
# The last line of every test: its exit status.
ops_finish() {
  if [ "$ops_failures" -gt 0 ]; then
    printf '%s check(s) failed\n' "$ops_failures" >&2
    exit 1
  fi
  printf 'all checks passed\n'
}

# ops_scratch BUILD NAME: a fresh folder BUILD/ops/NAME (kept after the run for
# a look at its logs; made again on the next one). Processes the test starts
# are registered with ops_track PID and get SIGTERM, then SIGKILL, on exit.
ops_pids=()
ops_scratch() {
  OPS_TMP=$1/ops/$2
  rm -rf -- "$OPS_TMP"
  mkdir -p -- "$OPS_TMP"
  trap ops_cleanup EXIT
}
ops_track() { ops_pids+=("$1"); }
ops_cleanup() {
  local pid
  for pid in ${ops_pids[@]+"${ops_pids[@]}"}; do
    # Children first: strace ignores SIGTERM while its program runs on.
    kill -TERM $(pgrep -P "$pid") "$pid" 2>/dev/null || true
  done
  for pid in ${ops_pids[@]+"${ops_pids[@]}"}; do
    _wait_gone 10 "$pid" || kill -KILL "$pid" 2>/dev/null || true
  done
}

# ops_stage_root BUILD ROOT: `cmake --install` into ROOT with prefix /usr,
# i.e. the files of the Debian package at their installed paths, plus the
# host's systemd units (sysinit.target and friends) that the default
# dependencies of our units name: systemd-analyze --root looks for both there.
ops_stage_root() {
  local build=$1 root=$2
  DESTDIR=$root cmake --install "$build" --prefix /usr >"$root.install.log" 2>&1 ||
    { cat "$root.install.log" >&2; ops_die "cmake --install into $root failed"; }
  [ -d /lib/systemd/system ] || ops_die "no /lib/systemd/system: install the systemd package"
  mkdir -p -- "$root/lib/systemd/system"
  cp -rn -- /lib/systemd/system/. "$root/lib/systemd/system/"
}

# The screens whose program exists (fcgi/screens/<screen>.cpp); the others
# are being written and are reported as skipped.
ops_built_screens() {
  local name
  OPS_SCREENS=()
  for name in "${KOSMO_SCREENS[@]}"; do
    if [ -e "$OPS_REPO/fcgi/screens/${name//-/_}.cpp" ]; then
      OPS_SCREENS+=("$name")
    else
      printf 'skipped: kosmo-%s (fcgi/screens/%s.cpp does not exist yet)\n' "$name" "${name//-/_}"
    fi
  done
}

# Reads the test stack's test.env (KOSMO_TEST_ENV, set by ctest).
ops_load_stack_env() {
  [ -n "${KOSMO_TEST_ENV:-}" ] && [ -f "$KOSMO_TEST_ENV" ] ||
    ops_die "KOSMO_TEST_ENV does not name the stack's test.env (run through ctest)"
  set -a
  # shellcheck disable=SC1090
  source "$KOSMO_TEST_ENV"
  set +a
}

# A free TCP port on 127.0.0.1, chosen by the kernel.
ops_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
