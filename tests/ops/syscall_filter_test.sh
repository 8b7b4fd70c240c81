#!/bin/bash
# SystemCallFilter= of the units against what the programs really call. No
# systemd runs here to enforce the filter, so the programs run under strace
# instead, against the test stack, doing their real work: every screen
# program answers a GET of each of its routes, kosmo-login a POST that logs
# a member in (argon2id, session), kosmo-forgot-id a POST that queues a mail,
# kosmo-mailer --once sends a mail over SMTP to the stack's sink, and
# kosmo-admin purge runs. syscall_filter.py then fails the test if any
# system call they made is outside the unit's filter (in production it would
# fail with EPERM).
#   tests/ops/syscall_filter_test.sh BUILD_DIR   (needs the stack fixture)
source "$(dirname "$0")/ops_lib.sh"
build=$(realpath "$1")
ops_scratch "$build" syscall-filter
ops_load_stack_env
command -v strace >/dev/null || ops_die "strace is missing: scripts/test installs it"
conf=$KOSMO_VAR/etc/kosmo.conf
screen_unit=$OPS_REPO/systemd/kosmo-screen@.service
ops_built_screens

# fcgi SOCK METHOD PATH [BODY [COOKIE]]: one FastCGI request; prints the response.
fcgi() {
  local sock=$1 method=$2 path=$3 body=${4:-} cookie=${5:-}
  printf '%s' "$body" | env -i REQUEST_METHOD="$method" DOCUMENT_URI="$path" SCRIPT_NAME="$path" \
    QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 HTTPS=on HTTP_COOKIE="$cookie" \
    CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH="${#body}" \
    timeout 30 cgi-fcgi -bind -connect "$sock"
}
# CSRF cookie and field of a form page: sets csrf_cookie and csrf_field.
read_csrf() {
  csrf_cookie=$(sed -n 's/^Set-Cookie: \(__Host-kosmo_csrf=[^;]*\);.*/\1/p' <<<"$1" | head -n 1)
  csrf_field=$(grep -o 'name="csrf" value="[^"]*"' <<<"$1" | head -n 1 | sed 's/.*value="\(.*\)"/\1/')
}
urlencode() { /usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# The routes of each program, from the nginx site: "location = /x { fastcgi_pass unix:@RUN_DIR@/name.sock".
declare -A routes=()
while read -r route name; do
  routes[$name]+=" $route"
done < <(awk '/location = \//{ r = $3 } /fastcgi_pass unix:@RUN_DIR@\//{ s = $2; sub(/.*\//, "", s); sub(/\.sock;$/, "", s); print r, s }' \
  "$OPS_REPO/nginx/kosmo-site.conf.in")

stamp=$(date +%s%N)
login_id=${stamp: -13}
password="Filter-$stamp"
"$build/kosmo-admin" --config "$conf" member add --login-id "$login_id" --card-symbol 8801 \
  --card-number "${stamp: -8}" --birth-date 1980-01-02 --email "filter$stamp@example.jp" --logged-in \
  <<<"$password" >/dev/null || ops_die "kosmo-admin member add failed"

logs=()
for name in "${OPS_SCREENS[@]}"; do
  sock=$OPS_TMP/$name.sock
  trace=$OPS_TMP/kosmo-$name.strace
  strace -f -qq -o "$trace" "$build/kosmo-$name" --config "$conf" --listen "$sock" 2>"$OPS_TMP/$name.log" &
  pid=$!
  ops_track "$pid"
  for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
  [ -S "$sock" ] || { ops_fail "kosmo-$name made no socket"; cat "$OPS_TMP/$name.log" >&2; continue; }
  for route in ${routes[$name]:-}; do
    status=$(fcgi "$sock" GET "$route" | head -n 1) || true
    [[ $status == Status:* ]] || ops_fail "kosmo-$name GET $route: no answer"
  done
  case $name in
    login)
      page=$(fcgi "$sock" GET /login)
      read_csrf "$page"
      body="csrf=$(urlencode "$csrf_field")&login_id=$login_id&password=$(urlencode "$password")"
      status=$(fcgi "$sock" POST /login "$body" "$csrf_cookie" | head -n 1)
      [[ $status == "Status: 303"* ]] || ops_fail "kosmo-login POST /login under strace: $status"
      ;;
    forgot-id)
      page=$(fcgi "$sock" GET /forgot-id)
      read_csrf "$page"
      body="csrf=$(urlencode "$csrf_field")&card_symbol=8801&card_number=${stamp: -8}&birth_date=1980-01-02&email=filter$stamp%40example.jp"
      status=$(fcgi "$sock" POST /forgot-id "$body" "$csrf_cookie" | head -n 1)
      [[ $status == "Status: 303"* ]] || ops_fail "kosmo-forgot-id POST /forgot-id under strace: $status"
      ;;
  esac
  # strace blocks fatal signals when it runs a command: stop the program itself.
  kill -TERM $(pgrep -P "$pid") 2>/dev/null || true
  wait "$pid" || ops_fail "kosmo-$name did not exit 0 after SIGTERM"
  logs+=("$trace")
