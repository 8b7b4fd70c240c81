#!/bin/bash
# The checks tests/systemd/debian12_test.sh runs inside the booted Debian 12
# container, one per call, as a sysadmin would on the server:
#   inside.sh CHECK [ARG...]
# Each prints what it saw; exit 0 means the check passed. The site is reached
# as https://www.example.jp (the test maps the name to 127.0.0.1 in
# /etc/hosts) and verified against the README's self-signed certificate.
# The imported test member is in member.env beside this file.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=/dev/null
source "$here/member.env"
site=https://www.example.jp
sink_dir=/var/lib/kosmo-test-sink
jar=$here/cookies
# The logged-in member's cookies, kept from check_login for the outage checks.
session_jar=$here/session-cookies

fail() {
  printf '%s\n' "$*" >&2
  exit 1
}
site_curl() { curl -sS --cacert /etc/ssl/certs/kosmo.pem --max-time "${curl_time:-15}" "$@"; }
# status_of PATH [CURL ARGS]: the HTTP status of one request with the jar.
status_of() {
  local path=$1
  shift
  site_curl -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' "$@" "$site$path"
}
# The CSRF field of the form at PATH (the jar keeps the cookie it goes with).
csrf_of() {
  site_curl -b "$jar" -c "$jar" "$site$1" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1
}
main_pid() { systemctl show -p MainPID --value "$1"; }
# kosmo-mailer's counters file (stats_dir), made as the last step of its
# start; waits up to 5 s for it and prints its path.
mailer_stats_file() {
  local file
  file=/run/kosmo/stats/mailer.$(main_pid kosmo-mailer.service).stats
  for _ in $(seq 50); do [ -f "$file" ] && break; sleep 0.1; done
  [ -f "$file" ] || fail "no $file: $(ls -l /run/kosmo/stats 2>&1; journalctl -u kosmo-mailer -n 5 --no-pager -o cat)"
  echo "$file"
}
mails() { find "$sink_dir" -name '*.eml' | sort; }
# The decoded text of a mail file (base64 body).
mail_text() {
  python3 -c 'import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(m["Subject"] and str(email.header.make_header(email.header.decode_header(m["Subject"]))))
print(m.get_payload(decode=True).decode())' "$1"
}
# wait_new_mail COUNT_BEFORE SECONDS: the first mail after COUNT_BEFORE.
wait_new_mail() {
  local before=$1 deadline=$((SECONDS + $2))
  while [ "$(mails | wc -l)" -le "$before" ]; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  mails | sed -n "$((before + 1))p"
}
# post_identity: 本人確認情報入力画面 submitted as the member types it.
post_identity() {
  local csrf
  csrf=$(csrf_of /forgot-id)
  [ -n "$csrf" ] || fail "no CSRF field on /forgot-id"
  site_curl -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    --data-urlencode "csrf=$csrf" --data-urlencode "card_symbol=$CARD_SYMBOL" \
    --data-urlencode "card_number=$CARD_NUMBER" --data-urlencode "birth_date=$BIRTH_DATE" \
    --data-urlencode "email=$EMAIL" "$site/forgot-id"
}

