# shellcheck shell=bash
# The scale-out topology of the cluster tests, as shell functions: a 3-node
# MariaDB Galera cluster, two web nodes (each its own nginx, screen programs
# and kosmo-mailer, built with scripts/stack.sh under its own KOSMO_VAR) and
# haproxy in front, all on free loopback ports under $KOSMO_CLUSTER/.
#
#   source tests/cluster/cluster.sh && cluster_env BUILD_DIR && cluster_up
#
# Every server is started in its own session with a pid file and stopped by
# that pid (scripts/stack.sh's _spawn/_stop), never by name. Facts behind the
# Galera settings: /work/shared/notes/galera-on-loopback.md (rsync SST needs
# user=mysql; a joiner takes 12-18 s; restart after SIGKILL with
# --wsrep-recover, then --wsrep-start-position for IST).

_CLUSTER_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/stack.sh
source "$_CLUSTER_HERE/../../scripts/stack.sh"

GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
CLUSTER_DB_NODES=(1 2 3)
CLUSTER_WEB_NODES=(1 2)

_csay() { printf '%s\n' "cluster: $*" >&2; }

# cluster_env BUILD_DIR: the folder and, once cluster_ports ran, the ports.
cluster_env() {
  KOSMO_BUILD=$(realpath -m -- "$1")
  KOSMO_CLUSTER=$KOSMO_BUILD/cluster
  if [ -f "$KOSMO_CLUSTER/cluster.env" ]; then
    # shellcheck disable=SC1091
    source "$KOSMO_CLUSTER/cluster.env"
  fi
}

# Where the database nodes live: under the build folder when the mysql user
# can reach it (rsync SST runs as mysql), else in a private folder in /tmp.
_galera_root() {
  if runuser -u mysql -- test -x "$KOSMO_CLUSTER" 2>/dev/null; then
    printf '%s\n' "$KOSMO_CLUSTER/db"
  else
    mktemp -d /tmp/kosmo-galera.XXXXXX
  fi
}

# Picks every port at once (all bound together, so no two are the same) and
# writes cluster.env, which the node:test harness reads too.
cluster_ports() {
  local -a ports
  mapfile -t ports < <(/usr/bin/python3 - <<'PY'
import socket
socks = []
for _ in range(20):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
for s in socks: print(s.getsockname()[1])
PY
  ) || return 1
  [ "${#ports[@]}" = 20 ] || { _csay "cannot find free ports"; return 1; }
  local galera_root n i=0
  galera_root=$(_galera_root) || return 1
  {
    printf 'KOSMO_BUILD=%q\nKOSMO_CLUSTER=%q\nGALERA_ROOT=%q\n' "$KOSMO_BUILD" "$KOSMO_CLUSTER" "$galera_root"
    for n in "${CLUSTER_DB_NODES[@]}"; do
      printf 'DB%s_PORT=%s\nDB%s_GCOMM=%s\nDB%s_IST=%s\nDB%s_SST=%s\n' \
        "$n" "${ports[i]}" "$n" "${ports[i + 1]}" "$n" "${ports[i + 2]}" "$n" "${ports[i + 3]}"
      i=$((i + 4))
    done
    printf 'WEB1_PORT=%s\nWEB2_PORT=%s\nLB_PORT=%s\nSMTP_PORT=%s\nSTACK_DB_PORT=%s\n' \
      "${ports[12]}" "${ports[13]}" "${ports[14]}" "${ports[15]}" "${ports[16]}"
    # Each nginx's second listener, for haproxy's PROXY protocol.
    printf 'WEB1_PROXY_PORT=%s\nWEB2_PROXY_PORT=%s\n' "${ports[17]}" "${ports[18]}"
    # haproxy's second frontend, an HTTP balancer (X-Forwarded-For), and the
    # address it connects to the web nodes from.
    printf 'LB_HTTP_PORT=%s\nLB_HTTP_SOURCE=%s\n' "${ports[19]}" "$CLUSTER_HTTP_LB_SOURCE"
  } >"$KOSMO_CLUSTER/cluster.env.tmp" && mv -f -- "$KOSMO_CLUSTER/cluster.env.tmp" "$KOSMO_CLUSTER/cluster.env" || return 1
  # shellcheck disable=SC1091
  source "$KOSMO_CLUSTER/cluster.env"
}

