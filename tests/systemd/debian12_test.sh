#!/bin/bash
# The package on a booted Debian 12 under real systemd (issue 14): builds the
# .deb, boots a Debian 12 root (debian_root.sh: debootstrap, cached) with
# systemd-nspawn -b, and inside it follows README.md's Operations section in
# order by running its own code blocks (those marked <!-- systemd-test: NAME
# -->): install, database and account, configure and migrate, certificate,
# nginx site, enable the units, import members. Its `editor` lines are the
# edits of editor.sh; the site's name maps to 127.0.0.1 in /etc/hosts; apt
# says yes by itself; an SMTP sink (scripts/smtp_sink.py) listens on
# 127.0.0.1:25 as the unit kosmo-test-smtp-sink.service. Then, under systemd
# (inside.sh): socket activation on the first request, login, the forgot-ID
# mail and its link, the hardening in force (systemctl show, no capabilities,
# a non-local address refused, no "IP firewall" warning), kill -9 with a
# request waiting, systemctl restart 'kosmo-screen@*', MariaDB stopped and
# started as the README says (503 within 2 s, back without a restart),
# kosmo-purge.service, the mailer with the sink down then up, and a reboot.
# Each check prints ok: or FAIL: with what it saw; the test fails if one did.
# It stops the container by its pid and unmounts the overlay it mounted.
#   tests/systemd/debian12_test.sh BUILD_DIR
# Needs root, debootstrap and systemd-container (scripts/test installs them)
# and the network for a first root; KOSMO_TEST_CACHE names the cache folder.
source "$(dirname "$0")/../ops/ops_lib.sh"
source "$(dirname "$0")/debian_root.sh"
here=$OPS_REPO/tests/systemd
build=$(realpath "$1")
cache=${KOSMO_TEST_CACHE:-/var/cache/kosmo-test}
for tool in debootstrap systemd-nspawn nsenter cpack; do
  command -v "$tool" >/dev/null || ops_die "$tool is missing (scripts/test installs debootstrap and systemd-container)"
done

# A run killed before its cleanup may have left its overlay mounted.
scratch=$build/ops/systemd-debian12
if mountpoint -q "$scratch/root" 2>/dev/null; then umount "$scratch/root" || ops_die "cannot unmount $scratch/root"; fi
ops_scratch "$build" systemd-debian12
merged=$OPS_TMP/root
nspawn_pid=
init_pid=
cleanup() {
  stop_container
  mountpoint -q "$merged" && { umount "$merged" || umount -l "$merged"; }
  ops_cleanup
}
trap cleanup EXIT

step() { printf '\n== %s (%d s)\n' "$*" "$SECONDS"; }

step "cpack -G DEB"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$OPS_TMP/deb" >"$OPS_TMP/cpack.log" 2>&1 ||
  { tail -30 "$OPS_TMP/cpack.log" >&2; ops_die "cpack -G DEB failed"; }
debs=("$OPS_TMP"/deb/kosmo-account_*.deb)
[ -f "${debs[0]}" ] || ops_die "cpack made no kosmo-account_*.deb"
deb=${debs[0]}
ops_ok "built ${deb##*/}"

step "Debian 12 root"
root=$(debian_root_ensure "$deb" "$cache") || ops_die "no Debian root"
ops_ok "root $root"

# The container's root: an overlay on the cached root, so nothing it does
# reaches the cache.
mkdir -p -- "$OPS_TMP/upper" "$OPS_TMP/work" "$merged"
mount -t overlay overlay -o "lowerdir=$root/root,upperdir=$OPS_TMP/upper,workdir=$OPS_TMP/work" "$merged" ||
  ops_die "cannot mount the overlay on $merged"

# What the test puts into the container, under /root/kosmo-test: the checks,
# the README's blocks, the SMTP sink, the member to import.
test_dir=$merged/root/kosmo-test
mkdir -p -- "$test_dir" "$merged/srv/export"
cp -- "$deb" "$merged/root/"
cp -- "$here/inside.sh" "$here/editor.sh" "$OPS_REPO/scripts/smtp_sink.py" "$test_dir/"
# The code block right after each <!-- systemd-test: NAME --> line.
readme_blocks() {
  awk -v dir="$test_dir" '
    file != "" && /^```/ { close(file); file = ""; next }
    file != "" { print >file; next }
    name != "" && /^```/ { file = dir "/readme-" name ".sh"; name = ""; printf "" >file; next }
    { name = "" }
    /^<!-- systemd-test: [a-z-]+ -->$/ { name = $3 }
  ' "$OPS_REPO/README.md"
}
readme_blocks
for block in install database configure certificate nginx enable import database-stop database-start; do
  [ -s "$test_dir/readme-$block.sh" ] || ops_die "README.md has no code block marked <!-- systemd-test: $block -->"
done
# The README names the package of version 0.1.0; the built one may differ.
sed -i "s|\./kosmo-account_[^ ]*\.deb|./${deb##*/}|" "$test_dir/readme-install.sh"

# The member the checks log in as (a bcrypt hash, as PHP's password_hash
# makes them) and a second one that never logs in here.
password=Kosmo-test-$RANDOM$RANDOM
hash=$(python3 -c 'import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))' "$password" 2>/dev/null)
[[ $hash == '$2'* ]] || ops_die "no bcrypt hash from python3's crypt"
cat >"$test_dir/member.env" <<ENV
LOGIN_ID=0010000000001
PASSWORD=$password
CARD_SYMBOL=1234
CARD_NUMBER=567801
BIRTH_DATE=1980-01-02
EMAIL=member1@example.jp
DISPLAY_NAME='試験 一郎'
OTHER_LOGIN_ID=0010000000002
ENV
cat >"$merged/srv/export/members.csv" <<CSV
login_id,card_symbol,card_number,birth_date,email,display_name,password_hash,has_logged_in
0010000000001,1234,567801,1980-01-02,member1@example.jp,試験 一郎,$hash,1
0010000000002,1234,567802,昭和60年3月4日,member2@example.jp,試験 二郎,,1
CSV

