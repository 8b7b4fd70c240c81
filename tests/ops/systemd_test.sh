#!/bin/bash
# The systemd units (systemd/) as the Debian package installs them:
#   verify    systemd-analyze verify is silent and succeeds for every unit,
#             each screen's instance included (so each ExecStart exists);
#   security  systemd-analyze security --offline gives every service an
#             overall exposure of at most 2.0.
# No systemd needs to run. The units are checked inside a temporary root
# made by `cmake --install` (prefix /usr), because verify insists that
# ExecStart= names an executable file, and only an installed tree has
# /usr/sbin/kosmo-login; nothing is rewritten.
#   tests/ops/systemd_test.sh verify|security BUILD_DIR
source "$(dirname "$0")/ops_lib.sh"
mode=$1
build=$(realpath "$2")
ops_scratch "$build" "systemd-$mode"
root=$OPS_TMP/root
ops_stage_root "$build" "$root"
ops_built_screens

units=(kosmo-screens.target kosmo-mailer.service kosmo-purge.service kosmo-purge.timer)
for name in "${OPS_SCREENS[@]}"; do
  units+=("kosmo-screen@$name.socket" "kosmo-screen@$name.service")
done
for unit in kosmo-screen@.socket kosmo-screen@.service "${units[@]}"; do
  case $unit in *@.*) [ -f "$root/lib/systemd/system/$unit" ] || ops_fail "$unit is not installed" ;; esac
done

case $mode in
  verify)
    for unit in "${units[@]}"; do
      if out=$(cd "$root/lib/systemd/system" && systemd-analyze verify --root="$root" --man=no "$unit" 2>&1) &&
        [ -z "$out" ]; then
        ops_ok "verify $unit"
      else
        ops_fail "systemd-analyze verify $unit:"$'\n'"$out"
      fi
    done
    ;;
  security)
    # "→ Overall exposure level for kosmo-mailer.service: 0.9 SAFE 😀"
    max=2.0
    for unit in "${units[@]}"; do
      [[ $unit == *.service ]] || continue
      out=$(systemd-analyze security --offline=true --root="$root" "$unit" 2>&1) || true
      level=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' <<<"$out")
      if [ -z "$level" ]; then
        ops_fail "no exposure level for $unit:"$'\n'"$out"
      elif awk -v l="$level" -v m="$max" 'BEGIN { exit !(l <= m) }'; then
        ops_ok "$unit exposure $level (at most $max)"
      else
        ops_fail "$unit exposure $level, above $max; the items that count:"$'\n'"$(grep '✗' <<<"$out")"
      fi
    done
    ;;
  *) ops_die "usage: $0 verify|security BUILD_DIR" ;;
esac
ops_finish