_v() { local name=$1; printf '%s\n' "${!name}"; }

# db_hosts FIRST...: the failover list of a program whose database node is
# FIRST; the other nodes follow in order.
db_hosts() {
  local first=$1 n list
  list="127.0.0.1:$(_v "DB${1}_PORT")"
  for n in "${CLUSTER_DB_NODES[@]}"; do
    [ "$n" = "$first" ] || list+=",127.0.0.1:$(_v "DB${n}_PORT")"
  done
  printf '%s\n' "$list"
}

# ------------------------------------------------------------- Galera ---

# shellcheck disable=SC2153 # GALERA_ROOT comes from cluster.env
_gdir() { printf '%s\n' "$GALERA_ROOT/node$1"; }

galera_write_cnf() {
  local n=$1 dir gcomm='' m
  dir=$(_gdir "$n")
  mkdir -p -- "$dir/data" || return 1
  for m in "${CLUSTER_DB_NODES[@]}"; do gcomm+="${gcomm:+,}127.0.0.1:$(_v "DB${m}_GCOMM")"; done
  cat >"$dir/my.cnf" <<EOF
# Galera node $n of the cluster tests (tests/cluster/cluster.sh). Clients:
#   mariadb --defaults-file=$dir/my.cnf kosmo      (the option must come first)
[mariadbd]
user = mysql
datadir = $dir/data
socket = $dir/mysqld.sock
pid-file = $dir/mysqld.pid
log-error = $dir/error.log
port = $(_v "DB${n}_PORT")
bind-address = 127.0.0.1
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
default-time-zone = +00:00
max_connections = 300
performance_schema = OFF
innodb_buffer_pool_size = 64M
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 2
# What Galera needs: row-based replication, InnoDB, interleaved auto-increment.
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = $GALERA_PROVIDER
wsrep_cluster_name = kosmo-cluster-test
wsrep_cluster_address = gcomm://$gcomm
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1:$(_v "DB${n}_GCOMM")
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(_v "DB${n}_GCOMM");ist.recv_addr=127.0.0.1:$(_v "DB${n}_IST");gcache.size=64M"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$(_v "DB${n}_SST")
wsrep_sst_auth = mysql:

[client]
socket = $dir/mysqld.sock
user = root
default-character-set = utf8mb4
EOF
  chown -R mysql: -- "$dir" || return 1
}

# galera_client N [ARGS...]: the mariadb client as root on node N.
galera_client() {
  local n=$1
  shift
  mariadb --defaults-file="$(_gdir "$n")/my.cnf" "$@"
}

# "ON Synced 3" when node N is ready (SHOW STATUS works on a node that is
# not ready yet; most other statements fail there with 1047).
galera_state() {
  galera_client "$1" --connect-timeout=2 -N -B -e \
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment', 'wsrep_cluster_size')" \
    2>/dev/null | awk -F'\t' '{ v[$1] = $2 } END { print v["wsrep_ready"], v["wsrep_local_state_comment"], v["wsrep_cluster_size"] }'
}

