#!/bin/bash
# The README's start command (scripts/start), as a person or a script runs it:
#   - it builds, brings the whole stack up on its own ports and state, and
#     says so ("Press Ctrl-C to stop.");
#   - through its nginx the login page answers with its labels, and a
#     forgot-ID request of a demo member gives a real mail in var/mail/
#     (programs, database, mailer and SMTP sink all up);
#   - started in the background by a script (SIGINT ignored on entry, as
#     `cmd &` leaves it without job control), SIGINT still stops it: it exits
#     0 and every process it started (their pid files) is gone, the port
#     closed.
#   tests/ops/start_command_test.sh BUILD_DIR
# Its own Release build goes to BUILD_DIR/start-build (kept between runs).
source "$(dirname "$0")/ops_lib.sh"
build=$(realpath "$1")
ops_scratch "$build" start-command
var=$OPS_TMP/var
https_port=$(ops_free_port)
url=https://127.0.0.1:$https_port

# What an operator's script does: start it in the background, no job control.
KOSMO_VAR=$var KOSMO_BUILD=$build/start-build KOSMO_HTTPS_PORT=$https_port \
  KOSMO_SMTP_PORT=$(ops_free_port) KOSMO_DB_PORT=$(ops_free_port) \
  "$OPS_REPO/scripts/start" >"$OPS_TMP/start.log" 2>&1 &
start_pid=$!
ops_track "$start_pid"

deadline=$((SECONDS + 1200))
until grep -q 'Press Ctrl-C to stop.' "$OPS_TMP/start.log"; do
  _alive "$start_pid" || { tail -30 "$OPS_TMP/start.log" >&2; ops_die "scripts/start exited before the stack was up"; }
  [ "$SECONDS" -lt "$deadline" ] || { tail -30 "$OPS_TMP/start.log" >&2; ops_die "scripts/start not up after 1200 s"; }
  sleep 2
done
ops_ok "scripts/start brought the stack up"

# The login page, through nginx, with the labels a member reads.
page=$(curl -sk --max-time 20 "$url/login") || ops_die "GET /login failed"
for text in 'ログインID' 'パスワード' '>ログイン</button>'; do
  if grep -qF -- "$text" <<<"$page"; then ops_ok "the login page shows $text"; else ops_fail "the login page lacks $text"; fi
done

# A demo member asks for their login ID: the mail arrives in var/mail/.
member=$(jq -c '(if type == "array" then . else .members end) | map(select(.kind == "eligible")) | .[0]' \
  "$var/demo-members.json") || ops_die "no demo members in $var/demo-members.json"
field() { jq -r --arg k "$1" '.[$k]' <<<"$member"; }
jar=$OPS_TMP/cookies
csrf=$(curl -sk --max-time 20 -c "$jar" -b "$jar" "$url/forgot-id" |
  sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$csrf" ] || ops_die "the forgot-ID form has no CSRF field"
answer=$(curl -sk --max-time 20 -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
  --data-urlencode "csrf=$csrf" --data-urlencode "card_symbol=$(field card_symbol)" \
  --data-urlencode "card_number=$(field card_number)" --data-urlencode "birth_date=$(field birth_date)" \
  --data-urlencode "email=$(field email)" "$url/forgot-id")
if [ "$answer" = "303 $url/forgot-id/sent" ]; then ops_ok "the forgot-ID POST answers 303 to /forgot-id/sent"
else ops_fail "the forgot-ID POST answered '$answer'"; fi
mail=
for _ in $(seq 1 60); do
  mail=$(grep -lF -- "To: <$(field email)>" "$var"/mail/*.eml 2>/dev/null | head -1) && [ -n "$mail" ] && break
  sleep 1
done
if [ -n "$mail" ]; then ops_ok "the login ID mail reached the SMTP sink ($(basename "$mail"))"
else ops_fail "no mail to $(field email) in $var/mail after 60 s"; fi

# SIGINT, as Ctrl-C sends it: everything stops, by the pids it started.
pids=()
for file in "$var"/run/*.pid; do
  [ -s "$file" ] && pids+=("$(cat "$file")")
done
[ "${#pids[@]}" -ge 5 ] || ops_fail "only ${#pids[@]} pid files in $var/run"
kill -INT "$start_pid"
status=0
if _wait_gone 180 "$start_pid"; then
  wait "$start_pid" || status=$?
  if [ "$status" = 0 ]; then ops_ok "SIGINT: scripts/start exited 0"; else ops_fail "SIGINT: scripts/start exited $status"; fi
else
  ops_fail "SIGINT: scripts/start still running after 180 s"
  kill -TERM "$start_pid" 2>/dev/null || true
fi
left=()
for pid in "${pids[@]}"; do
  _alive "$pid" && left+=("$pid ($(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | cut -c1-80))")
done
if [ "${#left[@]}" = 0 ]; then ops_ok "SIGINT: all ${#pids[@]} processes it started are gone"
else ops_fail "SIGINT left running: ${left[*]}"; kill -TERM "${left[@]%% *}" 2>/dev/null || true; fi
if curl -sk --max-time 5 -o /dev/null "$url/login"; then ops_fail "nginx still answers on $https_port"
else ops_ok "nothing answers on $https_port any more"; fi
ops_finish
