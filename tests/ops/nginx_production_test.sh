#!/bin/bash
# The production nginx files the Debian package ships (BUILD/nginx-production,
# rendered by scripts/render-nginx from nginx/*.conf.in): only their
# production paths and ports are rewritten to this machine's (the test
# stack's sockets, certificate and static files, a scratch log folder,
# loopback ports); then
#   - the shipped HTTP redirect names no origin: nginx -t refuses it until
#     the operator writes the site's origin in (issue 13 item 4, D13);
#   - with the origin written in, nginx -t accepts them, included as Debian's nginx.conf does
#     (sites-enabled/*, sorted: kosmo-http-redirect.conf before kosmo.conf),
#     and the redirect's log format is the site's line;
#   - the local stack's rendered site and the production one come from the
#     same template: every template line without a placeholder is the same
#     line in both (no second copy);
#   - started: port 80's server only redirects to HTTPS (301), the HTTPS site
#     answers with HSTS, a POST flood from one address gets 429 (limit_req,
#     10r/s burst 20) with the Japanese page while GETs are not limited, and
#     the token of /id-notice?t=... does not reach the access log.
#   tests/ops/nginx_production_test.sh BUILD_DIR   (needs the stack fixture)
source "$(dirname "$0")/ops_lib.sh"
build=$(realpath "$1")
ops_scratch "$build" nginx-production
ops_load_stack_env
shipped=$build/nginx-production
conf=$OPS_TMP/conf
mkdir -p -- "$conf/sites-enabled" "$OPS_TMP/log" "$OPS_TMP"/{client_body,fastcgi,proxy,scgi,uwsgi}_temp
for file in kosmo.conf kosmo-http-redirect.conf kosmo_fastcgi_params; do
  [ -s "$shipped/$file" ] || ops_die "$shipped/$file is missing (the build renders it)"
done

https_port=$(ops_free_port)
http_port=$(ops_free_port)
for file in kosmo.conf kosmo-http-redirect.conf; do
  sed -e "s|unix:/run/kosmo/|unix:$KOSMO_VAR/run/|" \
    -e "s|/usr/share/kosmo/static|$OPS_REPO/static|" \
    -e "s|/usr/share/kosmo/ffdhe2048.pem|$OPS_REPO/nginx/ffdhe2048.pem|" \
    -e "s|/etc/ssl/certs/kosmo.pem|$KOSMO_VAR/etc/tls/cert.pem|" \
    -e "s|/etc/ssl/private/kosmo.key|$KOSMO_VAR/etc/tls/key.pem|" \
    -e "s|/var/log/nginx/|$OPS_TMP/log/|" \
    -e "s|listen \*:443 ssl;|listen 127.0.0.1:$https_port ssl;|" \
    -e "s|listen \*:80;|listen 127.0.0.1:$http_port;|" \
    "$shipped/$file" >"$conf/sites-enabled/$file"
done
# What the package ships must not redirect anywhere before the operator has
# set the origin; kept aside to try nginx -t on it below.
cp -- "$conf/sites-enabled/kosmo-http-redirect.conf" "$OPS_TMP/redirect-as-shipped.conf"
# The operator's edit: the origin into `return`, the guard line deleted.
public_origin=https://www.example.jp
sed -i -e '/kosmo_public_origin_is_not_set/d' -e "s|https://public-origin-not-set.invalid|$public_origin|" \
  "$conf/sites-enabled/kosmo-http-redirect.conf"
cp -- "$shipped/kosmo_fastcgi_params" "$conf/"
# Nothing of the production paths may be left, or nginx -t would look at
# this machine's /etc/ssl instead of failing.
if leftover=$(grep -nE '/run/kosmo|/usr/share/kosmo|/etc/ssl|/var/log|listen \*' "$conf"/sites-enabled/kosmo*.conf | grep -vE '^[^:]+:[0-9]+:\s*#'); then
  ops_die "production paths not rewritten:"$'\n'"$leftover"