# galera_start N [--new-cluster | --ist]: start node N. --ist first recovers
# the position a SIGKILL left in InnoDB, so the node asks for the missing
# writesets only (IST) instead of a full copy (SST).
galera_start() {
  local n=$1 mode=${2:-} dir pos
  local -a extra=()
  dir=$(_gdir "$n")
  if _running "$dir/run.pid" "--defaults-file=$dir/my.cnf" >/dev/null; then return 0; fi
  case $mode in
    --new-cluster) extra=(--wsrep-new-cluster) ;;
    --ist)
      rm -f -- "$dir/recover.log"
      mariadbd --defaults-file="$dir/my.cnf" --wsrep-recover --log-error="$dir/recover.log" >/dev/null 2>&1 ||
        { _fail "node $n: --wsrep-recover failed" "$dir/recover.log"; return 1; }
      pos=$(sed -n 's/.*WSREP: Recovered position: \([0-9a-f-]*:-\{0,1\}[0-9]*\).*/\1/p' "$dir/recover.log" | tail -1)
      [ -n "$pos" ] || { _fail "node $n: no recovered position" "$dir/recover.log"; return 1; }
      _csay "node $n: recovered position $pos"
      extra=(--wsrep-start-position="$pos")
      ;;
  esac
  rm -f -- "$dir/mysqld.sock"
  _spawn "$dir/run.pid" "$dir/stdout.log" mariadbd --defaults-file="$dir/my.cnf" ${extra[@]+"${extra[@]}"}
}

# galera_wait_synced SECONDS N...: until every node says ready, Synced.
galera_wait_synced() {
  local deadline=$((SECONDS + $1)) n pid state
  shift
  for n in "$@"; do
    while :; do
      state=$(galera_state "$n") || state=
      [[ $state == "ON Synced "* ]] && break
      read -r pid <"$(_gdir "$n")/run.pid" 2>/dev/null || pid=
      _alive "$pid" || { _fail "node $n exited while joining" "$(_gdir "$n")/error.log"; return 1; }
      [ "$SECONDS" -lt "$deadline" ] ||
        { _fail "node $n not Synced after the wait (state: ${state:-none})" "$(_gdir "$n")/error.log"; return 1; }
      sleep 0.1
    done
  done
}

galera_pid() {
  local dir
  dir=$(_gdir "$1")
  _running "$dir/run.pid" "--defaults-file=$dir/my.cnf"
}

# SIGKILL, as a crash would: nothing is flushed, grastate.dat keeps seqno -1.
galera_kill() {
  local pid
  pid=$(galera_pid "$1") || { _csay "node $1 is not running"; return 1; }
  kill -KILL "$pid"
  _wait_gone 15 "$pid" || { _fail "node $1 (pid $pid) survives SIGKILL"; return 1; }
  _csay "node $1 killed (pid $pid)"
}

galera_stop() {
  local dir
  dir=$(_gdir "$1")
  _stop "galera node $1" "$dir/run.pid" TERM 60 "--defaults-file=$dir/my.cnf"
}

# A fresh cluster: node 1 bootstraps, nodes 2 and 3 join together by rsync SST.
galera_bootstrap() {
  local n t0=$SECONDS password
  rm -rf -- "$GALERA_ROOT"
  mkdir -p -- "$GALERA_ROOT" && chmod 755 -- "$GALERA_ROOT" || return 1
  for n in "${CLUSTER_DB_NODES[@]}"; do galera_write_cnf "$n" || return 1; done
  # Joiners get node 1's data by SST: only node 1 needs a system database.
  mariadb-install-db --defaults-file="$(_gdir 1)/my.cnf" --skip-test-db \
    --auth-root-authentication-method=socket >"$(_gdir 1)/install.log" 2>&1 ||
    { _fail "mariadb-install-db failed" "$(_gdir 1)/install.log"; return 1; }
  galera_start 1 --new-cluster || return 1
  galera_wait_synced 60 1 || return 1
  _csay "node 1 bootstrapped in $((SECONDS - t0)) s"
  galera_start 2 && galera_start 3 || return 1
  galera_wait_synced 120 2 3 || return 1
  _csay "3 nodes Synced $((SECONDS - t0)) s after the first start"
  password=$(_cluster_secret db.password) || return 1
  # Replicated to every node (DDL and account changes go through TOI).
  galera_client 1 --batch <<EOF || { _fail "cannot create the kosmo database and account"; return 1; }
CREATE DATABASE IF NOT EXISTS kosmo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'kosmo'@'localhost' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'kosmo'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON kosmo.* TO 'kosmo'@'localhost';
GRANT ALL PRIVILEGES ON kosmo.* TO 'kosmo'@'127.0.0.1';
EOF
  printf '%s\n' "$((SECONDS - t0))" >"$KOSMO_CLUSTER/bootstrap-seconds"
}