# The test's own parts of the machine: the site's name on loopback, apt
# answering yes, the SMTP sink on port 25.
echo '127.0.0.1 www.example.jp' >>"$merged/etc/hosts"
echo 'APT::Get::Assume-Yes "true";' >"$merged/etc/apt/apt.conf.d/90kosmo-test"
cat >"$merged/etc/systemd/system/kosmo-test-smtp-sink.service" <<'UNIT'
[Unit]
Description=SMTP sink of the kosmo systemd test (scripts/smtp_sink.py)
[Service]
ExecStart=/usr/bin/python3 /root/kosmo-test/smtp_sink.py --port 25 --dir /var/lib/kosmo-test-sink
[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/kosmo-test-smtp-sink.service "$merged/etc/systemd/system/multi-user.target.wants/"

boot_container() {
  local log=$OPS_TMP/boot-$1.log deadline state
  # CAP_BPF and the bpf system call let systemd load its IP firewall;
  # without them it warns and runs the units without (README).
  systemd-nspawn --register=no --keep-unit --private-network --capability=CAP_BPF --system-call-filter=bpf \
    --console=read-only -D "$merged" -b >"$log" 2>&1 &
  nspawn_pid=$!
  # The container's PID 1 is nspawn's child once it has become systemd
  # (before its exec, its mounts are not the container's yet); then its bus
  # answers a moment later.
  init_pid=
  deadline=$((SECONDS + 60))
  while :; do
    kill -0 "$nspawn_pid" 2>/dev/null || { tail -20 "$log" >&2; ops_die "systemd-nspawn exited at boot"; }
    [ "$SECONDS" -lt "$deadline" ] || ops_die "no systemd under systemd-nspawn $nspawn_pid: $(tail -5 "$log")"
    state=
    init_pid=$(pgrep -P "$nspawn_pid" | head -1) || true
    if [ -n "$init_pid" ] && [ "$(cat "/proc/$init_pid/comm" 2>/dev/null)" = systemd ] &&
      state=$(timeout 120 nsenter -t "$init_pid" -a systemctl is-system-running --wait 2>&1); then
      break
    fi
    [[ ${state:-} == running || ${state:-} == degraded ]] && break
    sleep 0.2
  done
  if [ "$state" = running ]; then
    ops_ok "booted ($1): systemd $(nsenter -t "$init_pid" -a systemctl --version | head -1 | cut -d' ' -f2) is PID 1, state running"
  else
    ops_fail "booted ($1): state '$state'; failed units: $(in_container systemctl --failed --no-legend | tr '\n' ' ')"
  fi
}
stop_container() {
  [ -n "$nspawn_pid" ] || return 0
  if kill -0 "$nspawn_pid" 2>/dev/null; then
    # SIGTERM: nspawn asks the container's systemd to power off.
    kill -TERM "$nspawn_pid"
    _wait_gone 90 "$nspawn_pid" || kill -KILL "$nspawn_pid" 2>/dev/null || true
  fi
  wait "$nspawn_pid" 2>/dev/null || true
  nspawn_pid=
}
in_container() {
  nsenter -t "$init_pid" -a env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}
# check NAME ARG...: one check of inside.sh, reported ok/FAIL with its output.
check() {
  local out
  if out=$(in_container timeout 120 bash /root/kosmo-test/inside.sh "$@" 2>&1); then
    ops_ok "$1 $(sed -n '$p' <<<"$out")"
  else
    ops_fail "$*:"$'\n'"$(tail -15 <<<"$out")"
  fi
}
# readme NAME: the README block, run as written; stops the test if it fails
# (the later steps need it).
readme() {
  local out
  if out=$(in_container timeout 300 bash /root/kosmo-test/inside.sh run_block "$1" 2>&1); then
    ops_ok "README block '$1' ran"
    printf '%s\n' "$out" | sed 's/^/    /' | tail -12
  else
    printf '%s\n' "$out" | sed 's/^/    /' | tail -30
    ops_die "README block '$1' failed"
  fi
}

step "boot"
boot_container first

step "README, Operations"
for block in install database configure certificate nginx; do readme "$block"; done
readme enable
check sockets
readme import

step "under systemd"
check activation forgot-id /forgot-id
check login
check forgot_id
check member_show_not_logged_in "$(sed -n 's/^OTHER_LOGIN_ID=//p' "$test_dir/member.env")"
check metrics
for unit in kosmo-screen@login.service kosmo-screen@mypage.service kosmo-mailer.service; do
  check hardening "$unit"
done
check ip_firewall kosmo-screen@login.service
check ip_firewall kosmo-mailer.service
check no_firewall_warning
check kill9 login /login
check restart_all

step "MariaDB stopped and started (README, Database maintenance)"
readme database-stop
check db_down
readme database-start
check db_back

check purge
check mailer_sink_down

step "reboot"
in_container systemctl reboot || true
_wait_gone 120 "$nspawn_pid" || ops_die "the container did not go down on systemctl reboot"
wait "$nspawn_pid" 2>/dev/null || true
nspawn_pid=
boot_container second
check after_boot
check login
check forgot_id

step "stop"
stop_container
ops_ok "container stopped after $SECONDS s"
ops_finish