fi
cat >"$conf/nginx.conf" <<NGINX
# Written by tests/ops/nginx_production_test.sh: the packaged sites under a
# private nginx, included as /etc/nginx/nginx.conf includes them: one glob,
# in sorted order.
user root;
worker_processes 1;
pid $OPS_TMP/nginx.pid;
error_log $OPS_TMP/log/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $OPS_TMP/client_body_temp;
    fastcgi_temp_path $OPS_TMP/fastcgi_temp;
    proxy_temp_path $OPS_TMP/proxy_temp;
    scgi_temp_path $OPS_TMP/scgi_temp;
    uwsgi_temp_path $OPS_TMP/uwsgi_temp;
    include $conf/sites-enabled/*;
}
NGINX
nginx_cmd=(nginx -p "$conf/" -c "$conf/nginx.conf" -e "$OPS_TMP/log/error.log")
cp -- "$conf/sites-enabled/kosmo-http-redirect.conf" "$OPS_TMP/redirect-edited.conf"
cp -- "$OPS_TMP/redirect-as-shipped.conf" "$conf/sites-enabled/kosmo-http-redirect.conf"
if out=$("${nginx_cmd[@]}" -t 2>&1); then
  ops_fail "nginx -t accepts the shipped HTTP redirect before its origin is set"
elif grep -q 'unknown directive "kosmo_public_origin_is_not_set' <<<"$out"; then
  ops_ok "nginx -t refuses the shipped HTTP redirect until the operator sets the origin (D13)"
else
  ops_fail "nginx -t refused the shipped redirect for another reason:"$'\n'"$out"
fi
cp -- "$OPS_TMP/redirect-edited.conf" "$conf/sites-enabled/kosmo-http-redirect.conf"
if out=$("${nginx_cmd[@]}" -t 2>&1); then
  ops_ok "nginx -t accepts the production site and its HTTP redirect"
else
  ops_die "nginx -t:"$'\n'"$out"
fi

# The redirect logs with its own format (it is included first, see
# nginx/kosmo-http-redirect.conf.in): the same line as the site's.
log_format_of() {  # log_format_of FILE NAME: the format's string, joined
  awk -v name="$2" '$1 == "log_format" && $2 == name { on = 1; $1 = ""; $2 = "" } on { line = line $0 } on && /;[[:space:]]*$/ { on = 0 } END { print line }' "$1" |
    tr -s ' '
}
site_format=$(log_format_of "$shipped/kosmo.conf" kosmo)
redirect_format=$(log_format_of "$shipped/kosmo-http-redirect.conf" kosmo_redirect)
[ -n "$site_format" ] && [ "$site_format" = "$redirect_format" ] &&
  ops_ok "the redirect's log format kosmo_redirect is the site's kosmo format" ||
  ops_fail "log formats differ:"$'\n'"kosmo:          $site_format"$'\n'"kosmo_redirect: $redirect_format"

# Same template, not a second copy.
local_site=$KOSMO_VAR/nginx/kosmo-site.conf
template=$OPS_REPO/nginx/kosmo-site.conf.in
if [ "$(wc -l <"$local_site")" = "$(wc -l <"$template")" ] && [ "$(wc -l <"$shipped/kosmo.conf")" = "$(wc -l <"$template")" ]; then
  differing=$(paste -d '\n' "$template" "$local_site" "$shipped/kosmo.conf" |
    awk 'NR % 3 == 1 { t = $0 } NR % 3 == 2 { l = $0 } NR % 3 == 0 && t !~ /@[A-Z_]+@/ && (t != l || t != $0) { print int(NR / 3) ": " t }')
  [ -z "$differing" ] && ops_ok "the local stack and production render the same template" ||
    ops_fail "lines that differ from nginx/kosmo-site.conf.in:"$'\n'"$differing"
else
  ops_fail "the local stack's $local_site or the shipped kosmo.conf is not a rendering of $template"
fi

"${nginx_cmd[@]}" || ops_die "nginx did not start: $(tail -5 "$OPS_TMP/log/error.log")"
for _ in $(seq 50); do [ -s "$OPS_TMP/nginx.pid" ] && break; sleep 0.1; done
read -r nginx_pid <"$OPS_TMP/nginx.pid"
ops_track "$nginx_pid"
base=https://127.0.0.1:$https_port
curl_opts=(-s --no-progress-meter --cacert "$KOSMO_VAR/etc/tls/cert.pem" --max-time 10)

# A forged Host header does not choose the target (D13, issue 13 item 4).
headers=$(curl "${curl_opts[@]}" -o /dev/null -D - -H 'Host: attacker.example' "http://127.0.0.1:$http_port/login?from=mail")
if grep -q '^HTTP/1.1 301' <<<"$headers" && grep -qi "^Location: $public_origin/login?from=mail" <<<"$headers"; then
  ops_ok "port 80 answers 301 to the configured origin with path and query, whatever the Host header"
else
  ops_fail "the HTTP server answered:"$'\n'"$headers"
fi
headers=$(curl "${curl_opts[@]}" -o /dev/null -D - "$base/login")
grep -q '^HTTP/1.1 200' <<<"$headers" && grep -qi '^Strict-Transport-Security: max-age=63072000' <<<"$headers" &&
  ops_ok "HTTPS GET /login: 200 with HSTS" || ops_fail "HTTPS GET /login answered:"$'\n'"$headers"

# 40 POSTs at once from one address: burst 20 (nodelay) lets about 20 through
# to the program (it refuses them: no CSRF token), the rest get 429 at the edge.
bodies=$(mktemp -d)
urls=()
for i in $(seq 40); do urls+=(-o "$bodies/$i" -w "%{http_code} $i\n" --data 'login_id=1&password=2' "$base/login"); done
codes=$(curl "${curl_opts[@]}" --parallel --parallel-max 40 "${urls[@]}")
limited=$(grep -c '^429 ' <<<"$codes" || true)
passed=$(grep -c '^4[0-9][0-9] ' <<<"$codes" || true)
summary=$(cut -d' ' -f1 <<<"$codes" | sort | uniq -c | tr -s ' \n' ' ')
if [ "$limited" -ge 10 ] && [ "$limited" -le 30 ] && [ "$passed" = 40 ]; then
  ops_ok "a burst of 40 POSTs: $limited get 429 at the edge, the others reach the program ($summary)"
else
  ops_fail "40 POSTs at once gave: $summary (expected 10 to 30 answers 429, the rest from the program)"
fi
# The body of one of those 429s (a second, sequential burst refilled the
# bucket between slow requests on a loaded machine and never met the limit).
first_limited=$(awk '$1 == 429 { print $2; exit }' <<<"$codes")
page=""
if [ -n "$first_limited" ]; then page="$(cat "$bodies/$first_limited")"$'\n'429; fi
rm -rf "$bodies"
[[ $page == *"ただいまサービスを利用できません"* && $page == *429 ]] &&
  ops_ok "429 comes with the Japanese page" || ops_fail "the 429 answer: ${page:0:300}"
urls=()
for _ in $(seq 40); do urls+=(-o /dev/null -w '%{http_code}\n' "$base/login"); done
codes=$(curl "${curl_opts[@]}" --parallel --parallel-max 40 "${urls[@]}" | sort | uniq -c | tr -s ' \n' ' ')
[ "$codes" = " 40 200 " ] && ops_ok "40 GETs at once are not limited" || ops_fail "40 GETs at once gave: $codes"

secret=NginxLogProbe_$RANDOM$RANDOM$RANDOM
curl "${curl_opts[@]}" -o /dev/null "$base/id-notice?t=$secret" || true
curl "${curl_opts[@]}" -o /dev/null "http://127.0.0.1:$http_port/id-notice?t=$secret" || true
sleep 0.3
if grep -rq "$secret" "$OPS_TMP/log"; then
  ops_fail "the token is in $(grep -rl "$secret" "$OPS_TMP/log" | tr '\n' ' ')"
elif grep -q '"GET /id-notice HTTP/1.1"' "$OPS_TMP/log/kosmo-access.log"; then
  ops_ok "the token of /id-notice reaches no log file (both servers log the path only)"
else
  ops_fail "no /id-notice line in the access log"
fi

kill -QUIT "$nginx_pid"
_wait_gone 10 "$nginx_pid" || ops_fail "nginx did not stop on QUIT"
ops_finish