# ------------------------------------------------------------ web nodes ---

# Shared by both web nodes: one CSRF key (a form from node 1 posts to node 2;
# limit counters are keyed with it too), one database password, one
# certificate (haproxy passes TLS through to whichever nginx).
_cluster_secret() {
  local key value
  while IFS='= ' read -r key value; do
    [ "$key" = "$1" ] && { printf '%s\n' "$value"; return 0; }
  done <"$KOSMO_CLUSTER/shared/secrets.conf"
  _fail "no $1 in $KOSMO_CLUSTER/shared/secrets.conf"
}

_cluster_shared() {
  local shared=$KOSMO_CLUSTER/shared
  mkdir -p -- "$shared/tls" && chmod 700 -- "$shared" || return 1
  if [ ! -s "$shared/secrets.conf" ]; then
    (umask 077 && printf 'db.password = %s\ncsrf_key = %s\n' "$(openssl rand -hex 16)" "$(openssl rand -hex 32)" \
      >"$shared/secrets.conf") || return 1
  fi
  if [ ! -s "$shared/tls/cert.pem" ]; then
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
      -keyout "$shared/tls/key.pem" -out "$shared/tls/cert.pem") >"$shared/openssl.log" 2>&1 ||
      { _fail "cannot create the TLS certificate" "$shared/openssl.log"; return 1; }
    openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$shared/tls/dhparam.pem" \
      >>"$shared/openssl.log" 2>&1 || { _fail "cannot create DH parameters" "$shared/openssl.log"; return 1; }
  fi
}

# The address haproxy's HTTP frontend connects to the web nodes from: one no
# test client uses, so that only the balancer is a trusted proxy (README,
# "Scaling out": an HTTP balancer is listed in client_ip.trusted_proxies).
CLUSTER_HTTP_LB_SOURCE=127.0.0.3

# Small per-card and per-login-ID limits, so the limit tests need few
# requests; large per-address limits, because most test requests come from
# 127.0.0.1 (members of the race tests use addresses of their own, 127.1.x.y);
# the HTTP balancer is the one trusted proxy.
CLUSTER_EXTRA_CONFIG='db.connect_timeout = 2
db.causal_reads = on
mailer.poll_interval_ms = 200
mailer.batch_size = 5
mailer.backoff_base = 1
mailer.backoff_max = 2
limits.identity_ip.max = 100000
limits.login_ip.max_failures = 100000
limits.identity_card.max = 5
limits.login_id.max_failures = 3
limits.login_id.lockout = 120
client_ip.trusted_proxies = '"$CLUSTER_HTTP_LB_SOURCE"

# web_env_file N: the environment scripts/stack.sh needs for web node N.
_web_env_file() { printf '%s\n' "$KOSMO_CLUSTER/web$1.env"; }

_write_web_env() {
  local n=$1 var=$KOSMO_CLUSTER/web$1
  mkdir -p -- "$var/etc/tls" && chmod 700 -- "$var/etc" || return 1
  cp -f -- "$KOSMO_CLUSTER/shared/secrets.conf" "$var/etc/secrets.conf" && chmod 600 -- "$var/etc/secrets.conf" || return 1
  cp -f -- "$KOSMO_CLUSTER/shared/tls/"*.pem "$var/etc/tls/" || return 1
  {
    printf 'KOSMO_VAR=%q\n' "$var"
    printf 'KOSMO_BUILD=%q\n' "$KOSMO_BUILD"
    printf 'KOSMO_HTTPS_PORT=%q\n' "$(_v "WEB${n}_PORT")"
    # haproxy connects from 127.0.0.1 and names the client in the PROXY protocol.
    printf 'KOSMO_PROXY_PROTOCOL_PORT=%q\nKOSMO_PROXY_PROTOCOL_FROM=127.0.0.1\n' "$(_v "WEB${n}_PROXY_PORT")"
    printf 'KOSMO_SMTP_PORT=%q\n' "$SMTP_PORT"
    printf 'KOSMO_DB_PORT=%q\n' "$STACK_DB_PORT"
    # Web node 1 prefers database node 1, web node 2 database node 2.
    printf 'KOSMO_DB_HOSTS=%q\n' "$(db_hosts "$n")"
    printf 'KOSMO_PUBLIC_URL=%q\n' "https://127.0.0.1:$LB_PORT"
    printf 'KOSMO_EXTRA_CONFIG=%q\n' "$CLUSTER_EXTRA_CONFIG"
  } >"$(_web_env_file "$n")"
}

