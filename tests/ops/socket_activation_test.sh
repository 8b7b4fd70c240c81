#!/bin/bash
# Socket activation as systemd/kosmo-screen@.service does it: the ExecStart
# line of the unit (paths moved to the build and the test stack) runs under
# systemd-socket-activate, which listens on the socket, waits for the first
# connection and then starts the program with LISTEN_FDS=1 (the socket on
# fd 3) and LISTEN_PID. A FastCGI GET through cgi-fcgi must answer 200 with
# the login page, log lines must carry their journal priority (<6>) when
# JOURNAL_STREAM says stderr is the journal, and SIGTERM must end it with 0.
# The same is checked for --inetd (the socket as fd 0, StandardInput=socket),
# which the programs accept too (spawn-fcgi does the same).
#   tests/ops/socket_activation_test.sh BUILD_DIR   (needs the stack fixture)
source "$(dirname "$0")/ops_lib.sh"
build=$(realpath "$1")
ops_scratch "$build" socket-activation
ops_load_stack_env
conf=$KOSMO_VAR/etc/kosmo.conf
unit=$OPS_REPO/systemd/kosmo-screen@.service
socket_unit=$OPS_REPO/systemd/kosmo-screen@.socket
screen=login

exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
listen=$(sed -n 's/^ListenStream=//p' "$socket_unit")
[ -n "$exec_start" ] && [ -n "$listen" ] || ops_die "no ExecStart= in $unit or ListenStream= in $socket_unit"
grep -qx 'StandardInput=null' "$unit" || ops_fail "$unit: expected StandardInput=null (activation by LISTEN_FDS)"
# The unit's own words, with the instance, the install paths and the
# configuration replaced for this machine.
command=${exec_start//%i/$screen}
command=${command//\/usr\/sbin\//$build/}
command=${command//\/etc\/kosmo\/kosmo.conf/$conf}
sock=${listen//%i/$screen}
sock=$OPS_TMP/${sock##*/}
read -r -a argv <<<"$command"
[ -x "${argv[0]}" ] || ops_die "${argv[0]} (from ExecStart=$exec_start) is not built"

# fcgi_get PATH: a FastCGI GET of PATH on $sock; prints the response.
fcgi_get() {
  env -i REQUEST_METHOD=GET DOCUMENT_URI="$1" SCRIPT_NAME="$1" QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 \
    REMOTE_ADDR=127.0.0.1 HTTPS=on timeout 20 cgi-fcgi -bind -connect "$sock"
}

for style in listen-fds inetd; do
  log=$OPS_TMP/$style.log
  rm -f -- "$sock"
  activate=(systemd-socket-activate -l "$sock" -E JOURNAL_STREAM=0:0)
  [ "$style" = inetd ] && activate+=(--inetd)
  "${activate[@]}" "${argv[@]}" </dev/null 2>"$log" >"$OPS_TMP/$style.stdout" &
  pid=$!
  ops_track "$pid"
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
  [ -S "$sock" ] || { ops_fail "$style: systemd-socket-activate made no socket"; cat "$log" >&2; continue; }
  # Nothing runs yet: the first connection starts the program.
  response=$(fcgi_get /login) || true
  if [[ $response == "Status: 200"* ]] && grep -q 'ログイン' <<<"$response"; then
    ops_ok "$style: the first connection started kosmo-$screen and got 200 and the login page"
  else
    ops_fail "$style: GET /login over FastCGI answered:"$'\n'"${response:0:600}"
  fi
  response=$(fcgi_get /mypage) || true
  [[ $response == "Status: 404"* ]] && ops_ok "$style: a path of another screen answers 404" ||
    ops_fail "$style: GET /mypage from kosmo-$screen answered: ${response:0:200}"
  if grep -q '^<6>level=info prog=kosmo-login event=started' "$log"; then
    ops_ok "$style: log lines carry the journal priority (<6> for info)"
  else
    ops_fail "$style: no '<6>level=info ... event=started' line in the program's stderr:"$'\n'"$(cat "$log")"
  fi
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  [ "$status" = 0 ] && ops_ok "$style: SIGTERM ends the program with exit 0" ||
    ops_fail "$style: exit status $status after SIGTERM"$'\n'"$(cat "$log")"
  # Under --inetd stdout is the socket: nothing may have been printed to it
  # apart from FastCGI records (the check here: stdout of LISTEN_FDS stays empty).
  if [ "$style" = listen-fds ] && [ -s "$OPS_TMP/$style.stdout" ]; then
    ops_fail "listen-fds: the program wrote to stdout: $(head -c 200 "$OPS_TMP/$style.stdout")"
  fi
done
ops_finish