done
/usr/bin/python3 "$OPS_REPO/tests/ops/syscall_filter.py" "$screen_unit" "${logs[@]}" || ops_fail "screen programs"

# The mailer, with the stack's own mailer stopped so the queued mail is ours
# to send (the stack's mailer is started again whatever happens).
mail_id=$(mariadb --defaults-file="$KOSMO_VAR/mariadb/my.cnf" -N -B kosmo -e "
  INSERT INTO mail_outbox (kind, to_address, subject, body, message_id, status, next_attempt_at, created_at)
  VALUES ('password_changed', 'filter$stamp@example.jp', 'syscall filter test', 'body', '<$stamp@example.jp>',
          'queued', UTC_TIMESTAMP(6) + INTERVAL 1 HOUR, UTC_TIMESTAMP(6));
  SELECT LAST_INSERT_ID();")
(
  mailer_stop >/dev/null 2>&1
  trap 'mailer_start >/dev/null 2>&1' EXIT
  mariadb --defaults-file="$KOSMO_VAR/mariadb/my.cnf" kosmo \
    -e "UPDATE mail_outbox SET next_attempt_at = UTC_TIMESTAMP(6) WHERE mail_id = $mail_id"
  strace -f -qq -o "$OPS_TMP/kosmo-mailer.strace" "$build/kosmo-mailer" --config "$conf" --once \
    2>"$OPS_TMP/mailer.log"
) || ops_fail "kosmo-mailer --once failed (see $OPS_TMP/mailer.log)"
status=$(mariadb --defaults-file="$KOSMO_VAR/mariadb/my.cnf" -N -B kosmo -e "SELECT status FROM mail_outbox WHERE mail_id = $mail_id")
[ "$status" = sent ] || ops_fail "kosmo-mailer --once under strace left mail $mail_id '$status', not sent"
/usr/bin/python3 "$OPS_REPO/tests/ops/syscall_filter.py" "$OPS_REPO/systemd/kosmo-mailer.service" \
  "$OPS_TMP/kosmo-mailer.strace" || ops_fail "kosmo-mailer"

strace -f -qq -o "$OPS_TMP/kosmo-admin-purge.strace" "$build/kosmo-admin" --config "$conf" purge \
  >"$OPS_TMP/purge.log" 2>&1 || ops_fail "kosmo-admin purge failed: $(cat "$OPS_TMP/purge.log")"
/usr/bin/python3 "$OPS_REPO/tests/ops/syscall_filter.py" "$OPS_REPO/systemd/kosmo-purge.service" \
  "$OPS_TMP/kosmo-admin-purge.strace" || ops_fail "kosmo-admin purge"
ops_finish