# _in_web N COMMAND...: run stack.sh functions with web node N's environment.
_in_web() {
  local n=$1
  shift
  (
    set -a
    # shellcheck disable=SC1090
    source "$(_web_env_file "$n")"
    set +a
    "$@"
  )
}

# kosmo.conf of web node N with another db.hosts (the mailers, kosmo-admin).
_conf_with_hosts() {
  local n=$1 out=$2 hosts=$3
  sed "s|^db.hosts = .*|db.hosts = $hosts|" "$KOSMO_CLUSTER/web$n/etc/kosmo.conf" >"$out.tmp" &&
    mv -f -- "$out.tmp" "$out"
}

_web_up() { programs_start && nginx_start; }
_web_down() {
  local rc=0
  nginx_stop || rc=1
  programs_stop || rc=1
  return "$rc"
}
_web_nginx_kill() {
  local pid
  local -a kids
  _kosmo_env
  pid=$(_running "$_RUN/nginx.pid" "$_NGINX_DIR/nginx.conf") || { _csay "nginx is not running"; return 1; }
  mapfile -t kids < <(_children "$pid")
  kill -KILL "$pid" ${kids[@]+"${kids[@]}"} 2>/dev/null || true
  _wait_gone 10 "$pid" ${kids[@]+"${kids[@]}"} || { _fail "nginx survives SIGKILL"; return 1; }
  rm -f -- "$_RUN/nginx.pid"
}
web_start() { _in_web "$1" _web_up; }
web_stop() { _in_web "$1" _web_down; }
# Only nginx, with SIGKILL: what the load balancer's health check sees vanish.
web_nginx_kill() { _in_web "$1" _web_nginx_kill; }
web_nginx_start() { _in_web "$1" nginx_start; }

# One kosmo-mailer per web node, each on its own database node: web node 1's
# on database node 1, web node 2's on database node 3 (its screens use node 2),
# so two nodes race for every due mail.
_mailer_db_node() { if [ "$1" = 1 ]; then echo 1; else echo 3; fi; }

mailer_up() {
  local n=$1 var=$KOSMO_CLUSTER/web$1 pid
  _conf_with_hosts "$n" "$var/etc/mailer.conf" "$(db_hosts "$(_mailer_db_node "$n")")" || return 1
  _running "$var/run/cluster-mailer.pid" kosmo-mailer "$var/etc/mailer.conf" >/dev/null && return 0
  _spawn "$var/run/cluster-mailer.pid" "$var/log/mailer.log" "$KOSMO_BUILD/kosmo-mailer" \
    --config "$var/etc/mailer.conf" || return 1
  read -r pid <"$var/run/cluster-mailer.pid"
  sleep 0.5
  _alive "$pid" || { _fail "kosmo-mailer of web node $n exited" "$var/log/mailer.log"; return 1; }
}

mailer_down() {
  local var=$KOSMO_CLUSTER/web$1
  _stop "kosmo-mailer of web node $1" "$var/run/cluster-mailer.pid" TERM 10 kosmo-mailer "$var/etc/mailer.conf"
}

# --------------------------------------------------------- load balancer ---

# The health check path: /healthz once the operations issue's endpoint is in
# the site configuration, the login page until then.
_health_path() {
  if grep -q 'location = /healthz' "$KOSMO_REPO/nginx/kosmo-site.conf.in"; then echo /healthz; else echo /login; fi
}