# Eight sockets (seven screens, metrics) in /run/kosmo, group www-data, 0660.
check_sockets() {
  local listed sock
  listed=$(systemctl list-sockets --no-legend 'kosmo-*')
  echo "$listed"
  [ "$(grep -c '/run/kosmo/.*\.sock' <<<"$listed")" = 8 ] || fail "expected 8 kosmo sockets"
  for sock in /run/kosmo/*.sock; do
    [ "$(stat -c '%G %a' "$sock")" = "www-data 660" ] || fail "$sock: $(stat -c '%U:%G %a' "$sock")"
  done
  echo "8 sockets in /run/kosmo, www-data 0660"
}

# SCREEN's program is not running; the first request to PATH starts it.
check_activation() {
  local screen=$1 path=$2 code
  systemctl is-active --quiet "kosmo-screen@$screen.service" && fail "kosmo-screen@$screen.service runs before any request"
  code=$(status_of "$path")
  [ "$code" = 200 ] || fail "GET $path: $code"
  systemctl is-active --quiet "kosmo-screen@$screen.service" || fail "kosmo-screen@$screen.service did not start"
  echo "GET $path: 200, kosmo-screen@$screen.service started (pid $(main_pid "kosmo-screen@$screen.service"))"
}

# ログイン → マイページ with the imported member's password.
check_login() {
  local csrf answer page
  rm -f "$jar"
  csrf=$(csrf_of /login)
  [ -n "$csrf" ] || fail "no CSRF field on /login"
  answer=$(site_curl -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    --data-urlencode "csrf=$csrf" --data-urlencode "login_id=$LOGIN_ID" \
    --data-urlencode "password=$PASSWORD" "$site/login")
  [ "$answer" = "303 $site/mypage" ] || fail "POST /login: $answer"
  page=$(site_curl -b "$jar" -c "$jar" "$site/mypage")
  grep -qF "$DISPLAY_NAME" <<<"$page" || fail "マイページ does not show $DISPLAY_NAME"
  cp -- "$jar" "$session_jar"
  echo "POST /login: 303 to /mypage, マイページ shows the member"
}

# 「IDを忘れた方はこちら」: the mail reaches the sink, its link opens, and
# 「ログインIDを表示する」 shows the login ID.
check_forgot_id() {
  local before answer file text url token csrf page
  rm -f "$jar"
  before=$(mails | wc -l)
  answer=$(post_identity)
  [ "$answer" = "303 $site/forgot-id/sent" ] || fail "POST /forgot-id: $answer"
  file=$(wait_new_mail "$before" 15) || fail "no mail in $sink_dir within 15 s"
  text=$(mail_text "$file")
  url=$(grep -o "$site/id-notice?t=[A-Za-z0-9_-]\{43\}" <<<"$text" | head -1) || true
  [ -n "$url" ] || fail "no $site/id-notice URL in the mail: $text"
  token=${url##*t=}
  csrf=$(csrf_of "/id-notice?t=$token")
  [ -n "$csrf" ] || fail "the mail's link shows no confirmation form"
  answer=$(site_curl -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    --data-urlencode "csrf=$csrf" --data-urlencode "t=$token" "$site/id-notice")
  [ "$answer" = "303 $site/id-notice" ] || fail "POST /id-notice: $answer"
  page=$(site_curl -b "$jar" -c "$jar" "$site/id-notice")
  grep -qF "$LOGIN_ID" <<<"$page" || fail "ログインID再通知画面 does not show the login ID"
  echo "mail $(head -1 <<<"$text") with $site/id-notice?t=…; its ID screen shows the login ID"
}

# GET /metrics from this host (README, Watch): kosmo-metrics starts on it
# and reads the screens' counters from /run/kosmo/stats, and kosmo-mailer's
# (its refused audit rows, D18), which its unit lets it write there: the
# mailer's series without request series, and a restart of the mailer keeps
# the screens' files (RuntimeDirectoryPreserve).
check_metrics() {
  local text mailer_pid file
  text=$(curl -sSk --max-time 15 https://127.0.0.1/metrics)
  grep -q '^kosmo_requests_total{screen="login"' <<<"$text" || fail "no login counters in /metrics: ${text:0:300}"
  systemctl is-active --quiet kosmo-screen@metrics.service || fail "kosmo-screen@metrics.service does not run"
  echo "GET /metrics: $(grep -c '^kosmo_' <<<"$text") kosmo_ lines, login counted"
  systemctl restart kosmo-mailer.service
  mailer_pid=$(main_pid kosmo-mailer.service)
  file=$(mailer_stats_file)
  text=$(curl -sSk --max-time 15 https://127.0.0.1/metrics)
  grep -q '^kosmo_requests_total{screen="login"' <<<"$text" || fail "the restart of kosmo-mailer took the screens' counters: ${text:0:300}"
  grep -qx 'kosmo_audit_write_failures_total{screen="mailer"} [0-9]*' <<<"$text" ||
    fail "no kosmo_audit_write_failures_total{screen=\"mailer\"} in /metrics: $(grep audit_write <<<"$text")"
  grep -q '^kosmo_request[a-z_]*{screen="mailer"' <<<"$text" && fail "request series for kosmo-mailer in /metrics"
  echo "kosmo-mailer restarted (pid $mailer_pid): $(stat -c '%U %a' "$file") $file; /metrics: $(grep -F 'screen="mailer"' <<<"$text"), no request series; login still counted"
}

# kosmo-admin member show of a member imported with has_logged_in=1 who has
# not logged in here: no import time passed off as a login (issue 14).
check_member_show_not_logged_in() {
  local shown
  shown=$(kosmo-admin member show "$1")
  grep -qE '^last_login: +none on this system \(imported as logged in before' <<<"$shown" ||
    fail "member show $1: $(grep -E '^(last|previous)_login' <<<"$shown")"
  grep -E '^last_login' <<<"$shown"
}

# The unit's hardening as systemd applies it, and no capability in the
# running program.
check_hardening() {
  local unit=$1 shown expected pid caps
  shown=$(systemctl show "$unit" -p User -p NoNewPrivileges -p ProtectSystem -p PrivateTmp -p PrivateDevices \
    -p ProtectHome -p RestrictAddressFamilies -p IPAddressDeny -p IPAddressAllow -p CapabilityBoundingSet \
    -p SystemCallFilter -p MemoryDenyWriteExecute -p RestrictNamespaces)
  # (systemctl show sorts the address families)
  for expected in User=kosmo NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes PrivateDevices=yes \
    ProtectHome=yes 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' IPAddressDeny=0.0.0.0/0 \
    IPAddressAllow=127.0.0.0/8 CapabilityBoundingSet= MemoryDenyWriteExecute=yes RestrictNamespaces=yes; do
    case $expected in
      IPAddressDeny=* | IPAddressAllow=*)
        grep -q "^${expected%%=*}=.*${expected#*=}" <<<"$shown" || fail "$unit: no $expected in: $shown" ;;
      *) grep -qxF "$expected" <<<"$shown" || fail "$unit: no $expected in: $shown" ;;
    esac
  done
  # @system-service without @privileged: setuid and mount are not allowed.
  grep -q '^SystemCallFilter=.* read ' <<<"$shown" || fail "$unit: no SystemCallFilter"
  grep -qE '^SystemCallFilter=.* (setuid|mount) ' <<<"$shown" && fail "$unit: SystemCallFilter allows setuid or mount"
  pid=$(main_pid "$unit")
  [ "$pid" -gt 0 ] || fail "$unit has no main process"
  caps=$(grep '^Cap' "/proc/$pid/status")
  grep -qvE ':[[:space:]]+0{16}$' <<<"$caps" && fail "$unit (pid $pid) holds capabilities: $caps"
  grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$pid/status" || fail "$unit (pid $pid): NoNewPrivs not set"
  echo "$unit: hardening in force, pid $pid: $(tr '\n' ' ' <<<"$caps")"
}

# IPAddressDeny=any except localhost, in force: a process in the unit's
# cgroup cannot reach a non-local address that other processes reach (the
# address is put on lo: the container has no other network).
check_ip_firewall() {
  local unit=$1 cgroup_root cgroup outside inside
  ip addr replace 192.0.2.1/32 dev lo
  outside=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 https://192.0.2.1/healthz 2>&1) || true
  [ "$outside" = 200 ] || fail "outside the unit, https://192.0.2.1/healthz gave '$outside' (expected 200)"
  cgroup_root=$(findmnt -n -o TARGET -t cgroup2 | head -1)
  cgroup=$cgroup_root$(systemctl show -p ControlGroup --value "$unit")
  [ -e "$cgroup/cgroup.procs" ] || fail "no cgroup $cgroup"
  # A child shell moves itself into the unit's cgroup, then connects.
  inside=$(sh -c 'echo $$ >"$1/cgroup.procs" && exec curl -sSk -o /dev/null --max-time 5 https://192.0.2.1/healthz 2>&1' \
    sh "$cgroup") && fail "in the cgroup of $unit, a connection to 192.0.2.1 was allowed"
  # The BPF filter drops the packets: connect() times out (or is refused).
  grep -qi 'timed out\|not permitted\|Couldn.t connect\|Failed to connect' <<<"$inside" ||
    fail "in the cgroup of $unit, curl said: $inside"
  # The same process may still reach localhost.
  sh -c 'echo $$ >"$1/cgroup.procs" && exec curl -sk -o /dev/null --max-time 5 https://127.0.0.1/healthz' sh "$cgroup" ||
    fail "in the cgroup of $unit, localhost was refused"
  echo "from $unit's cgroup: 192.0.2.1 refused ($inside), 127.0.0.1 allowed; outside it: 192.0.2.1 answers 200"
}

check_no_firewall_warning() {
  local warnings
  warnings=$(journalctl -b --no-pager | grep -i 'IP firewall' || true)
  [ -z "$warnings" ] || fail "the journal says: $warnings"
  echo "journalctl -b | grep -i 'IP firewall': nothing"
}

# kill -9 of SCREEN's program while a request waits: systemd restarts it and
# the request is answered.
check_kill9() {
  local screen=$1 path=$2 unit old new code started
  unit=kosmo-screen@$screen.service
  old=$(main_pid "$unit")
  [ "$old" -gt 0 ] || fail "$unit does not run"
  kill -9 "$old"
  started=$SECONDS
  code=$(curl_time=30 status_of "$path")
  new=$(main_pid "$unit")
  [ "$code" = 200 ] || fail "the request sent after kill -9: $code"
  [ "$new" -gt 0 ] && [ "$new" != "$old" ] || fail "$unit: pid $old, then $new"
  echo "kill -9 $old: the waiting GET $path answered 200 after $((SECONDS - started)) s, from the restarted pid $new"
}

# systemctl restart 'kosmo-screen@*': every running program gets a new pid
# and the site answers.
check_restart_all() {
  local before after unit
  before=$(systemctl list-units --no-legend --state=running 'kosmo-screen@*.service' | awk '{ print $1 }')
  [ -n "$before" ] || fail "no screen program runs"
  declare -A old
  for unit in $before; do old[$unit]=$(main_pid "$unit"); done
  systemctl restart 'kosmo-screen@*'
  for unit in $before; do
    after=$(main_pid "$unit")
    [ "$after" -gt 0 ] && [ "$after" != "${old[$unit]}" ] || fail "$unit: pid ${old[$unit]}, then $after"
  done
  [ "$(status_of /login)" = 200 ] || fail "GET /login after the restart"
  check_sockets >/dev/null
  echo "restarted $(wc -w <<<"$before") programs, new pids, /login 200, eight sockets"
}

# answers_within PATH CODE SECONDS [TEXT]: PATH answers CODE (with TEXT in the
# body) within SECONDS.
answers_within() {
  local path=$1 want=$2 limit=$3 text=${4:-} started body code
  started=$(date +%s%N)
  body=$(curl_time=$((limit + 5)) site_curl -b "$jar" -c "$jar" -w '\n%{http_code}' "$site$path") || true
  code=${body##*$'\n'}
  local took=$((($(date +%s%N) - started) / 1000000))
  [ "$code" = "$want" ] || fail "GET $path: $code after $took ms (expected $want)"
  [ "$took" -le $((limit * 1000)) ] || fail "GET $path: $code after $took ms (limit $limit s)"
  [ -z "$text" ] || grep -qF "$text" <<<"$body" || fail "GET $path: $code without '$text'"
  echo "GET $path: $code in $took ms"
}

# MariaDB down (README, Database maintenance): 503 page and healthz 503
# within 2 s, from the running kosmo-login and from one started meanwhile.
check_db_down() {
  local login_pid
  systemctl is-active --quiet mariadb.service && fail "mariadb.service still runs"
  login_pid=$(main_pid kosmo-screen@login.service)
  answers_within /healthz 503 2 'database unavailable'
  jar=$session_jar answers_within /mypage 503 2 'ただいま'
  echo "(running program, pid $login_pid)"
  systemctl restart kosmo-screen@login.service --no-block
  sleep 0.5
  (answers_within /healthz 503 2 'database unavailable') ||
    fail "a kosmo-login started while MariaDB is down does not answer 503 within 2 s (issue 14 item 2)"
  echo "(newly started program, pid $(main_pid kosmo-screen@login.service))"
}

# MariaDB back: the same programs answer again, no restart.
check_db_back() {
  local pid before deadline
  pid=$(main_pid kosmo-screen@mypage.service)
  before=$(main_pid kosmo-screen@login.service)
  deadline=$((SECONDS + 20))
  until [ "$(status_of /healthz)" = 200 ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "healthz not 200 within 20 s of MariaDB's start"
    sleep 0.5
  done
  [ "$(jar=$session_jar status_of /mypage)" = 200 ] || fail "GET /mypage: not 200 after MariaDB came back"
  [ "$(main_pid kosmo-screen@mypage.service)" = "$pid" ] || fail "kosmo-mypage was restarted ($pid)"
  echo "healthz 200 and マイページ 200 again; kosmo-mypage still pid $pid, kosmo-login pid $before"
}

check_purge() {
  systemctl start kosmo-purge.service
  [ "$(systemctl show -p Result --value kosmo-purge.service)" = success ] || fail "kosmo-purge.service: $(systemctl status kosmo-purge.service --no-pager)"
  journalctl -u kosmo-purge.service --no-pager -o cat | tail -3
  systemctl is-active --quiet kosmo-purge.timer || fail "kosmo-purge.timer is not active"
}

# The mailer with the sink down: the mail waits queued; sink up, retry: sent.
check_mailer_sink_down() {
  local before answer queued file deadline
  systemctl stop kosmo-test-smtp-sink.service
  rm -f "$jar"
  before=$(mails | wc -l)
  answer=$(post_identity)
  [ "$answer" = "303 $site/forgot-id/sent" ] || fail "POST /forgot-id: $answer"
  # The mailer has tried and failed (and backs off) before the sink returns.
  deadline=$((SECONDS + 20))
  until kosmo-admin outbox list --status queued | grep -q "Couldn't connect"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no failed delivery with the sink down: $(kosmo-admin outbox list)"
    sleep 0.5
  done
  queued=$(kosmo-admin outbox list)
  grep -q 'queued=[1-9]' <<<"$queued" || fail "outbox with the sink down: $queued"
  systemctl is-active --quiet kosmo-mailer.service || fail "kosmo-mailer stopped while the sink was down"
  systemctl start kosmo-test-smtp-sink.service
  until (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "the sink does not listen on port 25"
    sleep 0.2
  done
  kosmo-admin outbox retry --queued
  file=$(wait_new_mail "$before" 20) || fail "no mail within 20 s of the sink's start: $(kosmo-admin outbox list)"
  echo "sink down: $(head -1 <<<"$queued"); sink up and outbox retry --queued: ${file##*/} arrived"
}

# After a reboot: everything enabled is back and the site works.
check_after_boot() {
  local unit
  for unit in mariadb.service nginx.service kosmo-mailer.service kosmo-purge.timer kosmo-screens.target \
    kosmo-test-smtp-sink.service; do
    systemctl is-active --quiet "$unit" || fail "$unit is not active after the boot"
  done
  check_sockets >/dev/null
  [ "$(status_of /healthz)" = 200 ] || fail "healthz after the boot"
  # The mailer starts before any socket-activated screen: its unit makes
  # /run/kosmo/stats itself.
  mailer_stats_file >/dev/null
  echo "after the boot: mariadb, nginx, kosmo-mailer (its counters file), kosmo-purge.timer, eight sockets, healthz 200"
}

# The README's own blocks, with its `editor` lines done by set_editor below.
run_block() {
  # shellcheck source=/dev/null
  source "$here/editor.sh"
  cd /root
  set -x
  # shellcheck source=/dev/null
  source "$here/readme-$1.sh"
}

name=$1
shift
case $name in
  run_block) run_block "$@" ;;
  *) "check_$name" "$@" ;;
esac
