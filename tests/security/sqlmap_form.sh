#!/bin/bash
# Runs Debian's sqlmap against one form of the running test stack and turns
# its findings into an exit status (issue 5 item 6). sqlmap itself always
# exits 0, and a run whose POSTs were all refused (CSRF 403) still ends in
# "all tested parameters do not appear to be injectable": a false clean. So:
#   exit 0  clean: the "not injectable" line, and no HTTP error summary at all
#           (no 403 CSRF refusals, no 429 throttling, no 500s)
#   exit 1  sqlmap found an injection point
#   exit 2  a broken run (stack down, CSRF token not found, errors, timeout)
#
#   sqlmap_form.sh NAME PATH DATA [CSRF_PAGE] [--login]
# NAME names the output folder; DATA is the urlencoded body with csrf=x in it;
# CSRF_PAGE is the page that holds the token (default PATH); --login runs the
# scan inside a fresh member's session (for the change-password form).
# Needs KOSMO_TEST_ENV (ctest sets it). Flags and markers: shared/notes/test-tools.md.
set -uo pipefail
name=$1 path=$2 data=$3 csrf_page=${4:-$2} login=${5:-}
set -a
# shellcheck disable=SC1090
source "${KOSMO_TEST_ENV:?run through ctest}"
set +a
base="https://127.0.0.1:$KOSMO_HTTPS_PORT"
out="$KOSMO_VAR/sqlmap/$name"
rm -rf -- "$out"
mkdir -p -- "$out"
command -v sqlmap >/dev/null || { echo "sqlmap is not installed (scripts/test installs it)"; exit 2; }

cookie_args=()
# sqlmap GETs the target itself for the token unless told another page.
csrf_args=()
[ "$csrf_page" = "$path" ] || csrf_args=(--csrf-url "$base$csrf_page" --csrf-method GET)
if [ "$login" = --login ]; then
  # A member of our own, logged in with curl: the session cookie goes to sqlmap.
  login_id="77$(date +%s%N | tail -c 12)"
  password="sqlmap-$(openssl rand -hex 8)"
  printf '%s\n' "$password" | "$KOSMO_BUILD/kosmo-admin" --config "$KOSMO_VAR/etc/kosmo.conf" member add \
    --login-id "$login_id" --card-symbol 9999 --card-number "${login_id: -8}" --birth-date 1980-01-02 \
    --email "sqlmap-$login_id@example.jp" --logged-in >"$out/member.txt" || { echo "cannot create the member"; exit 2; }
  jar="$out/cookies.txt"
  token=$(curl -sk -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
  status=$(curl -sk -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf=$token" \
    --data-urlencode "login_id=$login_id" --data-urlencode "password=$password" "$base/login")
  [ "$status" = 303 ] || { echo "login for the scan answered $status"; exit 2; }
  session=$(awk '$6 == "__Host-kosmo_session" { print $7 }' "$jar")
  csrf_cookie=$(awk '$6 == "__Host-kosmo_csrf" { print $7 }' "$jar")
  cookie_args=(--cookie "__Host-kosmo_session=$session; __Host-kosmo_csrf=$csrf_cookie")
fi

started=$(date +%s)
TERM=dumb timeout 300 sqlmap -u "$base$path" --data "$data" \
  --csrf-token=csrf "${csrf_args[@]}" "${cookie_args[@]}" \
  --batch --ignore-stdin --dbms MySQL --level 1 --risk 1 --text-only --skip-waf \
  --timeout 5 --retries 1 --time-sec 2 --flush-session --output-dir "$out" --disable-coloring \
  --answers 'keep testing=Y,automatically create=N,follow=N' </dev/null >"$out/stdout.txt" 2>&1
rc=$?
seconds=$(( $(date +%s) - started ))
requests=$(grep -c . "$KOSMO_VAR/log/kosmo-access.log" 2>/dev/null || echo '?')
echo "sqlmap $name: ${seconds}s (exit $rc); output in $out/stdout.txt"

if grep -q 'sqlmap identified the following injection point' "$out/stdout.txt" "$out"/127.0.0.1/log 2>/dev/null ||
   grep -Eq "(POST|GET|Cookie) parameter '.*' is vulnerable" "$out/stdout.txt"; then
  echo "FOUND: sqlmap reports an injection in $path"
  sed -n '/injection point/,/^---$/p' "$out/stdout.txt" | head -40
  exit 1
fi
if [ "$rc" -ne 0 ]; then
  echo "BROKEN: sqlmap exited $rc (timeout?)"; tail -20 "$out/stdout.txt"; exit 2
fi
# A few 400s are our parser refusing broken encodings (the right answer);
# 401/403 (CSRF), 429 (throttled) or any 5xx would make "clean" meaningless.
if grep -Eq '^(401|403|429|5[0-9][0-9]) \(.*\) - [0-9]+ times' "$out/stdout.txt"; then
  echo "BROKEN: requests were refused or failed (a clean result would be false):"
  grep -E '^[0-9]{3} \(.*\) - [0-9]+ times' "$out/stdout.txt"; exit 2
fi
if grep -Eq "anti-CSRF token '.*' can't be found|can't establish SSL connection|unable to connect|CRITICAL\] (connection|target URL)" "$out/stdout.txt"; then
  echo "BROKEN:"; grep -E 'CRITICAL|ERROR' "$out/stdout.txt" | head; exit 2
fi
if ! grep -q 'all tested parameters do not appear to be injectable' "$out/stdout.txt"; then
  echo "BROKEN: no verdict in the output:"; tail -20 "$out/stdout.txt"; exit 2
fi
tested=$(grep -Eo "testing '[^']+'" "$out/stdout.txt" | wc -l)
params=$(grep -Eo "(POST|Cookie) parameter '[a-z_]+'" "$out/stdout.txt" | sort -u | tr '\n' ' ')
echo "clean: $tested tests over: $params(access log now $requests lines)"
[ "$tested" -gt 0 ] || { echo "BROKEN: no test ran"; exit 2; }
exit 0