# haproxy in TCP mode: TLS passes through to nginx, which terminates it with
# the site's own configuration; the health check speaks HTTPS to each nginx.
# It sends the PROXY protocol (v2) to each nginx's second listener, which
# takes the client's address from it (nginx/kosmo-site.conf.in), so the
# per-address limits count members, not the balancer.
# The same process has a second frontend in HTTP mode: it terminates TLS with
# the nodes' certificate, adds X-Forwarded-For (option forwardfor, a line after
# any the client sent) and connects to each nginx's HTTPS listener from
# $LB_HTTP_SOURCE, the web nodes' client_ip.trusted_proxies: the documented
# setup of an HTTP balancer (README, "Scaling out"; issue 13 item 2).
lb_start() {
  local dir=$KOSMO_CLUSTER/lb pid deadline port
  mkdir -p -- "$dir" || return 1
  if _running "$dir/haproxy.pid" "$dir/haproxy.cfg" >/dev/null; then return 0; fi
  # haproxy reads the certificate and its key from one file.
  (umask 077 && cat -- "$KOSMO_CLUSTER/shared/tls/cert.pem" "$KOSMO_CLUSTER/shared/tls/key.pem" >"$dir/tls.pem") || return 1
  cat >"$dir/haproxy.cfg" <<EOF
# Load balancer of the cluster tests (tests/cluster/cluster.sh).
global
    maxconn 1024
    log stdout format raw local0 info
    stats socket $dir/haproxy.sock mode 600 level admin

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A refused connection (nginx gone, not yet marked down) goes to the other node.
    retries 2
    option redispatch

frontend fe_kosmo
    bind 127.0.0.1:$LB_PORT
    default_backend be_web

backend be_web
    balance roundrobin
    option httpchk
    http-check send meth GET uri $(_health_path) ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 500ms fall 2 rise 1 check-ssl verify none send-proxy-v2 check-send-proxy
    server web1 127.0.0.1:$WEB1_PROXY_PORT check
    server web2 127.0.0.1:$WEB2_PROXY_PORT check

frontend fe_kosmo_http
    mode http
    option httplog
    bind 127.0.0.1:$LB_HTTP_PORT ssl crt $dir/tls.pem
    timeout http-request 10s
    default_backend be_web_http

backend be_web_http
    mode http
    balance roundrobin
    option forwardfor
    option httpchk
    http-check send meth GET uri $(_health_path) ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 500ms fall 2 rise 1 ssl verify none source $LB_HTTP_SOURCE
    server web1 127.0.0.1:$WEB1_PORT check
    server web2 127.0.0.1:$WEB2_PORT check
EOF
  haproxy -c -q -f "$dir/haproxy.cfg" >"$dir/check.log" 2>&1 ||
    { _fail "haproxy -c rejects $dir/haproxy.cfg" "$dir/check.log"; return 1; }
  _spawn "$dir/haproxy.pid" "$dir/haproxy.log" haproxy -f "$dir/haproxy.cfg" -db || return 1
  read -r pid <"$dir/haproxy.pid"
  deadline=$((SECONDS + 15))
  for port in "$LB_PORT" "$LB_HTTP_PORT"; do
    while _port_free "$port"; do
      _alive "$pid" || { _fail "haproxy exited during start-up" "$dir/haproxy.log"; return 1; }
      [ "$SECONDS" -lt "$deadline" ] || { _fail "haproxy does not listen on $port after 15 s" "$dir/haproxy.log"; return 1; }
      sleep 0.1
    done
  done
}

lb_stop() {
  _stop haproxy "$KOSMO_CLUSTER/lb/haproxy.pid" TERM 10 "$KOSMO_CLUSTER/lb/haproxy.cfg"
}

# ----------------------------------------------------------------- whole ---

cluster_up() {
  local t0=$SECONDS n code
  mkdir -p -- "$KOSMO_CLUSTER" || return 1
  # Fresh web nodes and load balancer each run (logs, mail, configs); the
  # shared secrets and certificate are kept.
  rm -rf -- "$KOSMO_CLUSTER/web1" "$KOSMO_CLUSTER/web2" "$KOSMO_CLUSTER/lb"
  cluster_ports || return 1
  _cluster_shared || return 1
  galera_bootstrap || return 1
  for n in "${CLUSTER_WEB_NODES[@]}"; do
    _write_web_env "$n" || return 1
    _in_web "$n" stack_prepare || return 1
  done
  # Schema once, through database node 3 (DDL replicates); kosmo-admin of the
  # tests uses node 3 too, so every node carries product writes.
  _conf_with_hosts 1 "$KOSMO_CLUSTER/admin.conf" "$(db_hosts 3)" || return 1
  "$KOSMO_BUILD/kosmo-admin" --config "$KOSMO_CLUSTER/admin.conf" migrate >"$KOSMO_CLUSTER/migrate.log" 2>&1 ||
    { _fail "kosmo-admin migrate failed" "$KOSMO_CLUSTER/migrate.log"; return 1; }
  _in_web 1 sink_start || return 1
  for n in "${CLUSTER_WEB_NODES[@]}"; do
    web_start "$n" || return 1
    mailer_up "$n" || return 1
  done
  lb_start || return 1
  # Both web nodes up in both of haproxy's backends before the tests: one
  # passing check each.
  local deadline=$((SECONDS + 20))
  until [ "$(lb_up_count)" = 2 ] && [ "$(lb_up_count be_web_http)" = 2 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { _fail "haproxy does not see both web nodes up" "$KOSMO_CLUSTER/lb/haproxy.log"; return 1; }
    sleep 0.2
  done
  code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "https://127.0.0.1:$LB_PORT/login") || code=000
  [ "$code" = 200 ] || { _fail "GET /login through haproxy answers $code"; return 1; }
  code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "https://127.0.0.1:$LB_HTTP_PORT/login") || code=000
  [ "$code" = 200 ] || { _fail "GET /login through haproxy's HTTP frontend answers $code"; return 1; }
  _csay "up in $((SECONDS - t0)) s: https://127.0.0.1:$LB_PORT/ (HTTP balancer :$LB_HTTP_PORT) -> web nodes :$WEB1_PORT :$WEB2_PORT -> galera :$DB1_PORT :$DB2_PORT :$DB3_PORT"
}

# lb_up_count [BACKEND]: how many web nodes haproxy counts as UP in BACKEND
# (be_web, the TCP one, by default).
lb_up_count() {
  printf 'show stat\n' | socat - "UNIX-CONNECT:$KOSMO_CLUSTER/lb/haproxy.sock" 2>/dev/null |
    awk -F, -v backend="${1:-be_web}" '$1 == backend && $2 ~ /^web/ && $18 == "UP" { n++ } END { print n + 0 }'
}

# Reverse order, each part by its pid; nodes one by one, node 1 last, so it
# is the one safe to bootstrap from. The data directories go (about 140 MB
# each); logs stay.
cluster_down() {
  local rc=0 n
  [ -n "${LB_PORT:-}" ] || return 0
  lb_stop || rc=1
  for n in "${CLUSTER_WEB_NODES[@]}"; do
    [ -f "$(_web_env_file "$n")" ] || continue
    mailer_down "$n" || rc=1
    web_stop "$n" || rc=1
  done
  if [ -f "$(_web_env_file 1)" ]; then _in_web 1 sink_stop || rc=1; fi
  for n in 3 2 1; do
    [ -d "$(_gdir "$n")" ] || continue
    galera_stop "$n" || rc=1
  done
  if [ "$rc" = 0 ] && [ -d "${GALERA_ROOT:-}" ]; then
    for n in "${CLUSTER_DB_NODES[@]}"; do rm -rf -- "$(_gdir "$n")/data"; done
    case $GALERA_ROOT in /tmp/kosmo-galera.*) rm -rf -- "$GALERA_ROOT" ;; esac
  fi
  return "$rc"
}
